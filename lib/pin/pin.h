/*
 * pin.h: what the pinning scanner's files share. tokens.c finds fingerprint-shaped values (the fuzzed part),
 * rules.c judges one buffer against every rule, pinscan.c owns findings, suppressions and the tree walk.
 */
#ifndef RS_PIN_H
#define RS_PIN_H

#include "internal.h"

/* A digest written in text: where it is and its bytes. */
struct rs_pin_token {
	size_t start, end;       /* byte range in the buffer */
	unsigned char bytes[32];
	size_t nbytes;           /* 20 (SHA-1) or 32 (SHA-256) */
	const char *notation;    /* "hex", "colon", "space", "dash", "0x-array", "escaped", "base64" */
};

/*
 * The next digest-shaped token at or after *pos: 40 or 64 hex digits between word boundaries (not all digits,
 * not all letters), 20 or 32 two-digit groups joined by one ':', ' ' or '-', a list of exactly 20 or 32 "0xNN"
 * items separated by commas, or 20 or 32 "\xNN" escapes. Returns 1 and moves *pos past the token, or 0.
 */
int rs_pin_next_hex(const unsigned char *buf, size_t len, size_t *pos, struct rs_pin_token *t);
/*
 * The next base64 SHA-256 pin at or after *pos: "sha256/" or "sha256//" (curl, OkHttp), "pin-sha256=" (HPKP),
 * or the text of a network-security-config <pin digest="SHA-256"> element; 44 base64 characters making 32 bytes.
 */
int rs_pin_next_b64(const unsigned char *buf, size_t len, size_t *pos, struct rs_pin_token *t);

/* memmem that anchors on the needle's rarest byte in source text (memmem itself is a GNU extension). */
const unsigned char *rs_pin_find(const unsigned char *hay, size_t hlen, const char *needle, size_t nlen);

/*
 * The printable view of a binary: every byte that is not printable ASCII (0x20-0x7e) or a tab becomes '\n', so
 * offsets are the file's. The plain path goes eight bytes at a time; the other uses SSE2 where the target has it.
 */
void rs_pin_printable_view(unsigned char *view, const unsigned char *buf, size_t len);
void rs_pin_printable_view_plain(unsigned char *view, const unsigned char *buf, size_t len);

/* One finding being built (rules.c); strings are copied by the sink. */
struct rs_pin_hit {
	const char *rule;
	const char *kind;
	enum rs_severity severity;
	const char *confidence;
	size_t at, end;          /* byte range in the buffer */
	const char *value;
	const char *algorithm;
	const struct rs_known *known;
	const char *api;
	const char *message;
	const char *text;        /* shown instead of the bytes at [at, end) when not NULL */
};

/* Where rules.c sends findings: returns -1 on a hard error. */
struct rs_pin_sink {
	int (*add)(void *arg, const struct rs_pin_hit *hit);
	void *arg;
};

/*
 * Runs every text rule over buf. binary: buf is the printable-runs view of a binary file (every other byte made
 * '\n', so offsets are the file's). name is the file's path (lock files are told by it).
 */
int rs_pin_rules_text(const struct rs_catalog *cat, const unsigned char *buf, size_t len, const char *name,
		      int binary, const struct rs_pin_sink *sink);
/* Embedded intermediates and leaves used as anchors, through audit's extractors. */
int rs_pin_rules_anchors(const struct rs_catalog *cat, const unsigned char *buf, size_t len, const char *name,
			 const struct rs_pin_sink *sink, struct rs_error *err);

#endif
