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
 * The next base64 SHA-256 pin at or after *pos: "sha256/" or "sha256//" (curl, Java and Kotlin pinners), "pin-sha256=" (HPKP),
 * or the text of a network-security-config <pin digest="SHA-256"> element; 44 base64 characters making 32 bytes.
 */
int rs_pin_next_b64(const unsigned char *buf, size_t len, size_t *pos, struct rs_pin_token *t);
/*
 * The same over a binary's bytes as they are (binary 1): every byte that is not printable ASCII or a tab counts as
 * the line break its printable view (rs_pin_printable_view) has there, so the tokens are the view's, without
 * writing the view.
 */
int rs_pin_next_hex_in(const unsigned char *buf, size_t len, size_t *pos, struct rs_pin_token *t, int binary);
int rs_pin_next_b64_in(const unsigned char *buf, size_t len, size_t *pos, struct rs_pin_token *t, int binary);

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
	int lone;                /* an embedded anchor that is its file's only certificate */
	int join_only;           /* reported only where a call installs it (a sole root anchor), never at its place */
	int partial;             /* a current root alone (audit: partial): no finding when the code installs another
				  * root beside it */
};

struct rs_pin_context;
struct rs_pin_ruleset;
struct rs_pin_sink;

/* A value assigned to a name ("fp" in `const char fp[] = "..."`, `#define FP "..."`, `"fingerprint": "..."`). */
struct rs_pin_def {
	char ident[64];
	char file[64];           /* "file:BASE" when the value is a certificate file's path (`CA = "certs/ica.pem"`):
				  * a trust API taking the name installs that file; "" otherwise */
	int keyonly;             /* a bare base64 key pin: reported only where a call takes it or when the catalog
				  * knows it, never as a pin-like name alone */
	struct rs_pin_token tok; /* the digest; nbytes 0 for a placeholder written as text (tok.start/end: the text) */
	int hint;                /* a name on its line says it is a pin */
};

/* A pinning API given a name as an argument. */
struct rs_pin_call {
	char ident[64];
	const char *api;         /* static */
	size_t at, end;          /* the call, from the API's name to its closing parenthesis */
	int trust;               /* an API installing trust anchors (the name is a certificate's), not a pin */
	char obj[64];            /* the name the call's result is given (`AnchorList ca(PEM)`, `k = new KeyType(PEM)`,
				  * `#define CA_FILE "ca.pem"`), "" for none: a call that takes obj resolves through this
				  * one, which is then not reported itself */
	int alias;               /* only a step from obj to ident, never reported: 1 for any file of the tree (`KeyType
				  * key(PEM)` in a header), 2 for its own file only (`ca = read_cert(bio, ...)`) */
	int not_pin;             /* an API whose argument is no pin (its definition is not reported) */
	int dir;                 /* a trust API taking a directory: its name's value is a step to "dir:BASE" */
};

/*
 * Definitions of ident written as adjacent literals (`#define FP "AA:BB:" \ "CC:..."`) in buf, a file another file
 * includes, given to sink->def: how a pinning call's name defined in a header is read (pinscan.c). 0 or -1.
 */
int rs_pin_concat_defs(const struct rs_pin_context *pc, const unsigned char *buf, size_t len, const char *ident,
		       const struct rs_pin_sink *sink);

/*
 * The step from ident to "dir:BASE" when buf gives ident a directory's path (`#define CA_DIR "/etc/gw/trust.d"`), given
 * to sink->call: how a trust call taking a directory by a name defined in a header is read (pinscan.c). 0 or -1.
 */
int rs_pin_dir_defs(const struct rs_pin_context *pc, const unsigned char *buf, size_t len, const char *ident,
		    const struct rs_pin_sink *sink);

/* The name the value at `at` of a text buffer is assigned to (rules.c's reading of definitions); 1 when found. */
int rs_pin_name_at(const struct rs_pin_ruleset *rs, const unsigned char *buf, size_t len, size_t at, char *out,
		   size_t size);

/*
 * Where rules.c sends findings: returns -1 on a hard error. def and call (may be NULL: then a value assigned to a
 * name is looked for in calls of the same buffer, on their lines) receive what pinscan.c joins across a tree.
 */
struct rs_pin_sink {
	int (*add)(void *arg, const struct rs_pin_hit *hit);
	void *arg;
	int (*def)(void *arg, const struct rs_pin_def *d);
	int (*call)(void *arg, const struct rs_pin_call *c);
};

/*
 * Judges a digest t (or a text placeholder, nbytes 0) fed to api (NULL: none found), hint: a name on its line
 * says it is a pin. Fills *h (positions from t; value points to thread-local storage until the next call) and
 * appends the message to msg. Returns 1 for a finding, 0 for none, -1 out of memory.
 */
int rs_pin_judge_value(const struct rs_pin_context *pc, const struct rs_pin_token *t, const char *api, int hint,
		       struct rs_pin_hit *h, struct rs_buf *msg);

/*
 * One entry of the rules file (rules/scan-rules.json, ruleset.c; docs/scan.md): an API by the text that finds it,
 * and what it needs around it. Strings belong to the ruleset.
 */
enum { RS_PIN_ARGS_CALL, RS_PIN_ARGS_VALUE, RS_PIN_ARGS_LINE, RS_PIN_ARGS_NEXT, RS_PIN_ARGS_AROUND, RS_PIN_ARGS_BELOW,
       RS_PIN_ARGS_ABOVE };
struct rs_pin_api {
	const char *needle;      /* the text looked for ("key" in ca_file_keys) */
	const char *name;        /* what JSON "api" says; NULL in ca_file_keys without one */
	const char *near;        /* when: this text on the line or the next two */
	const char *above;       /* when: this text (any case) on the line or the eight above (a function handling
				  * certificates, not a file's checksum) */
	int trust;               /* name_call_apis, source_call_apis: the call installs a CA file or certificate (a trust API) */
	int not_pin;             /* name_call_apis: a name passed here is no pin (a client certificate looked up by
				  * its thumbprint): its definition is not reported */
	const char *file;        /* when: the file holds this text */
	int digests;             /* when: the file computes certificate digests */
	int pin_name;            /* when: calls: only names that say they are a pin (`ROOT_KEY_SHA256`, not `BUILD_ID`) */
	int args;                /* calls: RS_PIN_ARGS_CALL (the parenthesised arguments), _VALUE (up to ',' or the
				  * end of the line), _LINE (the rest of the line: a comparison), _NEXT (the argument
				  * after the needle's: `setopt(h, OPTION, value)`), _AROUND (the whole line: `PINS.has(x)`), _BELOW
				  * (the line and the three below: an AT command whose data follows), _ABOVE (the line and
				  * the four above: a struct filled before the call that takes it) */
	int element;             /* placeholders: the value is an element's text (<x ...>TEXT</x>), not a literal */
	const char *skip_prefix; /* placeholders: a literal with this prefix is a placeholder only after it */
	const char *after;       /* verify_off: what must follow ("" anything) */
	const char *not_after;   /* verify_off: not when this text ends just before the needle */
	const char *confidence;  /* verify_off */
	const char *line_has[4]; /* verify_off: one of these on the line */
	int call;                /* verify_off: '(' must follow */
	int key_word;            /* verify_off: the needle is part of a key naming TLS (ssl_verify, verify_ssl) */
	int word;                /* ca_file_keys: the key starts a word (no letter or digit before it) */
	int dir;                 /* ca_file_keys: the setting may name a directory of CA files (a CApath); trust_apis:
				  * the call takes a directory (its name's value is "dir:BASE") */
	int adds;                /* ca_file_keys: the setting adds the file to the default store (NODE_EXTRA_CA_CERTS):
				  * the file is never the only anchor */
	const char *called;      /* calls: the name the needle is part of must be this one ("VendorClient"), or end
				  * with it when it starts with '*' ("*_load_file"): entries of several APIs
				  * share one needle of the one pass; the call is reported from the name's start */
};

#define RS_PIN_COMMON_MAX 16
/* Entries of the families of the one pass; the same needle in two entries (an API that is a placeholder API and
 * a call API) is searched for once. */
#define RS_PIN_SLOTS_MAX 96
#define RS_PIN_NO_SLOT ((size_t)-1)
#define RS_PIN_NAMED_MAX 32
#define RS_PIN_SOURCE_MAX 32
/* The families of needles searched in one pass: each family's needles start at wbase[family]. */
enum { RS_PW_PLACEHOLDER, RS_PW_NAME, RS_PW_GETTER, RS_PW_OFF, RS_PW_ROOT, RS_PW_API, RS_PW_PHWORD, RS_PW_TRUST,
       RS_PW_PUBKEY, RS_PW_DIGEST, RS_PW_COMMON, RS_PW_NAMED, RS_PW_SOURCE, RS_PW_FAMILIES }; /* NAMED: a pass of its own,
										    * in name files; SOURCE: in the others */

struct rs_pin_ruleset {
	void *json; /* the parsed rules (json_t), owning every string */
	struct rs_pin_rule *rules;
	size_t nrules;
	struct rs_pin_api *values, *calls, *common, *trust, *placeholders, *keys, *offs, *named, *source;
	size_t nvalues, ncalls, ncommon, ntrust, nplaceholders, nkeys, noffs, nnamed, nsource;
	const char **suffixes, **name_prefixes, **getters, **digest_fns, **attrs, **name_files,
		    **file_directives;
	size_t nsuffixes, nname_prefixes, ngetters, ndigest_fns, nattrs, nname_files, nfile_directives;
	const char **digest_marks; /* digest computations looked for in the one pass: a file holding one compares
				    * digests (its memcmp calls are looked for) */
	size_t ndigest_marks;
	struct rs_needles whole;           /* every family's needles but the common calls', in one pass, each
					    * distinct needle once */
	size_t nslots;                     /* the families' entries (slots of occ[]: wbase[family] + i) */
	size_t first_slot[RS_NEEDLES_MAX]; /* the slots of whole's needle k: first_slot[k], then next_slot[] */
	size_t next_slot[RS_PIN_SLOTS_MAX]; /* RS_PIN_NO_SLOT ends */
	struct rs_needles common_whole;    /* the common calls' needles, in a pass of their own where they matter */
	struct rs_needles named_whole;     /* name_call_apis' needles, in a pass of their own in the name files */
	struct rs_needles source_whole;    /* source_call_apis' needles, in a pass of their own in the other text files */
	size_t wbase[RS_PW_FAMILIES];
};

/* The built-in rules (NULL only if the embedded file were broken: a test proves it is not). */
const struct rs_pin_ruleset *rs_pin_ruleset_builtin(void);
/* The built-in rules extended by text (a --rules file named name); NULL and err on a bad file (line, column). */
struct rs_pin_ruleset *rs_pin_ruleset_load(const char *text, size_t len, const char *name, struct rs_error *err);
void rs_pin_ruleset_free(struct rs_pin_ruleset *rs);
/* Needles of the one pass that are no API: a placeholder's word (more words do not fit the pass's anchor bytes) and
 * a PEM public key's label; at most RS_PIN_SUFFIXES_MAX CA-file suffixes. */
#define RS_PIN_PH_WORD "YOUR_"
#define RS_PIN_PUBKEY_MARK "BEGIN PUBLIC KEY"
#define RS_PIN_SUFFIXES_MAX 16

/* What the rules judge a buffer with. */
struct rs_pin_context {
	const struct rs_catalog *cat;
	const struct rs_profile *profile; /* stores are judged against it; NULL: the catalog's "azure-iot" or first */
	rs_time at;                       /* the time of the judgement, when timed */
	int timed;                        /* 0: no time given; severities are the rules' defaults (a root is info) */
	int store;                        /* the buffer is a CA store: digests that feed no API are its comments */
	const struct rs_pin_ruleset *rules; /* NULL: the built-in ones */
};

/*
 * The severity of a pin or sole anchor on the known certificate k, as the migration stands at pc->at, with the
 * words saying what happens to the device appended to why: error when the chain the service serves now no longer
 * satisfies it (an expired certificate, the old root after the migration, an intermediate of the old root), warning
 * when it holds now but breaks at the next rotation the profile knows of (another intermediate or leaf, the old
 * root before the migration), info for another root. Untimed: info for a root, error otherwise.
 */
enum rs_severity rs_pin_judge_known(const struct rs_pin_context *pc, const struct rs_known *k, struct rs_buf *why);
/* Among the catalog's certificates with k's key, the one valid longest (what a key pin on k is judged by); k when
 * none lasts longer. */
const struct rs_known *rs_pin_key_latest(const struct rs_catalog *cat, const struct rs_known *k);

/*
 * Runs every text rule over buf. binary: buf is a binary file's bytes, read as its printable-runs view (every byte
 * that is not printable ASCII or a tab is a line break; the same findings as over rs_pin_printable_view's view, so
 * a view need not be written). name is the file's path (lock files are told by it).
 */
int rs_pin_rules_text(const struct rs_pin_context *pc, const unsigned char *buf, size_t len, const char *name,
		      int binary, const struct rs_pin_sink *sink);
/*
 * The same in two steps, so that a large file's candidates can be found in chunks by several threads:
 * rs_pin_collect finds in [from, to) of buf what the rules start from (needle occurrences and digest tokens that
 * start there; from and to are 0, len or cut points from rs_pin_cut), appending to cd; rs_pin_cands_append moves
 * one chunk's candidates after another's (in buffer order); rs_pin_rules_judge runs the rules from them over the
 * whole buffer. Collecting [0, len) at once, or chunk by chunk between cut points, gives the same candidates.
 */
struct rs_pin_cands;
struct rs_pin_cands *rs_pin_cands_new(void);
void rs_pin_cands_free(struct rs_pin_cands *cd);
int rs_pin_collect(const struct rs_pin_context *pc, const unsigned char *buf, size_t len, size_t from, size_t to,
		   int binary, struct rs_pin_cands *cd);
int rs_pin_cands_append(struct rs_pin_cands *to, struct rs_pin_cands *from);
int rs_pin_rules_judge(const struct rs_pin_context *pc, const unsigned char *buf, size_t len, const char *name,
		       int binary, const struct rs_pin_sink *sink, struct rs_pin_cands *cd);
/*
 * A cut point at or after `at` and before `limit`: a byte that ends every tokenizer step and every token (printable
 * punctuation that is neither part of a digest, a 0x list, an escape nor a base64 pin), so that the tokens of a chunk
 * that starts or ends there are those of the whole buffer. `limit` when there is none.
 */
size_t rs_pin_cut(const unsigned char *buf, size_t at, size_t limit);

/* Embedded intermediates and leaves used as anchors in set (the anchors audit's extractors found in the buffer). */
int rs_pin_rules_anchors(const struct rs_pin_context *pc, const struct rs_anchorset *set, size_t len,
			 const struct rs_pin_sink *sink);
/*
 * A buffer whose anchors are a CA store (two or more trusted roots): 1 when it is, and then, when the store is one
 * a profile is about (ten roots or more, or one the catalog knows), one finding judging it as audit does.
 */
int rs_pin_rules_store(const struct rs_pin_context *pc, const struct rs_anchorset *set, const struct rs_pin_sink *sink,
		       struct rs_error *err);

#endif
