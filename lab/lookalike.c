/*
 * lookalike.c: which look-alike of the lab's PKI (pki.c's ids, pki/ID.pem) plays which catalog certificate. A
 * translation (rs_translate_certs) puts a real store or pin in the lab's terms with it. The served intermediates
 * the catalog has no entry for (new-ca-xsign, ecc-ca) and the leaves play nothing.
 */
#include <stdio.h>
#include <string.h>

#include "lab.h"

static const struct { const char *id, *plays; } plays[] = {
	{ "old-root", "azure-iot:baltimore-cybertrust-root" },
	{ "new-root", "azure-iot:digicert-global-root-g2" },
	{ "ms-root", "azure-iot:microsoft-rsa-root-ca-2017" },
	{ "ecc-root", "azure-iot:digicert-global-root-g3" },
	/* intermediates: the served ones first, so that an intermediate of the same role and issuer maps to them */
	{ "old-ca", "azure-iot:microsoft-rsa-tls-ca-01" },
	{ "new-ca", "azure-iot:microsoft-azure-tls-issuing-ca-01-g2" },
	{ "next-ca1", "azure-ica-2026:microsoft-tls-rsa-root-g2" },
	{ "next-ca2", "azure-ica-2026:microsoft-tls-g2-rsa-ca-ocsp-02" },
};

int lab_lookalikes_load(const char *dir, struct lab_lookalikes *out, struct rs_error *err)
{
	char name[64], path[4096];

	memset(out, 0, sizeof(*out));
	if (!(out->certs = rs_certlist_new()))
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < sizeof(plays) / sizeof(plays[0]) && i < LAB_MAX_LOOKALIKES; i++) {
		size_t before = rs_certlist_count(out->certs);
		snprintf(name, sizeof(name), "pki/%s.pem", plays[i].id);
		if (lab_path(path, sizeof(path), dir, name) < 0) {
			lab_lookalikes_release(out);
			return rs_error_set(err, RS_ERR_USAGE, "path '%s/%s' is too long", dir, name);
		}
		if (rs_load_path(out->certs, path, NULL, err) < 0 || rs_certlist_count(out->certs) != before + 1) {
			if (rs_certlist_count(out->certs) != before)
				rs_error_set(err, RS_ERR_PARSE, "'%s' holds more than the one look-alike", path);
			lab_lookalikes_release(out);
			return -1;
		}
		out->v[out->n++] = (struct rs_lookalike){ plays[i].id, plays[i].plays, rs_certlist_at(out->certs, before) };
	}
	return 0;
}

void lab_lookalikes_release(struct lab_lookalikes *l)
{
	rs_certlist_free(l->certs);
	memset(l, 0, sizeof(*l));
}
