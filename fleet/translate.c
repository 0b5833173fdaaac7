/*
 * translate.c: a class's real store or pin put in the lab's terms. The lab serves chains under look-alike roots;
 * a store of real roots would trust none of them, and every device would be cert-untrusted for a reason that has
 * nothing to do with the migration. The library decides which look-alike replaces which real certificate
 * (rs_translate_certs); this keeps the record for the reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

#define MAX_MET 64

void fleet_translated_fill(const struct rs_translation *in, size_t cls, int pin, struct fleet_translated *out)
{
	memset(out, 0, sizeof(*out));
	out->cls = cls;
	out->pin = pin;
	out->how = in->how;
	snprintf(out->real_subject, sizeof(out->real_subject), "%s", rs_cert_subject(in->real));
	snprintf(out->real_sha256, sizeof(out->real_sha256), "%s", rs_cert_sha256(in->real));
	snprintf(out->known, sizeof(out->known), "%s:%s", rs_profile_id(rs_known_profile(in->known)),
		 rs_known_id(in->known));
	snprintf(out->name, sizeof(out->name), "%s", rs_known_name(in->known));
	if (in->by) {
		snprintf(out->role, sizeof(out->role), "%s", in->by->role);
		snprintf(out->plays, sizeof(out->plays), "%s", in->by->plays);
		snprintf(out->lab_subject, sizeof(out->lab_subject), "%s", rs_cert_subject(in->by->cert));
		snprintf(out->lab_sha256, sizeof(out->lab_sha256), "%s", rs_cert_sha256(in->by->cert));
	}
}

static int record(struct fleet_result *res, size_t cls, int pin, const struct rs_translation *t, struct rs_error *err)
{
	struct fleet_translated *v = realloc(res->translated, (res->ntranslated + 1) * sizeof(*v));

	if (!v)
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	res->translated = v;
	fleet_translated_fill(t, cls, pin, &v[res->ntranslated++]);
	return 0;
}

int fleet_translate(struct fleet_run *r, size_t cls, int pin, struct rs_certlist **list, struct rs_error *err)
{
	const struct fleet_target *t = r->target;
	struct rs_translation met[MAX_MET];
	struct rs_certlist *out;
	int n;

	if (!t->translate_catalog || !t->lookalikes)
		return 0;
	r->res->translating = 1;
	if (!(out = rs_certlist_new()))
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	n = rs_translate_certs(t->translate_catalog, t->lookalikes, t->nlookalikes, *list, out, met, MAX_MET, err);
	for (int i = 0; i < n && i < MAX_MET; i++)
		if (record(r->res, cls, pin, &met[i], err) < 0)
			n = -1;
	if (n < 0) {
		rs_certlist_free(out);
		return -1;
	}
	rs_certlist_free(*list);
	*list = out;
	return 0;
}

int fleet_result_translating(const struct fleet_result *r) { return r->translating; }
size_t fleet_result_translated_count(const struct fleet_result *r) { return r->ntranslated; }

const struct fleet_translated *fleet_result_translated_at(const struct fleet_result *r, size_t i)
{
	return i < r->ntranslated ? &r->translated[i] : NULL;
}
