/* verify_fault.c: what every check file of the path builder shares: a fault filled with its reason, rule id and
 * message, a certificate's name for those messages, and the dNSName syntax. verify_checks.c, verify_profile.c and
 * verify_crl.c call these; this file calls none of them. */
#include "verify.h"

#include <stdarg.h>
#include <stdio.h>

const char *rs_verify_cert_label(const struct rs_cert *cert)
{
	if (*rs_cert_common_name(cert))
		return rs_cert_common_name(cert);
	return *rs_cert_subject(cert) ? rs_cert_subject(cert) : rs_cert_sha1(cert); /* an empty name: the thumbprint */
}

int rs_vfault(struct rs_verify_fault *f, enum rs_verify_reason reason, const char *rule, long at, const char *fmt, ...)
{
	va_list ap;

	f->reason = reason;
	f->rule = rule;
	f->at = at;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* A dNSName in preferred name syntax (RFC 5280 4.2.1.6, RFC 1034): LDH labels, a whole "*" left-most label. */
int rs_verify_dns_name_ok(const char *name, size_t len, int wildcard_ok)
{
	size_t i, label = 0;

	if (wildcard_ok && len >= 2 && name[0] == '*' && name[1] == '.') {
		name += 2;
		len -= 2;
	}
	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch == '.') {
			if (label == 0 || name[i - 1] == '-')
				return 0;
			label = 0;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			   (ch == '-' && label > 0)) {
			if (++label > 63)
				return 0;
		} else
			return 0;
	}
	return label > 0 && name[len - 1] != '-';
}
