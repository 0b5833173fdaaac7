/* translate.c: real stores and pins put in a lab's terms, as the front end shows it (translate.h). */
#include "translate.h"

#include <string.h>

int translation_open(struct lab_translation *t, const char *dir)
{
	struct rs_error err;

	memset(t, 0, sizeof(*t));
	if (lab_lookalikes_load(dir, &t->looks, &err) < 0)
		return io_error("cannot read the look-alikes of the lab in '%s': %s (--no-translate runs without them)", dir,
			     err.message);
	if (!(t->cat = rs_catalog_new()) || rs_catalog_add_builtin(t->cat, NULL, &err) < 0) {
		translation_close(t);
		return t->cat ? lib_error(&err) : error("out of memory");
	}
	return 0;
}

void translation_close(struct lab_translation *t)
{
	lab_lookalikes_release(&t->looks);
	rs_catalog_free(t->cat);
	t->cat = NULL;
}

void translation_note(const char *where, const struct fleet_translated *t)
{
	if (!t->role[0]) {
		fprintf(stderr, "note: %s: %s (SHA-256 %.16s...) is in the catalog (%s) but nothing in the lab plays it: "
				"kept as it is\n", where, t->name, t->real_sha256, t->known);
		return;
	}
	fprintf(stderr, "note: %s: translated %s (SHA-256 %.16s...) -> the lab's %s (%s, SHA-256 %.16s...)", where,
		t->name, t->real_sha256, t->role, t->lab_subject, t->lab_sha256);
	if (t->how == RS_TRANSLATE_ROLE)
		fprintf(stderr, ", which plays %s: the same role under the same issuer", t->plays);
	fputc('\n', stderr);
}

void translation_note_end(size_t replaced, size_t kept)
{
	if (replaced || kept)
		fprintf(stderr, "note: %zu real certificate%s replaced by the lab's look-alikes of the same role, %zu kept "
				"(--no-translate keeps them all as they are)\n", replaced, replaced == 1 ? "" : "s", kept);
}

json_t *translation_json(const char *cls, const struct fleet_translated *t)
{
	json_t *o = json_object();

	if (cls)
		json_object_set_new(o, "class", json_string(cls));
	json_object_set_new(o, "in", json_string(t->pin ? "pin" : "store"));
	json_object_set_new(o, "real", json_pack("{s:s, s:s, s:s, s:s}", "subject", t->real_subject, "sha256",
						 t->real_sha256, "catalog", t->known, "name", t->name));
	json_object_set_new(o, "lookalike",
			    t->role[0] ? json_pack("{s:s, s:s, s:s, s:s}", "role", t->role, "plays", t->plays, "subject",
						   t->lab_subject, "sha256", t->lab_sha256)
				       : json_null());
	json_object_set_new(o, "how", json_string(rs_translate_how_name(t->how)));
	return o;
}
