/*
 * needles.c: every occurrence of many needles in one pass over a buffer. Each needle is anchored on one of its
 * bytes, chosen with a table of byte frequencies in C source so that the set of anchor bytes stays small and rare;
 * the pass marks every position that holds an anchor byte (SSE2: sixteen bytes at a time, one compare per anchor
 * byte; elsewhere a byte at a time) and checks each mark against the needles anchored on that byte. Where the CPU
 * has AVX2 (checked at run time), a nibble-bucket filter over four bytes of each needle takes the marks' place: it
 * costs the same for any number of needles and lets through far fewer positions of source text.
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
/*
 * The price of an anchor, in hundredths of an instruction a 16-byte block: a compare and an or (a byte), two
 * compares, an and and an or (a pair), plus the marks it makes (about 40 instructions each, 16 positions a block).
 */
#define SINGLE_COST 200
#define PAIR_COST 400
#define MARK_COST 6 /* per occurrence in 10,000 bytes */

unsigned rs_byte_frequency(unsigned char c)
{
	return c >= 0x20 && c < 0x7f ? freq[c - 0x20] : c == '\n' ? 240 : FREQ_OTHER;
}

#define frequency rs_byte_frequency

/* Occurrences in 10,000 bytes of the pair ab, guessed from its bytes' (pairs in text are not independent). */
static unsigned pair_frequency(unsigned char a, unsigned char b)
{
	return frequency(a) * frequency(b) * 4 / 10000;
}

/* Needle k's anchor when it is option o: o < len is the byte at o, else the pair at o - len. */
static int is_pair(const struct rs_needles *nd, size_t k, size_t o)
{
	return o >= nd->len[k];
}

static size_t anchor_at(const struct rs_needles *nd, size_t k, size_t o)
{
	return is_pair(nd, k, o) ? o - nd->len[k] : o;
}

static size_t options(const struct rs_needles *nd, size_t k)
{
	return 2 * nd->len[k] - 1; /* every byte, every pair */
}

/* What the anchors cost when needle k takes option o and the others keep theirs. */
static unsigned long anchors_cost(const struct rs_needles *nd, const size_t *opt, size_t k, size_t o)
{
	uint64_t used[4] = { 0, 0, 0, 0 };
	unsigned pairs[RS_NEEDLES_MAX];
	unsigned long cost = 0;
	size_t i, j, np = 0;

	for (i = 0; i < nd->n; i++) {
		size_t oi = i == k ? o : opt[i], at = anchor_at(nd, i, oi);
		unsigned char a = (unsigned char)nd->s[i][at];
		if (!is_pair(nd, i, oi)) {
			if (!(used[a >> 6] >> (a & 63) & 1)) {
				used[a >> 6] |= 1ull << (a & 63);
				cost += SINGLE_COST + MARK_COST * frequency(a);
			}
			continue;
		}
		{
			unsigned char b = (unsigned char)nd->s[i][at + 1];
			unsigned key = (unsigned)a << 8 | b;
			for (j = 0; j < np && pairs[j] != key; j++)
				;
			if (j == np) {
				pairs[np++] = key;
				cost += PAIR_COST + MARK_COST * pair_frequency(a, b);
			}
		}
	}
	return cost;
}

/* Each needle in turn takes its cheapest option given the others', until nothing gets cheaper. */
static void choose(const struct rs_needles *nd, size_t *opt)
{
	size_t k, o, round;
	int better = 1;

	for (round = 0; round < 8 && better; round++) {
		better = 0;
		for (k = 0; k < nd->n; k++) {
			unsigned long best = anchors_cost(nd, opt, k, opt[k]), c;
			for (o = 0; o < options(nd, k); o++)
				if ((c = anchors_cost(nd, opt, k, o)) < best) {
					best = c;
					opt[k] = o;
					better = 1;
				}
		}
	}
}

/*
 * Needle by needle stops at a local best (two needles keep a common anchor because each finds it taken): try doing
 * without each anchor in use, moving its needles to their cheapest other option, and keep what costs less.
 */
static void drop_anchors(const struct rs_needles *nd, size_t *opt)
{
	size_t k, i, o, saved[RS_NEEDLES_MAX];
	int better = 1;

	while (better) {
		better = 0;
		for (i = 0; i < nd->n && !better; i++) {
			size_t oi = opt[i], ai = anchor_at(nd, i, oi);
			unsigned long before;
			for (k = 0; k < i; k++) /* each anchor once: the first needle on it stands for it */
				if (is_pair(nd, k, opt[k]) == is_pair(nd, i, oi) &&
				    nd->s[k][anchor_at(nd, k, opt[k])] == nd->s[i][ai] &&
				    (!is_pair(nd, k, opt[k]) || nd->s[k][anchor_at(nd, k, opt[k]) + 1] == nd->s[i][ai + 1]))
					break;
			if (k < i)
				continue;
			before = anchors_cost(nd, opt, 0, opt[0]);
			memcpy(saved, opt, sizeof(saved));
			for (k = 0; k < nd->n; k++) {
				unsigned long best = (unsigned long)-1, c;
				size_t ak = anchor_at(nd, k, opt[k]);
				if (is_pair(nd, k, opt[k]) != is_pair(nd, i, oi) || nd->s[k][ak] != nd->s[i][ai] ||
				    (is_pair(nd, k, opt[k]) && nd->s[k][ak + 1] != nd->s[i][ai + 1]))
					continue; /* not on the anchor being dropped */
				for (o = 0; o < options(nd, k); o++) {
					size_t a = anchor_at(nd, k, o);
					if (is_pair(nd, k, o) == is_pair(nd, i, oi) && nd->s[k][a] == nd->s[i][ai] &&
					    (!is_pair(nd, k, o) || nd->s[k][a + 1] == nd->s[i][ai + 1]))
						continue;
					if ((c = anchors_cost(nd, saved, k, o)) < best) {
						best = c;
						opt[k] = o;
					}
				}
			}
			if (anchors_cost(nd, opt, 0, opt[0]) < before)
				better = 1;
			else
				memcpy(opt, saved, sizeof(saved));
		}
	}
}

/* Puts needle k on its anchor: a byte, or a pair. */
static int place(struct rs_needles *nd, size_t k, size_t o)
{
	size_t at = anchor_at(nd, k, o), i;
	unsigned char a = (unsigned char)nd->s[k][at];

	nd->off[k] = at;
	if (is_pair(nd, k, o)) {
		unsigned char b = (unsigned char)nd->s[k][at + 1];
		for (i = 0; i < nd->npairs && (nd->pair[i][0] != a || nd->pair[i][1] != b); i++)
			;
		if (i == nd->npairs) {
			if (nd->npairs == RS_NEEDLES_PAIRS)
				return -1;
			nd->pair[nd->npairs][0] = a;
			nd->pair[nd->npairs++][1] = b;
		}
	} else {
		for (i = 0; i < nd->nanchors && nd->anchor[i] != a; i++)
			;
		if (i == nd->nanchors) {
			if (nd->nanchors == RS_NEEDLES_ANCHORS)
				return -1;
			nd->anchor[nd->nanchors++] = a;
		}
	}
	nd->on[a] |= 1ull << k;
	if (at + 1 < nd->len[k]) {
		unsigned char f = (unsigned char)nd->s[k][at + 1];
		nd->next[a][f >> 6] |= 1ull << (f & 63);
	} else {
		nd->next[a][0] = nd->next[a][1] = nd->next[a][2] = nd->next[a][3] = ~0ull;
	}
	return 0;
}

/*
 * The AVX2 filter (the idea of Hyperscan's Teddy): each needle goes to one of eight buckets with a window of
 * RS_NEEDLES_TEDDY of its bytes (any byte past its end). A position passes for a bucket when each byte from it has
 * a low nibble and a high nibble that a needle of the bucket has at that place of its window; so every window of an
 * occurrence passes, and the bucket's needles are then compared whole. Needle by needle, the window and the bucket
 * are chosen so that the rate at which the buckets pass text, guessed from byte frequencies (a bucket's nibbles also
 * let through the bytes that mix them), grows the least.
 */
struct teddy_state {
	uint16_t lo[8][RS_NEEDLES_TEDDY], hi[8][RS_NEEDLES_TEDDY]; /* each bucket's nibbles at each place */
	unsigned long sum[8][RS_NEEDLES_TEDDY];                     /* the frequency of the bytes they let through */
	int used[8];
};

static unsigned long nibbles_sum(uint16_t lo, uint16_t hi)
{
	unsigned long s = 0;
	unsigned l, h;

	for (l = 0; l < 16; l++)
		for (h = 0; h < 16 && lo >> l & 1; h++)
			if (hi >> h & 1)
				s += frequency((unsigned char)(h << 4 | l));
	return s;
}

/* The sum when byte c (or any byte, c < 0) joins a place with nibbles lo and hi and sum s. */
static unsigned long sum_with(uint16_t lo, uint16_t hi, unsigned long s, int c)
{
	unsigned l = (unsigned)c & 15, h = (unsigned)c >> 4, x;
	int newl, newh;

	if (c < 0)
		return nibbles_sum(0xffff, 0xffff);
	newl = !(lo >> l & 1);
	newh = !(hi >> h & 1);
	for (x = 0; x < 16 && newl; x++)
		if (hi >> x & 1)
			s += frequency((unsigned char)(x << 4 | l));
	for (x = 0; x < 16 && newh; x++)
		if (lo >> x & 1)
			s += frequency((unsigned char)(h << 4 | x));
	if (newl && newh)
		s += frequency((unsigned char)c);
	return s;
}

/* Byte j of needle k's window at w, or -1 past its end. */
static int window_byte(const struct rs_needles *nd, size_t k, size_t w, size_t j)
{
	return w + j < nd->len[k] ? (unsigned char)nd->s[k][w + j] : -1;
}

static double bucket_rate(const unsigned long *sum)
{
	double r = 1;
	size_t j;

	for (j = 0; j < RS_NEEDLES_TEDDY; j++)
		r *= sum[j] / 10000.0;
	return r;
}

static void teddy_place(struct rs_needles *nd, struct teddy_state *st, size_t k, size_t w, unsigned b)
{
	size_t j;

	for (j = 0; j < RS_NEEDLES_TEDDY; j++) {
		int c = window_byte(nd, k, w, j);
		unsigned x;
		st->sum[b][j] = sum_with(st->lo[b][j], st->hi[b][j], st->sum[b][j], c);
		st->lo[b][j] |= c < 0 ? 0xffff : (uint16_t)(1u << (c & 15));
		st->hi[b][j] |= c < 0 ? 0xffff : (uint16_t)(1u << (c >> 4));
		for (x = 0; x < 16; x++) {
			if (st->lo[b][j] >> x & 1)
				nd->teddy[j][0][x] |= (unsigned char)(1u << b);
			if (st->hi[b][j] >> x & 1)
				nd->teddy[j][1][x] |= (unsigned char)(1u << b);
		}
	}
	st->used[b] = 1;
	nd->tw[k] = w;
	nd->bucket[b] |= 1ull << k;
}

static void teddy_init(struct rs_needles *nd)
{
	struct teddy_state st;
	size_t k, w, j;

	memset(&st, 0, sizeof(st));
	for (k = 0; k < nd->n; k++) {
		size_t windows = nd->len[k] > RS_NEEDLES_TEDDY ? nd->len[k] - RS_NEEDLES_TEDDY + 1 : 1, best_w = 0;
		unsigned b, best_b = 0;
		double least = -1;
		for (w = 0; w < windows; w++)
			for (b = 0; b < 8; b++) {
				unsigned long sum[RS_NEEDLES_TEDDY];
				double grown;
				for (j = 0; j < RS_NEEDLES_TEDDY; j++)
					sum[j] = sum_with(st.lo[b][j], st.hi[b][j], st.sum[b][j], window_byte(nd, k, w, j));
				grown = bucket_rate(sum) - (st.used[b] ? bucket_rate(st.sum[b]) : 0);
				if (least < 0 || grown < least) {
					least = grown;
					best_w = w;
					best_b = b;
				}
			}
		teddy_place(nd, &st, k, best_w, best_b);
	}
	for (k = 0; k < nd->n; k++)
		for (j = 0; j < 2; j++) {
			int c = window_byte(nd, k, nd->tw[k], j);
			for (w = 0; w < 256; w++)
				if (c < 0 || (size_t)c == w)
					nd->wb[j][w] |= 1ull << k;
		}
}

int rs_needles_init(struct rs_needles *nd, const char *const *needles, size_t n)
{
	size_t k, j, opt[RS_NEEDLES_MAX];

	memset(nd, 0, sizeof(*nd));
	if (n > RS_NEEDLES_MAX)
		return -1;
	nd->n = n;
	for (k = 0; k < n; k++) {
		nd->s[k] = needles[k];
		nd->len[k] = strlen(needles[k]);
		if (nd->len[k] == 0)
			return -1;
		opt[k] = 0;
		for (j = 1; j < nd->len[k]; j++) /* first its own rarest byte */
			if (frequency((unsigned char)needles[k][j]) < frequency((unsigned char)needles[k][opt[k]]))
				opt[k] = j;
	}
	choose(nd, opt);
	drop_anchors(nd, opt);
	for (k = 0; k < n; k++)
		if (place(nd, k, opt[k]) < 0)
			return -1;
	for (k = 0; k < n; k++) { /* a second byte to look at before comparing the whole needle: its rarest other */
		nd->second[k] = nd->off[k] ? 0 : nd->len[k] - 1;
		for (j = 0; j < nd->len[k]; j++)
			if (j != nd->off[k] && frequency((unsigned char)nd->s[k][j]) <
						  frequency((unsigned char)nd->s[k][nd->second[k]]))
				nd->second[k] = j;
	}
	teddy_init(nd);
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
	const uint64_t *next = nd->next[buf[at]];

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
#define LOAD(p) _mm_loadu_si128((const __m128i *)(const void *)(p))

/* The positions in the 64 bytes at p that start one of the anchors, as bits (p[64] is read too). */
static uint64_t marks64(const unsigned char *p, const __m128i *a, size_t na, const __m128i *pa, const __m128i *pb,
			size_t np)
{
	__m128i v0 = LOAD(p), v1 = LOAD(p + 16), v2 = LOAD(p + 32), v3 = LOAD(p + 48);
	__m128i m0 = _mm_setzero_si128(), m1 = m0, m2 = m0, m3 = m0;
	size_t k;

	for (k = 0; k < na; k++) { /* a compare an anchor byte */
		m0 = _mm_or_si128(m0, _mm_cmpeq_epi8(v0, a[k]));
		m1 = _mm_or_si128(m1, _mm_cmpeq_epi8(v1, a[k]));
		m2 = _mm_or_si128(m2, _mm_cmpeq_epi8(v2, a[k]));
		m3 = _mm_or_si128(m3, _mm_cmpeq_epi8(v3, a[k]));
	}
	if (np) { /* two an anchor pair: its first byte here, its second in the next position */
		__m128i w0 = LOAD(p + 1), w1 = LOAD(p + 17), w2 = LOAD(p + 33), w3 = LOAD(p + 49);
		for (k = 0; k < np; k++) {
			m0 = _mm_or_si128(m0, _mm_and_si128(_mm_cmpeq_epi8(v0, pa[k]), _mm_cmpeq_epi8(w0, pb[k])));
			m1 = _mm_or_si128(m1, _mm_and_si128(_mm_cmpeq_epi8(v1, pa[k]), _mm_cmpeq_epi8(w1, pb[k])));
			m2 = _mm_or_si128(m2, _mm_and_si128(_mm_cmpeq_epi8(v2, pa[k]), _mm_cmpeq_epi8(w2, pb[k])));
			m3 = _mm_or_si128(m3, _mm_and_si128(_mm_cmpeq_epi8(v3, pa[k]), _mm_cmpeq_epi8(w3, pb[k])));
		}
	}
	return (uint64_t)(unsigned)_mm_movemask_epi8(m0) | (uint64_t)(unsigned)_mm_movemask_epi8(m1) << 16 |
	       (uint64_t)(unsigned)_mm_movemask_epi8(m2) << 32 | (uint64_t)(unsigned)_mm_movemask_epi8(m3) << 48;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define RS_AVX2 1
#define LOAD32(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))

/*
 * The needles of the buckets in bits whose window starts at i, compared whole. A bucket holds several needles and
 * its nibbles let through far more than they: only those whose window's first two bytes are at i (wb) are compared.
 */
static int teddy_verify(const struct rs_needles *nd, const unsigned char *buf, size_t len, size_t i, unsigned bits,
			rs_needle_fn fn, void *arg)
{
	uint64_t at_i = nd->wb[0][buf[i]] & (i + 1 < len ? nd->wb[1][buf[i + 1]] : ~0ull);

	while (bits) {
		uint64_t m = nd->bucket[lowest_bit(bits)] & at_i;
		bits &= bits - 1;
		while (m) {
			unsigned k = lowest_bit(m);
			size_t w = nd->tw[k], n = nd->len[k];
			m &= m - 1;
			if (i < w || n > len || i - w > len - n)
				continue;
			if (buf[i - w] == (unsigned char)nd->s[k][0] && !memcmp(buf + i - w, nd->s[k], n) &&
			    fn(arg, k, i - w) < 0)
				return -1;
		}
	}
	return 0;
}

/* The filter a byte at a time, from i to the end (bytes past the end let every bucket through). */
static int teddy_tail(const struct rs_needles *nd, const unsigned char *buf, size_t len, size_t i, rs_needle_fn fn,
		      void *arg)
{
	size_t j;

	for (; i < len; i++) {
		unsigned bits = 0xff;
		for (j = 0; j < RS_NEEDLES_TEDDY && i + j < len; j++)
			bits &= (unsigned)nd->teddy[j][0][buf[i + j] & 15] & nd->teddy[j][1][buf[i + j] >> 4];
		if (bits && teddy_verify(nd, buf, len, i, bits, fn, arg) < 0)
			return -1;
	}
	return 0;
}

/*
 * The AVX2 path: the buckets' filter at 32 positions a step (two table lookups a byte of the window, and a few
 * ands), the bucket's needles compared where it passes. Chosen at run time where the CPU has AVX2; the same calls
 * for each needle, in the same order, as the other paths.
 */
__attribute__((target("avx2"))) static int scan_avx2(const struct rs_needles *nd, const unsigned char *buf, size_t len,
						    rs_needle_fn fn, void *arg)
{
	__m256i lo[RS_NEEDLES_TEDDY], hi[RS_NEEDLES_TEDDY];
	const __m256i nib = _mm256_set1_epi8(0x0f), zero = _mm256_setzero_si256();
	unsigned char bits[32];
	size_t i = 0, j;

	for (j = 0; j < RS_NEEDLES_TEDDY; j++) {
		lo[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)nd->teddy[j][0]));
		hi[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)nd->teddy[j][1]));
	}
	for (; len >= 32 + RS_NEEDLES_TEDDY - 1 && i <= len - (32 + RS_NEEDLES_TEDDY - 1); i += 32) {
		__m256i r = _mm256_set1_epi8(-1);
		unsigned mask;
		for (j = 0; j < RS_NEEDLES_TEDDY; j++) {
			__m256i v = LOAD32(buf + i + j);
			__m256i l = _mm256_shuffle_epi8(lo[j], _mm256_and_si256(v, nib));
			__m256i h = _mm256_shuffle_epi8(hi[j], _mm256_and_si256(_mm256_srli_epi16(v, 4), nib));
			r = _mm256_and_si256(r, _mm256_and_si256(l, h));
		}
		mask = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r, zero));
		if (!mask)
			continue;
		_mm256_storeu_si256((__m256i *)(void *)bits, r);
		while (mask) {
			unsigned at = lowest_bit(mask);
			mask &= mask - 1;
			if (teddy_verify(nd, buf, len, i + at, bits[at], fn, arg) < 0)
				return -1;
		}
	}
	return teddy_tail(nd, buf, len, i, fn, arg);
}
#endif

int rs_needles_scan(const struct rs_needles *nd, const unsigned char *buf, size_t len, rs_needle_fn fn, void *arg)
{
	__m128i a[RS_NEEDLES_ANCHORS], pa[RS_NEEDLES_PAIRS], pb[RS_NEEDLES_PAIRS];
	size_t na = nd->nanchors, np = nd->npairs, i = 0, k;

#ifdef RS_AVX2
	if (__builtin_cpu_supports("avx2"))
		return scan_avx2(nd, buf, len, fn, arg);
#endif
	for (k = 0; k < na; k++)
		a[k] = _mm_set1_epi8((char)nd->anchor[k]);
	for (k = 0; k < np; k++) {
		pa[k] = _mm_set1_epi8((char)nd->pair[k][0]);
		pb[k] = _mm_set1_epi8((char)nd->pair[k][1]);
	}
	for (; len >= 65 && i <= len - 65; i += 64) {
		uint64_t mask = marks64(buf + i, a, na, pa, pb, np);
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
