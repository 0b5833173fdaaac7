/* time.c: RFC 3339 times without the C library's time zone machinery (gmtime and friends are banned). */
#include "internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date: the "days from civil" algorithm (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

rs_time rs_time_from_civil(int64_t year, int month, int day, int hour, int min, int sec)
{
	return days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
}

char *rs_time_format(rs_time t, char *buf, size_t size)
{
	int64_t days = t / 86400, rem = t % 86400, y;
	int m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d, (int)(rem / 3600),
		 (int)(rem / 60 % 60), (int)(rem % 60));
	return buf;
}

/* Reads exactly n digits at *p. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	while (n--) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return 0;
}

static int expect(const char **p, const char *chars)
{
	if (!**p || !strchr(chars, **p))
		return -1;
	(*p)++;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

static int parse_offset(const char **p, int *offset)
{
	int sign, oh, om;

	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		*offset = 0;
		return 0;
	}
	if (**p != '+' && **p != '-')
		return -1;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (digits(p, 2, &oh) < 0 || expect(p, ":") < 0 || digits(p, 2, &om) < 0 || oh > 23 || om > 59)
		return -1;
	*offset = sign * (oh * 3600 + om * 60);
	return 0;
}

static int parse_clock(const char **p, int *h, int *mi, int *s, int *offset)
{
	if (digits(p, 2, h) < 0 || expect(p, ":") < 0 || digits(p, 2, mi) < 0 || expect(p, ":") < 0 ||
	    digits(p, 2, s) < 0)
		return -1;
	if (**p == '.') {
		(*p)++;
		if (!isdigit((unsigned char)**p))
			return -1;
		while (isdigit((unsigned char)**p))
			(*p)++;
	}
	if (*h > 23 || *mi > 59 || *s > 60)
		return -1;
	return parse_offset(p, offset);
}

int rs_time_parse(const char *text, rs_time *out, struct rs_error *err)
{
	const char *p = text;
	int y, mo, d, h = 0, mi = 0, s = 0, offset = 0;

	if (!text || digits(&p, 4, &y) < 0 || expect(&p, "-") < 0 || digits(&p, 2, &mo) < 0 ||
	    expect(&p, "-") < 0 || digits(&p, 2, &d) < 0)
		goto bad;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		goto bad;
	if (*p && (expect(&p, "Tt ") < 0 || parse_clock(&p, &h, &mi, &s, &offset) < 0))
		goto bad;
	if (*p)
		goto bad;
	if (s == 60)
		s = 59;
	*out = rs_time_from_civil(y, mo, d, h, mi, s) - offset;
	return 0;
bad:
	return rs_fail(err, RS_ERR_USAGE, "invalid time '%s': expected RFC 3339, e.g. 2025-05-12T23:59:00Z",
		       text ? text : "");
}

int rs_time_from_asn1(const ASN1_TIME *t, rs_time *out)
{
	struct tm tm;

	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return -1;
	*out = rs_time_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
				  tm.tm_sec);
	return 0;
}

int rs_duration_parse(const char *text, rs_time *seconds, struct rs_error *err)
{
	/* "m" alone would be minutes to some and months to others (6m before a certificate expires): it is refused,
	 * "min" and "mo" say which; a month is 30 days, a year 365 */
	static const struct {
		const char *unit;
		rs_time mult;
	} units[] = { { "s", 1 },	  { "min", 60 },	     { "h", 3600 },	    { "d", 86400 },
		      { "w", 7 * 86400 }, { "mo", 30 * 86400 }, { "y", 365 * 86400 } };
	const char *p = text;
	rs_time n = 0, mult = 0;
	size_t i;

	if (!text || !isdigit((unsigned char)*p))
		return rs_fail(err, RS_ERR_USAGE, "invalid duration '%s': give a number and a unit, as 90d or 12h",
			       text ? text : "");
	for (; isdigit((unsigned char)*p) && n <= 100LL * 365 * 86400; p++)
		n = n * 10 + (*p - '0');
	if (!strcmp(p, "m"))
		return rs_fail(err, RS_ERR_USAGE, "invalid duration '%s': 'm' could be minutes or months; write %.*smo for "
			       "months or %.*smin for minutes", text, (int)(p - text), text, (int)(p - text), text);
	for (i = 0; i < sizeof(units) / sizeof(units[0]) && !mult; i++)
		if (!strcmp(p, units[i].unit))
			mult = units[i].mult;
	if (!mult || n > 100LL * 365 * 86400 / mult)
		return rs_fail(err, RS_ERR_USAGE, "invalid duration '%s': give a number and a unit (s, min, h, d, w, mo, y) "
			       "up to 100 years, as 90d, 6mo or 12h", text);
	*seconds = n * mult;
	return 0;
}
