/* verify.c: the path builder. From the end certificate it follows every candidate issuer (by name, then by the
 * AKI/SKI key identifiers, then by signature) depth first, with a depth limit, loop detection and a work limit,
 * until it reaches a certificate of the trust store; every complete path is then checked as a whole
 * (verify_checks.c). Valid paths come back shortest first; otherwise the reason the best failed path failed. */
#include "verify.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reasoninfo {
	const char *code;
	const char *description;
};

#define RS_X_INFO(name, code, desc) { code, desc },
static const struct reasoninfo reasoninfo[] = { RS_VERIFY_REASON_TABLE(RS_X_INFO) };
#undef RS_X_INFO

/* Ranks of failed paths: a path that reached the store beats a bad signature, which beats a dead end. */
enum { RANK_NONE, RANK_DEAD_END, RANK_BAD_SIGNATURE, RANK_ANCHORED };

struct ipath {
	size_t v[RS_VERIFY_MAX_CERTS];
	size_t len;
};

struct search {
	struct rs_vnode *nodes;        /* every certificate once, the end certificate first */
	size_t n;
	size_t *index, slots;          /* SHA-256 hash index into nodes */
	const struct rs_verify_opts *o;
	size_t chain_bytes, work;
	int stopped, nomem;
	struct ipath cur;
	struct ipath valid[RS_VERIFY_MAX_PATHS];
	size_t n_valid;
	int best_rank;
	struct ipath best;
	struct rs_verify_fault best_fault;
};

struct rs_verify_result {
	enum rs_verify_reason reason;
	enum rs_verify_policy policy;
	const char *rule;
	struct rs_certlist *skipped;   /* malformed store certificates, not used as anchors */
	char message[512];
	struct rs_certlist *paths[RS_VERIFY_MAX_PATHS];
	size_t n_paths;
	struct rs_certlist *failed;
	long failed_at;
	size_t chain_bytes, work;
	int truncated;
};

const char *rs_verify_reason_code(enum rs_verify_reason r)
{
	return (unsigned)r < RS_ARRAY_LEN(reasoninfo) ? reasoninfo[r].code : "unknown";
}

const char *rs_verify_reason_description(enum rs_verify_reason r)
{
	return (unsigned)r < RS_ARRAY_LEN(reasoninfo) ? reasoninfo[r].description : "unknown reason";
}

/* ---- the certificates of the search ---- */

/* The nodes are indexed by SHA-256 in an open-addressing table (slots hold node index + 1; 0 is empty). */
static size_t hash_slot(const struct search *s, const struct rs_cert *c)
{
	const char *hex = rs_cert_sha256(c);
	size_t h = 0, k;

	for (k = 0; k < 16; k++)
		h = h * 16 + (size_t)(hex[k] <= '9' ? hex[k] - '0' : hex[k] - 'a' + 10);
	return h & (s->slots - 1);
}

static size_t *find_slot(const struct search *s, const struct rs_cert *c)
{
	size_t h = hash_slot(s, c);

	while (s->index[h] && strcmp(rs_cert_sha256(s->nodes[s->index[h] - 1].cert), rs_cert_sha256(c)))
		h = (h + 1) & (s->slots - 1);
	return &s->index[h];
}

/* Adds a certificate once (by SHA-256); a certificate that is also in the store is an anchor. */
static void add_node(struct search *s, struct rs_cert *c, const struct rs_location *loc, int anchor)
{
	size_t *slot = find_slot(s, c);
	struct rs_vnode *v;

	if (*slot) {
		s->nodes[*slot - 1].anchor |= anchor;
		return;
	}
	v = &s->nodes[s->n++];
	memset(v, 0, sizeof(*v));
	v->cert = c;
	v->x = rs_cert_get0_x509(c);
	v->loc = loc;
	v->anchor = anchor;
	v->bad_sig = -1;
	v->other_key = -1;
	*slot = s->n;
}

static void add_list(struct search *s, const struct rs_certlist *l, int anchor)
{
	size_t i;

	for (i = 0; l && i < rs_certlist_count(l); i++)
		add_node(s, rs_certlist_at(l, i), rs_certlist_location(l, i), anchor);
}

/* The store without its malformed certificates (rs_cert_malformed), which go to skipped: a trust anchor that
 * breaks RFC 5280 is reported and not used; the rest of the store is. */
static int add_store(struct search *s, const struct rs_certlist *store, struct rs_certlist *skipped,
		     struct rs_error *err)
{
	size_t i;

	for (i = 0; store && i < rs_certlist_count(store); i++) {
		struct rs_cert *c = rs_certlist_at(store, i);
		if (!rs_cert_malformed(c))
			add_node(s, c, rs_certlist_location(store, i), 1);
		else if (rs_certlist_add(skipped, c, rs_certlist_location(store, i), err) < 0)
			return -1;
	}
	return 0;
}

static void release_nodes(struct search *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->nodes[i].cand);
	free(s->nodes);
	free(s->index);
}

/* ---- candidate issuers ---- */

static int key_ids_agree(X509 *subject, X509 *issuer)
{
	const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(subject);
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(issuer);

	return !aki || !ski || ASN1_OCTET_STRING_cmp(aki, ski) == 0;
}

static int signed_by(X509 *subject, X509 *issuer)
{
	EVP_PKEY *key = X509_get0_pubkey(issuer);

	return key && X509_verify(subject, key) == 1;
}

static int is_candidate(struct search *s, size_t i, size_t j)
{
	X509 *x = s->nodes[i].x, *issuer = s->nodes[j].x;

	if (i == j || X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(issuer)) != 0)
		return 0;
	if (!key_ids_agree(x, issuer)) {
		if (s->nodes[i].other_key < 0 || s->nodes[j].anchor)
			s->nodes[i].other_key = (long)j;
		return 0;
	}
	if (++s->work > s->o->max_work) {
		s->stopped = 1;
		return 0;
	}
	if (signed_by(x, issuer))
		return 1;
	if (s->nodes[i].bad_sig < 0)
		s->nodes[i].bad_sig = (long)j;
	return 0;
}

/* Computes node i's issuers once: anchors first, then the others in input order. */
static int expand(struct search *s, size_t i)
{
	struct rs_vnode *v = &s->nodes[i];
	size_t j;
	int pass;

	if (v->expanded)
		return 0;
	if (!(v->cand = malloc(s->n * sizeof(*v->cand)))) {
		s->nomem = s->stopped = 1;
		return -1;
	}
	for (pass = 1; pass >= 0 && !s->stopped; pass--)
		for (j = 0; j < s->n && !s->stopped; j++)
			if (s->nodes[j].anchor == pass && is_candidate(s, i, j))
				v->cand[v->n_cand++] = j;
	v->expanded = !s->stopped;
	if (s->stopped) {
		free(v->cand);
		v->cand = NULL;
		v->n_cand = 0;
		return -1;
	}
	return 0;
}

/* Loop detection: the same certificate, or the same subject with the same key, is never on a path twice. */
static int on_path(const struct search *s, size_t len, size_t c)
{
	const struct rs_cert *cc = s->nodes[c].cert;
	size_t k;

	for (k = 0; k < len; k++) {
		const struct rs_cert *pc = s->nodes[s->cur.v[k]].cert;
		if (s->cur.v[k] == c || (!strcmp(rs_cert_spki_sha256(pc), rs_cert_spki_sha256(cc)) &&
					 !strcmp(rs_cert_subject(pc), rs_cert_subject(cc))))
			return 1;
	}
	return 0;
}

/* ---- outcomes of paths ---- */

static void record_failure(struct search *s, int rank, size_t len, const struct rs_verify_fault *f)
{
	int better = rank > s->best_rank ||
		     (rank == s->best_rank && (rank == RANK_ANCHORED ? len < s->best.len : len > s->best.len));

	if (!better)
		return;
	s->best_rank = rank;
	s->best = s->cur;
	s->best.len = len;
	s->best_fault = *f;
}

static const char *issuer_cn(X509 *x, char *buf, size_t size)
{
	const X509_NAME *name = X509_get_issuer_name(x);
	int i = -1, last = -1;

	while ((i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0 || X509_NAME_get_text_by_NID(name, NID_commonName, buf, (int)size) < 0)
		X509_NAME_oneline(name, buf, (int)size);
	return buf;
}

static void dead_end(struct search *s, size_t len)
{
	const struct rs_vnode *top = &s->nodes[s->cur.v[len - 1]];
	const char *label = rs_verify_cert_label(top->cert);
	struct rs_verify_fault f = { RS_VERIFY_UNTRUSTED_ROOT, "path.trust-anchor", (long)len - 1, "" };
	char name[256];

	if (top->bad_sig >= 0 && top->n_cand == 0) {
		f.reason = RS_VERIFY_BAD_SIGNATURE;
		f.rule = "path.signature";
		snprintf(f.message, sizeof(f.message), "the signature of '%s' does not verify with the key of '%s'", label,
			 rs_verify_cert_label(s->nodes[top->bad_sig].cert));
		record_failure(s, RANK_BAD_SIGNATURE, len, &f);
		return;
	}
	if (X509_self_signed(top->x, 0) == 1)
		snprintf(f.message, sizeof(f.message), "'%s' is self-signed and not in the trust store", label);
	else if (top->n_cand)
		snprintf(f.message, sizeof(f.message), "every issuer of '%s' leads back into the path (a loop)", label);
	else if (top->other_key >= 0 && s->nodes[top->other_key].anchor)
		snprintf(f.message, sizeof(f.message),
			 "'%s' is issued by '%s'; the trust store has a certificate of that name, with another key", label,
			 issuer_cn(top->x, name, sizeof(name)));
	else
		snprintf(f.message, sizeof(f.message), "'%s' is issued by '%s', which is not in the trust store", label,
			 issuer_cn(top->x, name, sizeof(name)));
	record_failure(s, RANK_DEAD_END, len, &f);
}

static void complete(struct search *s, size_t len)
{
	struct rs_verify_fault f;

	if (rs_verify_check_path(s->nodes, s->cur.v, len, s->chain_bytes, s->o, &f) < 0) {
		record_failure(s, RANK_ANCHORED, len, &f);
		return;
	}
	s->valid[s->n_valid] = s->cur;
	s->valid[s->n_valid].len = len;
	if (++s->n_valid == RS_VERIFY_MAX_PATHS)
		s->stopped = 1;
}

/* Depth first from the top of the current path (cur.v[0..len-1]). */
static void extend(struct search *s, size_t len)
{
	size_t top = s->cur.v[len - 1], k;
	int tried = 0;

	if (s->stopped)
		return;
	if (++s->work > s->o->max_work) {
		s->stopped = 1;
		return;
	}
	if (s->nodes[top].anchor) {
		complete(s, len);
		return;
	}
	if (len == RS_VERIFY_MAX_CERTS) {
		struct rs_verify_fault f = { RS_VERIFY_PATH_TOO_LONG, "path.length", -1, "" };
		snprintf(f.message, sizeof(f.message), "no path of at most %d certificates reaches the trust store",
			 RS_VERIFY_MAX_CERTS);
		record_failure(s, RANK_DEAD_END, len, &f);
		return;
	}
	if (expand(s, top) < 0)
		return;
	for (k = 0; k < s->nodes[top].n_cand && !s->stopped; k++) {
		size_t c = s->nodes[top].cand[k];
		if (on_path(s, len, c))
			continue;
		s->cur.v[len] = c;
		tried = 1;
		extend(s, len + 1);
	}
	if (!tried && !s->stopped)
		dead_end(s, len);
}

/* ---- the result ---- */

static struct rs_certlist *path_list(const struct search *s, const struct ipath *p, struct rs_error *err)
{
	struct rs_certlist *l = rs_certlist_new();
	size_t k;

	if (!l) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	for (k = 0; k < p->len; k++)
		if (rs_certlist_add(l, s->nodes[p->v[k]].cert, s->nodes[p->v[k]].loc, err) < 0) {
			rs_certlist_free(l);
			return NULL;
		}
	return l;
}

/* Stable: paths of equal length keep the order the search found them in. */
static void sort_valid(struct search *s)
{
	size_t i, j;
	struct ipath t;

	for (i = 1; i < s->n_valid; i++) {
		t = s->valid[i];
		for (j = i; j > 0 && s->valid[j - 1].len > t.len; j--)
			s->valid[j] = s->valid[j - 1];
		s->valid[j] = t;
	}
}

static int fill_result(struct rs_verify_result *r, struct search *s, struct rs_error *err)
{
	size_t i;

	r->chain_bytes = s->chain_bytes;
	r->policy = s->o->policy;
	r->rule = "";
	r->work = s->work > s->o->max_work ? s->o->max_work : s->work;
	r->truncated = s->stopped;
	r->failed_at = -1;
	sort_valid(s);
	for (i = 0; i < s->n_valid; i++) {
		if (!(r->paths[i] = path_list(s, &s->valid[i], err)))
			return -1;
		r->n_paths++;
	}
	if (s->n_valid)
		return 0;
	if (s->best_rank != RANK_NONE) {
		if (!(r->failed = path_list(s, &s->best, err)))
			return -1;
		r->failed_at = s->best_fault.at;
	}
	if (s->stopped) {
		r->reason = RS_VERIFY_SEARCH_LIMIT;
		r->rule = "path.work-limit";
		snprintf(r->message, sizeof(r->message), "gave up after %zu steps without a valid path%s%s", r->work,
			 s->best_rank ? "; best failed path: " : "", s->best_rank ? s->best_fault.message : "");
		return 0;
	}
	r->reason = s->best_fault.reason;
	r->rule = s->best_fault.rule ? s->best_fault.rule : "";
	snprintf(r->message, sizeof(r->message), "%s", s->best_fault.message);
	return 0;
}

static int build_nodes(struct search *s, const struct rs_certlist *chain, const struct rs_certlist *untrusted,
		       const struct rs_certlist *store)
{
	size_t i, len;

	size_t total = rs_certlist_count(chain) + rs_certlist_count(untrusted) + rs_certlist_count(store);

	for (i = 0; i < rs_certlist_count(chain); i++) {
		rs_cert_der(rs_certlist_at(chain, i), &len);
		s->chain_bytes += len;
	}
	for (s->slots = 16; s->slots < 2 * total; s->slots *= 2)
		;
	if (!(s->nodes = calloc(total, sizeof(*s->nodes))) || !(s->index = calloc(s->slots, sizeof(*s->index))))
		return -1;
	add_list(s, chain, 0);
	add_list(s, untrusted, 0);
	return 0;
}

struct rs_verify_result *rs_verify(const struct rs_certlist *chain, const struct rs_certlist *untrusted,
				   const struct rs_certlist *store, const struct rs_verify_opts *opts,
				   struct rs_error *err)
{
	struct rs_verify_result *r = NULL;
	struct search *s = NULL;

	if (!chain || !rs_certlist_count(chain) || !opts) {
		rs_fail(err, RS_ERR_USAGE, "no certificate to verify");
		return NULL;
	}
	if (!(s = calloc(1, sizeof(*s))) || !(r = calloc(1, sizeof(*r)))) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto fail;
	}
	s->o = opts;
	if (build_nodes(s, chain, untrusted, store) < 0 || !(r->skipped = rs_certlist_new())) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto fail;
	}
	if (add_store(s, store, r->skipped, err) < 0)
		goto fail;
	s->cur.v[0] = 0;
	ERR_set_mark(); /* the search leaves nothing on OpenSSL's error queue */
	extend(s, 1);
	ERR_pop_to_mark();
	if (s->nomem) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto fail;
	}
	if (fill_result(r, s, err) < 0)
		goto fail;
	release_nodes(s);
	free(s);
	return r;
fail:
	if (s)
		release_nodes(s);
	free(s);
	rs_verify_result_free(r);
	return NULL;
}

void rs_verify_result_free(struct rs_verify_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n_paths; i++)
		rs_certlist_free(r->paths[i]);
	rs_certlist_free(r->failed);
	rs_certlist_free(r->skipped);
	free(r);
}

int rs_verify_result_ok(const struct rs_verify_result *r)
{
	return r->n_paths > 0;
}

enum rs_verify_reason rs_verify_result_reason(const struct rs_verify_result *r)
{
	return r->n_paths ? RS_VERIFY_OK : r->reason;
}

const char *rs_verify_result_message(const struct rs_verify_result *r)
{
	return r->n_paths ? "" : r->message;
}

size_t rs_verify_result_path_count(const struct rs_verify_result *r)
{
	return r->n_paths;
}

const struct rs_certlist *rs_verify_result_path_at(const struct rs_verify_result *r, size_t i)
{
	return i < r->n_paths ? r->paths[i] : NULL;
}

const struct rs_certlist *rs_verify_result_failed_path(const struct rs_verify_result *r, long *at)
{
	if (at)
		*at = r->n_paths ? -1 : r->failed_at;
	return r->n_paths ? NULL : r->failed;
}

size_t rs_verify_result_chain_bytes(const struct rs_verify_result *r)
{
	return r->chain_bytes;
}

size_t rs_verify_result_work(const struct rs_verify_result *r)
{
	return r->work;
}

int rs_verify_result_truncated(const struct rs_verify_result *r)
{
	return r->truncated;
}

const char *rs_verify_result_rule(const struct rs_verify_result *r)
{
	return r->n_paths ? "" : r->rule;
}

enum rs_verify_policy rs_verify_result_policy(const struct rs_verify_result *r)
{
	return r->policy;
}

size_t rs_verify_result_skipped_count(const struct rs_verify_result *r)
{
	return rs_certlist_count(r->skipped);
}

const struct rs_cert *rs_verify_result_skipped_at(const struct rs_verify_result *r, size_t i, const char **reason)
{
	const struct rs_cert *c = i < rs_certlist_count(r->skipped) ? rs_certlist_at(r->skipped, i) : NULL;

	if (reason)
		*reason = c ? rs_cert_malformed(c) : NULL;
	return c;
}

void rs_verify_result_info(const struct rs_verify_result *r, struct rs_verify_info *info)
{
	*info = (struct rs_verify_info){
		.ok = rs_verify_result_ok(r), .reason = rs_verify_result_reason(r),
		.message = rs_verify_result_message(r), .rule = rs_verify_result_rule(r), .policy = r->policy,
		.paths = (const struct rs_certlist *const *)r->paths, .path_count = r->n_paths,
		.chain_bytes = r->chain_bytes, .work = r->work, .truncated = r->truncated, .skipped = r->skipped,
	};
	info->failed_path = rs_verify_result_failed_path(r, &info->failed_at);
}
