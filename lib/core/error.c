/* error.c: the error table and the one place OpenSSL's error queue is turned into a message. */
#include "internal.h"

#include <openssl/err.h>
#include <stdio.h>
#include <string.h>

struct errinfo {
	const char *name;
	const char *category;
	const char *description;
};

#define RS_X_INFO(name, cat, desc) { #name, cat, desc },
static const struct errinfo errinfo[] = { RS_ERROR_TABLE(RS_X_INFO) };
#undef RS_X_INFO

const char *rs_version(void)
{
	return RS_VERSION;
}

const char *rs_errcode_name(enum rs_errcode code)
{
	if ((unsigned)code >= RS_ARRAY_LEN(errinfo))
		return "RS_ERR_UNKNOWN";
	return errinfo[code].name;
}

const char *rs_errcode_category(enum rs_errcode code)
{
	if ((unsigned)code >= RS_ARRAY_LEN(errinfo))
		return "internal";
	return errinfo[code].category;
}

void rs_error_clear(struct rs_error *err)
{
	if (!err)
		return;
	err->code = RS_ERR_NONE;
	err->message[0] = '\0';
}

__attribute__((format(printf, 3, 0)))
static void set_message(struct rs_error *err, enum rs_errcode code, const char *fmt, va_list ap)
{
	err->code = code;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
}

int rs_fail(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	set_message(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int rs_error_set(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	set_message(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

/* 1 when OpenSSL's error queue holds an allocation failure; the queue is emptied. OpenSSL raises
 * ERR_R_MALLOC_FAILURE where its own allocation fails (crypto/err/err.c, include/openssl/err.h), and a caller
 * that sees only "cannot parse" would turn a full heap into a verdict about the input. */
int rs_ssl_take_nomem(void)
{
	unsigned long e;
	int nomem = 0;

	while ((e = ERR_get_error()) != 0)
		if (!ERR_SYSTEM_ERROR(e) && ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE)
			nomem = 1;
	return nomem;
}

__attribute__((format(printf, 3, 0)))
static int fail_ssl_v(struct rs_error *err, enum rs_errcode code, const char *fmt, va_list ap)
{
	unsigned long e = ERR_peek_error();
	const char *reason = e ? ERR_reason_error_string(e) : NULL;

	if (rs_ssl_take_nomem()) { /* whatever the caller was reading, memory ran out: say so, not "bad input" */
		if (err)
			rs_error_set(err, RS_ERR_NOMEM, "out of memory");
		return -1;
	}
	if (!err)
		return -1;
	set_message(err, code, fmt, ap);
	if (reason) {
		size_t n = strlen(err->message);
		snprintf(err->message + n, sizeof(err->message) - n, ": %s", reason);
	}
	return -1;
}

/* OpenSSL's reason strings are terse ("wrong tag"); keep the first, which names the innermost cause. */
int rs_fail_ssl(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_ssl_v(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

int rs_error_set_ssl(struct rs_error *err, enum rs_errcode code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fail_ssl_v(err, code, fmt, ap);
	va_end(ap);
	return -1;
}
