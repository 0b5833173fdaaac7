/* report.c: the rehearsal as one self-contained HTML page: an inline SVG chart of connected devices per class over
 * virtual time with the switches marked, and a table per phase. No scripts, no external assets. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"

struct out {
	char *buf;
	size_t len, cap;
	int failed;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->failed = 1;
			return;
		}
		if ((size_t)n < o->cap - o->len) {
			o->len += (size_t)n;
			return;
		}
		size_t cap = (o->cap + (size_t)n + 1) * 2;
		char *b = realloc(o->buf, cap);
		if (!b) {
			o->failed = 1;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
}

/* Class names are [A-Za-z0-9-_.] (the parser checks) and stores are paths: escape anyway. */
static void put_text(struct out *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': put(o, "&lt;"); break;
		case '>': put(o, "&gt;"); break;
		case '&': put(o, "&amp;"); break;
		case '"': put(o, "&quot;"); break;
		default: put(o, "%c", *s);
		}
	}
}

static const char *const colours[] = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
				       "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf" };

/* Classes of equal size draw the same curve: each also gets its own dash pattern and a label at its line's end. */
static const char *const dashes[] = { "", "8 4", "2 3", "10 3 2 3", "4 4", "14 4", "1 4", "6 2 2 2 2 2", "3 6",
				      "12 3 3 3" };

static void put_dur(struct out *o, int64_t s)
{
	if (s < 0)
		put(o, "-");
	else
		put(o, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
}

#define W 1060
#define H 360
#define L 50
#define B 30
#define R 170 /* room for the labels at the lines' ends */

/* A label at the end of each line, moved down where it would overlap the one above (equal curves end together). */
static void end_labels(struct out *o, const struct fleet_result *r, double xs, double ys)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	size_t n = fleet_result_samples(r), order[FLEET_MAX_CLASSES];
	double y[FLEET_MAX_CLASSES], prev = -1e9;

	for (size_t i = 0; i < s->nclasses; i++) {
		y[i] = (double)(H - B) - (double)(n ? fleet_result_connected(r, i, n - 1) : 0) * ys + 4;
		order[i] = i;
	}
	for (size_t i = 1; i < s->nclasses; i++) /* insertion sort by y, then by class */
		for (size_t j = i; j > 0 && y[order[j]] < y[order[j - 1]]; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t k = 0; k < s->nclasses; k++) {
		size_t i = order[k];
		double at = y[i] < prev + 15 ? prev + 15 : y[i];
		prev = at;
		put(o, "<text class=\"end\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"%s\">",
		    L + (double)s->duration * xs + 4, at, colours[i % 10]);
		put_text(o, s->classes[i].name);
		put(o, "</text>\n");
	}
}

static void chart(struct out *o, const struct fleet_result *r)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	size_t n = fleet_result_samples(r);
	unsigned top = 1;
	double xs, ys;

	for (size_t i = 0; i < s->nclasses; i++)
		if (s->classes[i].count > top)
			top = s->classes[i].count;
	xs = (double)(W - L - R) / (double)(s->duration ? s->duration : 1);
	ys = (double)(H - B - 10) / (double)top;
	put(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
	       "aria-label=\"connected devices over virtual time\">\n", W, H, W, H);
	put(o, "<rect x=\"%d\" y=\"10\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n", L, W - L - R,
	    H - B - 10);
	for (int64_t h = 0; h <= s->duration; h += 3600) {
		double x = L + (double)h * xs;
		put(o, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", x, x, H - B);
		put(o, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%lldh</text>\n", x, H - B + 14,
		    (long long)(h / 3600));
	}
	put(o, "<text x=\"%d\" y=\"20\" font-size=\"11\" text-anchor=\"end\">%u</text>", L - 4, top);
	put(o, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>\n", L - 4, H - B);
	for (size_t k = 0; k < s->nevents; k++) {
		double x = L + (double)s->events[k].at * xs;
		put(o, "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" stroke-dasharray=\"4 3\"/>", x, x,
		    H - B);
		put(o, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">%s</text>\n", x + 3, 24 + (int)(k % 2) * 14,
		    fleet_action_name(s->events[k].action));
	}
	for (size_t i = 0; i < s->nclasses; i++) {
		put(o, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"%s\" stroke-dasharray=\"%s\" points=\"",
		    colours[i % 10], dashes[i % 10]);
		for (size_t j = 0; j < n; j++)
			put(o, "%.1f,%.1f ", L + (double)((int64_t)j * s->sample) * xs,
			    (double)(H - B) - (double)fleet_result_connected(r, i, j) * ys);
		put(o, "\"><title>");
		put_text(o, s->classes[i].name);
		put(o, "</title></polyline>\n");
	}
	end_labels(o, r, xs, ys);
	put(o, "</svg>\n<p class=\"legend\">");
	for (size_t i = 0; i < s->nclasses; i++) {
		put(o, "<span><svg width=\"28\" height=\"10\"><line x1=\"0\" y1=\"5\" x2=\"28\" y2=\"5\" stroke=\"%s\" "
		       "stroke-width=\"2\" stroke-dasharray=\"%s\"/></svg> ", colours[i % 10], dashes[i % 10]);
		put_text(o, s->classes[i].name);
		put(o, "</span> ");
	}
	put(o, "</p>\n");
}

static void table(struct out *o, const struct fleet_result *r, size_t k)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	int64_t at = k ? s->events[k - 1].at : 0;

	put(o, "<h2>%s at %lldh%02lld</h2>\n<table><tr><th>class</th><th>devices</th><th>reconnected</th><th>p50</th>"
	       "<th>p95</th><th>max</th><th>holding</th><th>stranded</th><th>why</th></tr>\n",
	    k ? fleet_action_name(s->events[k - 1].action) : "start", (long long)(at / 3600), (long long)(at / 60 % 60));
	for (size_t i = 0; i < s->nclasses; i++) {
		const struct fleet_phase_stats *st = fleet_result_stats(r, i, k);
		put(o, "<tr><td>");
		put_text(o, s->classes[i].name);
		put(o, "</td><td>%u</td><td>%u</td><td>", s->classes[i].count, st->reconnected);
		put_dur(o, st->p50);
		put(o, "</td><td>");
		put_dur(o, st->p95);
		put(o, "</td><td>");
		put_dur(o, st->max);
		put(o, "</td><td>%u</td><td class=\"%s\">%u</td><td>", st->holding, st->stranded ? "bad" : "", st->stranded);
		for (int c = 0; c < RS_PROBE__COUNT; c++)
			if (st->reasons[c])
				put(o, "%s %u ", rs_probe_code_name((enum rs_probe_code)c), st->reasons[c]);
		if (st->waiting)
			put(o, "not tried yet %u", st->waiting);
		put(o, "</td></tr>\n");
	}
	put(o, "</table>\n");
}

/* Per stranded class, what it means and the next step. */
static void advice(struct out *o, const struct fleet_result *r, const struct fleet_advice *adv, size_t n)
{
	const struct fleet_spec *s = fleet_result_spec(r);

	if (!n) {
		put(o, "<h2>what this means</h2>\n<p>No class was stranded: every device kept or regained a session.</p>\n");
		return;
	}
	put(o, "<h2>what this means, and what to do next</h2>\n<ul class=\"advice\">\n");
	for (size_t i = 0; i < n; i++) {
		put(o, "<li><b>");
		put_text(o, s->classes[adv[i].cls].name);
		put(o, "</b> (%u of %u stranded at the end): ", adv[i].at_end, s->classes[adv[i].cls].count);
		put_text(o, adv[i].meaning);
		put(o, ".<br>next: ");
		put_text(o, adv[i].next);
		put(o, ".</li>\n");
	}
	put(o, "</ul>\n");
}

/* Which real certificates of the stores and pins were replaced by the lab's look-alikes (translate.c). */
static void translated(struct out *o, const struct fleet_result *r)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	size_t n = fleet_result_translated_count(r);

	if (!fleet_result_translating(r))
		return;
	put(o, "<h2>translated to the lab's look-alikes</h2>\n<p class=\"translated\">The lab serves chains under "
	       "look-alike roots with its own keys. Real certificates the catalog knows in the classes' stores and pins "
	       "were replaced by the look-alike of the same role (<code>--no-translate</code> keeps them as they are).");
	if (!n) {
		put(o, " No store or pin held one.</p>\n");
		return;
	}
	put(o, "</p>\n<table class=\"translated\"><tr><th>class</th><th>in</th><th>real certificate</th><th>SHA-256</th>"
	       "<th>look-alike</th></tr>\n");
	for (size_t i = 0; i < n; i++) {
		const struct fleet_translated *t = fleet_result_translated_at(r, i);
		put(o, "<tr><td>");
		put_text(o, s->classes[t->cls].name);
		put(o, "</td><td>%s</td><td>", t->pin ? "pin" : "store");
		put_text(o, t->name);
		put(o, "</td><td><code>%.16s&hellip;</code></td><td>", t->real_sha256);
		if (t->role[0]) {
			put_text(o, t->role);
			if (t->how == RS_TRANSLATE_ROLE) {
				put(o, " (same role and issuer as ");
				put_text(o, t->plays);
				put(o, ")");
			}
		} else
			put(o, "<span class=\"bad\">none in the lab: kept</span>");
		put(o, "</td></tr>\n");
	}
	put(o, "</table>\n");
}

char *fleet_report_html(const struct fleet_result *r, const char *title, const struct fleet_advice *adv, size_t nadv)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	struct out o = { 0 };

	put(&o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
	put_text(&o, title);
	put(&o, "</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
		"margin-bottom:1em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,"
		"th:first-child{text-align:left}.bad{color:#b00;font-weight:bold}.legend span{margin-right:1em}"
		".legend i{display:inline-block;width:12px;height:12px;margin-right:4px}</style></head><body>\n<h1>");
	put_text(&o, title);
	put(&o, "</h1>\n<p>%zu devices in %zu classes, %lld h of virtual time, %lu TLS handshakes; %u devices without a "
		"session at the end.</p>\n<h2>connected devices</h2>\n",
	    fleet_device_count(s), s->nclasses, (long long)(s->duration / 3600), fleet_result_handshakes(r),
	    fleet_result_stranded_at_end(r));
	chart(&o, r);
	for (size_t k = 0; k < fleet_result_phases(r); k++)
		table(&o, r, k);
	put(&o, "<p>reconnected: devices that made a session during the phase, with the time from the phase's start to "
		"their first one; holding: still on a session made before the phase; stranded: without a session at "
		"its end, by their last failure.</p>\n");
	translated(&o, r);
	advice(&o, r, adv, nadv);
	put(&o, "</body></html>\n");
	if (o.failed) {
		free(o.buf);
		return NULL;
	}
	return o.buf;
}
