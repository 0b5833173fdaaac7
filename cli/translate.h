/* translate.h: the front end's side of translating real stores and pins to a lab's look-alikes (rehearse against a
 * lab, probe --lab): the look-alikes and the catalog that identifies real certificates, the note and the JSON.
 * What replaces what is the library's decision (rs_translate_certs). */
#ifndef RS_CLI_TRANSLATE_H
#define RS_CLI_TRANSLATE_H

#include "cli.h"
#include "fleet.h"
#include "lab.h"

struct lab_translation {
	struct lab_lookalikes looks;
	struct rs_catalog *cat; /* every built-in profile */
};
/* 0, or EXIT_ERROR after printing why (DIR is not a lab). */
int translation_open(struct lab_translation *t, const char *dir);
void translation_close(struct lab_translation *t);
/* Notes on stderr, one line a record; where names the store ("class 'x' store", "--store"). */
void translation_note(const char *where, const struct fleet_translated *t);
/* The closing note: how many were replaced, and --no-translate. */
void translation_note_end(size_t replaced, size_t kept);
/* {"class"?, "in", "real": {subject, sha256, catalog, name}, "lookalike": {role, plays, subject, sha256} | null,
 *  "how"}; cls NULL leaves "class" out. */
json_t *translation_json(const char *cls, const struct fleet_translated *t);

#endif
