/* certlist.c: a list of certificates with where each was found. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct entry {
	struct rs_cert *cert;
	struct rs_location loc;
};

struct rs_certlist {
	struct entry *v;
	size_t n, cap;
};

struct rs_certlist *rs_certlist_new(void)
{
	return calloc(1, sizeof(struct rs_certlist));
}

void rs_certlist_free(struct rs_certlist *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		rs_cert_free(l->v[i].cert);
		free((char *)l->v[i].loc.path);
	}
	free(l->v);
	free(l);
}

size_t rs_certlist_count(const struct rs_certlist *l)
{
	return l ? l->n : 0;
}

struct rs_cert *rs_certlist_at(const struct rs_certlist *l, size_t i)
{
	return i < l->n ? l->v[i].cert : NULL;
}

const struct rs_location *rs_certlist_location(const struct rs_certlist *l, size_t i)
{
	return i < l->n ? &l->v[i].loc : NULL;
}

int rs_certlist_add(struct rs_certlist *l, struct rs_cert *cert, const struct rs_location *loc, struct rs_error *err)
{
	struct entry *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct entry *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return rs_fail(err, RS_ERR_NOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	e = &l->v[l->n];
	memset(e, 0, sizeof(*e));
	if (loc) {
		e->loc = *loc;
		e->loc.path = rs_strdup(loc->path ? loc->path : "");
		if (!e->loc.path)
			return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	}
	e->cert = rs_cert_up_ref(cert);
	l->n++;
	return 0;
}
