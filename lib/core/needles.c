/*
 * needles.c: every occurrence of many needles in one pass over a buffer. Each needle is anchored on one of its
 * bytes, chosen with a table of byte frequencies in C source so that the set of anchor bytes stays small and rare;
 * the pass marks every position that holds an anchor byte (SSE2: sixteen bytes at a time, one compare per anchor
 * byte; elsewhere a byte at a time) and checks each mark against the needles anchored on that byte.
 */
#include "internal.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Occurrences of printable ASCII in 10,000 bytes of C headers (/usr/include); other bytes count as FREQ_OTHER. */
static const unsigned short freq[95] = {
	1528, 2,   12,  54,  1,   1,   7,   6,   125, 125, 145, 3,   106, 52,  47,  89,  /* ' ' to '/' */
	69,   55,  33,  21,  12,  31,  14,  8,   15,  29,  20,  51,  13,  15,  12,  1,   /* '0' to '?' */
	5,    110, 44,  110, 57,  170, 46,  43,  19,  124, 5,   26,  112, 54,  126, 118, /* '@' to 'O' */
	97,   5,   109, 211, 136, 40,  26,  8,   50,  18,  5,   4,   11,  4,   1,   502, /* 'P' to '_' */
	1,    255, 59,  231, 202, 594, 154, 77,  115, 330, 4,   91,  184, 106, 358, 271, /* '`' to 'o' */
	154,  7,   268, 361, 433, 130, 57,  32,  52,  71,  10,  11,  3,   11,  1,        /* 'p' to '~' */
};
#define FREQ_OTHER 50
#define ANCHOR_COST 80 /* one more compare a block costs about as much as checking this many marks */

static unsigned frequency(unsigned char c)
{
	return c >= 0x20 && c < 0x7f ? freq[c - 0x20] : c == '\n' ? 240 : FREQ_OTHER;
}

/* What the anchors cost when needle k is anchored at byte j: their frequencies plus a price for each. */
static unsigned long anchors_cost(const struct rs_needles *nd, size_t k, size_t j)
{
	unsigned char used[256];
	unsigned long cost = 0;
	size_t i;

	memset(used, 0, sizeof(used));
	for (i = 0; i < nd->n; i++) {
		unsigned char c = (unsigned char)nd->s[i][i == k ? j : nd->off[i]];
		if (!used[c]) {
			used[c] = 1;
			cost += frequency(c) + ANCHOR_COST;
		}
	}
	return cost;
}

/* The cost of every anchor byte now chosen. */
static unsigned long total_cost(const struct rs_needles *nd)
{
	return nd->n ? anchors_cost(nd, 0, nd->off[0]) : 0;
}

/*
 * Anchoring needle by needle stops at a local best (two needles share a common byte because each finds it already
 * taken): try doing without each anchor byte, moving its needles to their cheapest other byte, and keep what costs
 * less.
 */
static void drop_anchors(struct rs_needles *nd)
{
	size_t k, j, i, saved[RS_NEEDLES_MAX];
	int better = 1;

	while (better) {
		better = 0;
		for (i = 0; i < nd->n && !better; i++) {
			unsigned char c = (unsigned char)nd->s[i][nd->off[i]];
			unsigned long before = total_cost(nd);
			memcpy(saved, nd->off, sizeof(saved));
			for (k = 0; k < nd->n; k++) {
				unsigned long best = (unsigned long)-1, cost;
				if ((unsigned char)nd->s[k][nd->off[k]] != c)
					continue;
				for (j = 0; j < nd->len[k]; j++)
					if ((unsigned char)nd->s[k][j] != c && (cost = anchors_cost(nd, k, j)) < best) {
						best = cost;
						nd->off[k] = j;
					}
			}
			if (total_cost(nd) < before)
				better = 1;
			else
				memcpy(nd->off, saved, sizeof(saved));
		}
	}
}

int rs_needles_init(struct rs_needles *nd, const char *const *needles, size_t n)
{
	size_t k, j, round;

	memset(nd, 0, sizeof(*nd));
	if (n > RS_NEEDLES_MAX)
		return -1;
	nd->n = n;
	for (k = 0; k < n; k++) {
		nd->s[k] = needles[k];
		nd->len[k] = strlen(needles[k]);
		if (nd->len[k] == 0)
			return -1;
		for (j = 1; j < nd->len[k]; j++) /* first its own rarest byte */
			if (frequency((unsigned char)needles[k][j]) < frequency((unsigned char)needles[k][nd->off[k]]))
				nd->off[k] = j;
	}
	for (round = 0; round < 4; round++) /* then share anchors where that costs less */
		for (k = 0; k < n; k++) {
			unsigned long best = anchors_cost(nd, k, nd->off[k]), c;
			for (j = 0; j < nd->len[k]; j++)
				if ((c = anchors_cost(nd, k, j)) < best) {
					best = c;
					nd->off[k] = j;
				}
		}
	drop_anchors(nd);
	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)nd->s[k][nd->off[k]];
		size_t slot;
		if (!nd->on[c]) {
			if (nd->nanchors == RS_NEEDLES_ANCHORS)
				return -1;
			nd->slot[c] = (unsigned char)nd->nanchors;
			nd->anchor[nd->nanchors++] = c;
		}
		nd->on[c] |= 1ull << k;
		slot = nd->slot[c];
		if (nd->off[k] + 1 < nd->len[k]) {
			unsigned char f = (unsigned char)nd->s[k][nd->off[k] + 1];
			nd->next[slot][f >> 6] |= 1ull << (f & 63);
		} else {
			nd->next[slot][0] = nd->next[slot][1] = nd->next[slot][2] = nd->next[slot][3] = ~0ull;
		}
	}
	for (k = 0; k < n; k++) { /* a second byte to look at before comparing the whole needle: its rarest other */
		nd->second[k] = nd->off[k] ? 0 : nd->len[k] - 1;
		for (j = 0; j < nd->len[k]; j++)
			if (j != nd->off[k] && frequency((unsigned char)nd->s[k][j]) <
						  frequency((unsigned char)nd->s[k][nd->second[k]]))
				nd->second[k] = j;
	}
	return 0;
}

static unsigned lowest_bit(uint64_t m)
{
	unsigned i = 0;

#if defined(__GNUC__)
	i = (unsigned)__builtin_ctzll(m);
#else
	while (!(m & 1)) {
		m >>= 1;
		i++;
	}
#endif
	return i;
}

/* The needles anchored on the byte at `at` that occur there. */
static inline int check(const struct rs_needles *nd, const unsigned char *buf, size_t len, size_t at, rs_needle_fn fn,
		 void *arg)
{
	uint64_t m = nd->on[buf[at]];
	const uint64_t *next = nd->next[nd->slot[buf[at]]];

	if (at + 1 < len && !(next[buf[at + 1] >> 6] >> (buf[at + 1] & 63) & 1))
		return 0; /* no needle anchored here has this byte after its anchor */
	while (m) {
		unsigned k = lowest_bit(m);
		size_t off = nd->off[k], n = nd->len[k];
		m &= m - 1;
		if (at < off || n > len || at - off > len - n)
			continue;
		if (buf[at - off + nd->second[k]] == (unsigned char)nd->s[k][nd->second[k]] &&
		    !memcmp(buf + at - off, nd->s[k], n) && fn(arg, k, at - off) < 0)
			return -1;
	}
	return 0;
}

static int scan_plain_from(const struct rs_needles *nd, const unsigned char *buf, size_t len, size_t i,
			   rs_needle_fn fn, void *arg)
{
	for (; i < len; i++)
		if (nd->on[buf[i]] && check(nd, buf, len, i, fn, arg) < 0)
			return -1;
	return 0;
}

int rs_needles_scan_plain(const struct rs_needles *nd, const unsigned char *buf, size_t len, rs_needle_fn fn,
			  void *arg)
{
	return scan_plain_from(nd, buf, len, 0, fn, arg);
}

#if defined(__SSE2__)
/* The positions in the 16 bytes at p that hold one of the (padded) anchor bytes, as bits. */
static unsigned marks16(const unsigned char *p, const __m128i *a)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p), m0, m1, m2, m3;

#define EQ(k) _mm_cmpeq_epi8(v, a[k])
	m0 = _mm_or_si128(_mm_or_si128(EQ(0), EQ(1)), _mm_or_si128(EQ(2), EQ(3)));
	m1 = _mm_or_si128(_mm_or_si128(EQ(4), EQ(5)), _mm_or_si128(EQ(6), EQ(7)));
	m2 = _mm_or_si128(_mm_or_si128(EQ(8), EQ(9)), _mm_or_si128(EQ(10), EQ(11)));
	m3 = _mm_or_si128(_mm_or_si128(EQ(12), EQ(13)), _mm_or_si128(EQ(14), EQ(15)));
#undef EQ
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(m0, m1), _mm_or_si128(m2, m3)));
}

int rs_needles_scan(const struct rs_needles *nd, const unsigned char *buf, size_t len, rs_needle_fn fn, void *arg)
{
	__m128i a[RS_NEEDLES_ANCHORS];
	size_t i = 0, k;

	if (!nd->nanchors)
		return 0;
	for (k = 0; k < RS_NEEDLES_ANCHORS; k++) /* unused slots repeat the first anchor */
		a[k] = _mm_set1_epi8((char)nd->anchor[k < nd->nanchors ? k : 0]);
	for (; len >= 32 && i <= len - 32; i += 32) {
		uint64_t mask = marks16(buf + i, a) | (uint64_t)marks16(buf + i + 16, a) << 16;
		while (mask) {
			size_t at = i + lowest_bit(mask);
			mask &= mask - 1;
			if (check(nd, buf, len, at, fn, arg) < 0)
				return -1;
		}
	}
	return scan_plain_from(nd, buf, len, i, fn, arg);
}
#else
int rs_needles_scan(const struct rs_needles *nd, const unsigned char *buf, size_t len, rs_needle_fn fn, void *arg)
{
	return scan_plain_from(nd, buf, len, 0, fn, arg);
}
#endif
