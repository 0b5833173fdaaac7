/* test_fleet_run.c: the whole rehearsal through fleet.h's entry points (fleet_run, the result's getters,
 * fleet_advise, fleet_report_html) against a target that refuses every connection: a TCP socket on loopback bound
 * but not listening, so that each attempt fails at once, without a lab, a timer or the clock (time is
 * the fleet's virtual time). Also the target's hooks (set_time, progress, apply, cancel_fd) and the setup errors a
 * user can make (a lab bundle without a lab, DPS without a DPS target, a store that is not there). The advice for the
 * other verdicts and the HTML's escaping are read off results made by hand. */
#include "rs_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fleet.h"

/* The rehearsals advised on start on 2024-06-01, before Baltimore expired (2025-05-12): its advice still names it. */
#define ADVICE_AT ((rs_time)1717200000)
#include "run.h" /* struct fleet_result, for the results made by hand */

#define T0 1767225600 /* 2026-01-01T00:00:00Z */

/* A port on 127.0.0.1 that refuses: bound, never listening; *fd keeps it until the test closes it. */
static int refusing_port(int *fd)
{
	struct sockaddr_in sa = { 0 };
	socklen_t len = sizeof(sa);

	*fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(*fd >= 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(*fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(*fd, (struct sockaddr *)&sa, &len), 0);
	return ntohs(sa.sin_port);
}

struct hooks {
	rs_time last_time;
	int times, backwards, progress_calls, applied, fail_apply;
	size_t last_phase;
	enum fleet_action actions[FLEET_MAX_EVENTS];
};

static void set_time(void *ctx, rs_time t)
{
	struct hooks *h = ctx;

	if (h->times && t < h->last_time)
		h->backwards++;
	h->last_time = t;
	h->times++;
}

static void progress(void *arg, int64_t at, int64_t duration, size_t phase)
{
	struct hooks *h = arg;

	assert_true(at >= 0 && at < duration);
	h->progress_calls++;
	h->last_phase = phase;
}

static int apply(void *ctx, const struct fleet_event *ev, struct rs_error *err)
{
	struct hooks *h = ctx;

	if (h->fail_apply)
		return rs_error_set(err, RS_ERR_IO, "the lab went away");
	h->actions[h->applied++] = ev->action;
	return 0;
}

static struct fleet_spec *spec_of(const char *json)
{
	struct rs_error err;
	struct fleet_spec *s = fleet_spec_parse(json, strlen(json), RS_TEST_DATA, &err);

	if (!s)
		fail_msg("%s", err.message);
	return s;
}

static void target_of(struct fleet_target *t, int port, struct hooks *h)
{
	memset(t, 0, sizeof(*t));
	t->host = "hub.example.net";
	t->connect_host = "127.0.0.1";
	t->mqtt_port = t->amqp_port = t->https_port = port;
	t->start = T0;
	t->timeout_ms = 2000;
	t->set_time = set_time;
	t->apply = apply;
	t->ctx = h;
	t->progress = progress;
	t->progress_arg = h;
}

#define FLEET_JSON                                                                                                    \
	"{\"seed\":\"unit\",\"duration\":3600,\"ramp\":60,\"sample\":600,"                                             \
	"\"classes\":[{\"name\":\"mqtt\",\"count\":2,\"store\":\"digicert_global_root_g2.pem\"},"                      \
	"{\"name\":\"web\",\"count\":1,\"store\":\"g2_ms2017.pem\",\"protocol\":\"https\","                        \
	"\"backoff\":{\"policy\":\"none\"}}],"                                                                          \
	"\"schedule\":[{\"at\":1800,\"action\":\"migrate\"},{\"at\":2400,\"action\":\"revert\",\"disconnect\":true}]}"

/* Every device tries, is refused, and is stranded in every phase; the hooks see the time go forward and the two
 * events; the advice names the failure; the report holds the phases and escapes the title. */
static void test_refused_everywhere(void **state)
{
	struct hooks h = { 0 };
	struct fleet_target t;
	struct fleet_advice adv[4];
	struct rs_error err;
	struct fleet_spec *s;
	struct fleet_result *r;
	int fd, port = refusing_port(&fd);
	enum rs_probe_code why;
	char *html, want[128];

	(void)state;
	s = spec_of(FLEET_JSON);
	assert_int_equal(s->nclasses, 2);
	target_of(&t, port, &h);
	r = fleet_run(s, &t, &err);
	if (!r)
		fail_msg("%s", err.message);
	assert_int_equal(fleet_result_stopped_at(r), -1);
	assert_int_equal(fleet_result_phases(r), 3);
	assert_int_equal(fleet_result_samples(r), 7); /* 0, 600, ... 3600 */
	assert_int_equal(fleet_result_handshakes(r), 0);
	assert_int_equal(fleet_result_stranded_at_end(r), 3);
	assert_int_equal(fleet_result_peak_held(r), 0);
	assert_int_equal(fleet_result_translating(r), 0);
	assert_int_equal(h.applied, 2);
	assert_int_equal(h.actions[0], FLEET_MIGRATE);
	assert_int_equal(h.actions[1], FLEET_REVERT);
	assert_int_equal(h.backwards, 0);
	assert_true(h.times > 3600 / 60);
	assert_true(h.last_time >= T0 + 2400 && h.last_time < T0 + 3600);
	assert_true(h.progress_calls > 0);
	assert_int_equal(h.last_phase, 2);
	/* The refusal reaches the device through libevent's TLS bufferevent as SSL_ERROR_SYSCALL with ECONNREFUSED:
	 * a refusal, not an alert, for every device and phase. */
	why = RS_PROBE_TCP_REFUSED;
	for (size_t c = 0; c < 2; c++)
		for (size_t k = 0; k < 3; k++) {
			const struct fleet_phase_stats *st = fleet_result_stats(r, c, k);
			assert_int_equal(st->reconnected, 0);
			assert_int_equal(st->holding, 0);
			assert_int_equal(st->stranded, s->classes[c].count);
			assert_int_equal(st->reasons[why], s->classes[c].count);
			assert_int_equal(st->p50, -1);
			assert_true(st->attempts >= st->failures && (c == 1 || st->failures > 0));
		}
	/* backoff "none": the HTTPS device tried once and gave up; the MQTT devices kept trying */
	assert_int_equal(fleet_result_stats(r, 1, 0)->attempts, 1);
	assert_int_equal(fleet_result_stats(r, 1, 1)->attempts, 0);
	assert_true(fleet_result_stats(r, 0, 1)->attempts > 2);
	for (size_t i = 0; i < fleet_result_samples(r); i++)
		assert_int_equal(fleet_result_connected(r, 0, i), 0);

	assert_int_equal(fleet_advise(r, NULL, ADVICE_AT, adv, 4), 2);
	assert_int_equal(adv[0].cls, 0);
	assert_int_equal(adv[0].phase, 2); /* the phase where the devices stay stranded: the last */
	assert_int_equal(adv[0].at_end, 2);
	assert_int_equal(adv[0].reason, why);
	snprintf(want, sizeof(want), "its connections end in %s", rs_probe_code_name(why));
	assert_string_equal(adv[0].meaning, want);
	assert_non_null(strstr(adv[0].next, "rootshift probe"));
	assert_int_equal(fleet_advise(r, NULL, ADVICE_AT, adv, 1), 1); /* at most max */

	html = fleet_report_html(r, "a <test>", adv, 2);
	assert_non_null(html);
	assert_non_null(strstr(html, "<title>a &lt;test&gt;</title>"));
	assert_non_null(strstr(html, "3 devices in 2 classes, 1 h of virtual time, 0 TLS handshakes; 3 devices without"));
	assert_non_null(strstr(html, "<h2>migrate at 0h30</h2>"));
	assert_non_null(strstr(html, "<h2>revert at 0h40</h2>"));
	assert_non_null(strstr(html, "<tr><td>web</td><td>1</td><td>0</td><td>-</td>"));
	snprintf(want, sizeof(want), "%s 2 ", rs_probe_code_name(why));
	assert_non_null(strstr(html, want));
	assert_non_null(strstr(html, "what this means, and what to do next"));
	assert_null(strstr(html, "translated to the lab"));
	assert_null(strstr(html, "<script"));
	free(html);
	fleet_result_free(r);
	fleet_spec_free(s);
	close(fd);
}

/* The target's apply fails: the run stops with its error and no result. */
static void test_apply_fails(void **state)
{
	struct hooks h = { .fail_apply = 1 };
	struct fleet_target t;
	struct rs_error err;
	struct fleet_spec *s = spec_of(FLEET_JSON);
	int fd, port = refusing_port(&fd);

	(void)state;
	target_of(&t, port, &h);
	assert_null(fleet_run(s, &t, &err));
	assert_string_equal(err.message, "the lab went away");
	assert_true(h.last_time == T0 + 1800); /* it stopped at the first event */
	fleet_spec_free(s);
	close(fd);
}

/* A stop asked before the run starts: it returns at once with what it has, stopped at 0. */
static void test_cancel(void **state)
{
	struct hooks h = { 0 };
	struct fleet_target t;
	struct rs_error err;
	struct fleet_spec *s = spec_of(FLEET_JSON);
	struct fleet_result *r;
	int fd, port = refusing_port(&fd), p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	target_of(&t, port, &h);
	t.cancel_fd = &p[0];
	r = fleet_run(s, &t, &err);
	assert_non_null(r);
	assert_true(fleet_result_stopped_at(r) >= 0 && fleet_result_stopped_at(r) < 1800);
	assert_int_equal(h.applied, 0);
	assert_int_equal(fleet_result_stats(r, 0, 1)->attempts, 0); /* the later phases are empty */
	fleet_result_free(r);
	fleet_spec_free(s);
	close(p[0]);
	close(p[1]);
	close(fd);
}

/* What a user can get wrong in the target or the stores: a one-line error each, and no result. */
static void test_setup_errors(void **state)
{
	static const struct {
		const char *json, *msg;
	} cases[] = {
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"lab:recommended\"}]}",
		  "store 'lab:recommended' names a lab bundle but no lab is given" },
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"digicert_global_root_g2.pem\",\"dps\":\"mqtt\"}]}",
		  "class 'a' provisions through DPS but the target has no DPS" },
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"no-such-store.pem\"}]}", "no-such-store.pem" },
		{ "{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"digicert_global_root_g2.pem\","
		  "\"pin\":\"lab:pinned-intermediate\"}]}",
		  "store 'lab:pinned-intermediate' names a lab bundle but no lab is given" },
	};
	struct hooks h = { 0 };
	struct fleet_target t;

	(void)state;
	target_of(&t, 1, &h);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fleet_spec *s = spec_of(cases[i].json);
		struct rs_error err;

		memset(&err, 0, sizeof(err));
		assert_null(fleet_run(s, &t, &err));
		if (!strstr(err.message, cases[i].msg))
			fail_msg("case %zu: '%s' does not hold '%s'", i, err.message, cases[i].msg);
		fleet_spec_free(s);
	}
	assert_int_equal(h.times, 0); /* nothing ran */
}

/* A result made by hand: n classes, the given phases, all stranded in phase k with reason code. */
static struct fleet_result *result_of(const struct fleet_spec *s, size_t k, enum rs_probe_code code)
{
	struct fleet_result *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->spec = *s;
	r->nphases = s->nevents + 1;
	r->nsamples = 2;
	r->stopped_at = -1;
	assert_non_null(r->stats = calloc(s->nclasses * r->nphases, sizeof(*r->stats)));
	assert_non_null(r->curve = calloc(s->nclasses * r->nsamples, sizeof(*r->curve)));
	for (size_t c = 0; c < s->nclasses; c++) {
		r->stats[c * r->nphases + k].stranded = s->classes[c].count;
		r->stats[c * r->nphases + k].reasons[code] = s->classes[c].count;
		r->stats[c * r->nphases + k].reasons[RS_PROBE_TCP_REFUSED] = 0;
	}
	return r;
}

/* The advice for each verdict a stranded class can end in, with and without a profile, pinned or not. */
static void test_advice(void **state)
{
	struct fleet_spec *s = spec_of(
		"{\"classes\":[{\"name\":\"plain\",\"count\":2,\"store\":\"s.pem\",\"clock_skew\":-90},"
		"{\"name\":\"pinned\",\"count\":1,\"store\":\"s.pem\",\"pin\":\"p.pem\"}],"
		"\"schedule\":[{\"at\":100,\"action\":\"migrate\"},{\"at\":200,\"action\":\"disconnect\"}]}");
	struct rs_error err;
	struct rs_catalog *cat = rs_catalog_new();
	const struct rs_profile *azure;
	struct fleet_advice adv[2];
	struct fleet_result *r;
	char *html;

	(void)state;
	assert_non_null(cat);
	assert_int_equal(rs_catalog_add_builtin(cat, "azure-iot", &err), 0);
	assert_non_null(azure = rs_catalog_profile(cat, "azure-iot"));
	/* untrusted after the forced disconnect (the new chain served): the new root, named by the profile */
	r = result_of(s, 2, RS_PROBE_CERT_UNTRUSTED);
	assert_int_equal(fleet_advise(r, azure, ADVICE_AT, adv, 2), 2);
	assert_int_equal(adv[0].phase, 2);
	assert_int_equal(adv[0].at_end, 2);
	assert_non_null(strstr(adv[0].meaning, "does not hold the new root the service served after the forced disconnect"));
	assert_non_null(strstr(adv[0].next, "DigiCert Global Root G2"));
	assert_non_null(strstr(adv[0].next, "to " RS_TEST_DATA "/s.pem"));
	assert_non_null(strstr(adv[1].meaning, "its pin does not match the chain served after the forced disconnect"));
	assert_non_null(strstr(adv[1].next, "remove the pin on " RS_TEST_DATA "/p.pem"));
	/* without a profile: generic words */
	assert_int_equal(fleet_advise(r, NULL, ADVICE_AT, adv, 2), 2);
	assert_non_null(strstr(adv[0].next, "add the profile's new root to"));
	fleet_result_free(r);

	/* untrusted from the start (the old chain): the old root, kept while the service may revert */
	r = result_of(s, 0, RS_PROBE_CERT_UNTRUSTED);
	assert_int_equal(fleet_advise(r, azure, ADVICE_AT, adv, 1), 1);
	assert_non_null(strstr(adv[0].meaning, "does not hold the old root the service served from the start"));
	assert_non_null(strstr(adv[0].next, "Baltimore CyberTrust Root"));
	assert_non_null(strstr(adv[0].next, "as well, while the service may still serve it or revert to it"));
	assert_int_equal(adv[0].at_end, 0); /* not stranded in the last phase */
	fleet_result_free(r);

	r = result_of(s, 1, RS_PROBE_CERT_EXPIRED);
	assert_int_equal(fleet_advise(r, azure, ADVICE_AT, adv, 1), 1);
	assert_non_null(strstr(adv[0].meaning, "by the device's clock (-90 s from true time)"));
	assert_non_null(strstr(adv[0].next, "set the device's clock"));
	fleet_result_free(r);

	r = result_of(s, 1, RS_PROBE_OK_AUTH_REJECTED);
	assert_int_equal(fleet_advise(r, azure, ADVICE_AT, adv, 1), 1);
	assert_string_equal(adv[0].meaning, "TLS works; the service rejected its credentials");
	/* no advice: the report says no class was stranded */
	html = fleet_report_html(r, "t", adv, 0);
	assert_non_null(html);
	assert_non_null(strstr(html, "No class was stranded"));
	assert_non_null(strstr(html, "<h2>disconnect at 0h03</h2>"));
	free(html);
	fleet_result_free(r);
	fleet_spec_free(s);
	rs_catalog_free(cat);
}

/* A run that translated: the report lists what was replaced, and what the lab has no look-alike for. */
static void test_report_translated(void **state)
{
	struct fleet_spec *s = spec_of("{\"classes\":[{\"name\":\"a\",\"count\":1,\"store\":\"s.pem\"}]}");
	struct fleet_result *r = result_of(s, 0, RS_PROBE_CERT_UNTRUSTED);
	struct fleet_translated tr[2] = { { 0 } };
	char *html;

	(void)state;
	snprintf(tr[0].name, sizeof(tr[0].name), "Baltimore CyberTrust Root");
	snprintf(tr[0].real_sha256, sizeof(tr[0].real_sha256), "%064d", 1);
	snprintf(tr[0].role, sizeof(tr[0].role), "old-root");
	tr[0].how = RS_TRANSLATE_ROLE;
	snprintf(tr[0].plays, sizeof(tr[0].plays), "azure-iot:baltimore");
	tr[1].pin = 1;
	snprintf(tr[1].name, sizeof(tr[1].name), "Other & Co");
	r->translating = 1;
	r->translated = malloc(sizeof(tr));
	assert_non_null(r->translated);
	memcpy(r->translated, tr, sizeof(tr));
	r->ntranslated = 2;
	assert_int_equal(fleet_result_translated_count(r), 2);
	assert_int_equal(fleet_result_translated_at(r, 1)->pin, 1);
	html = fleet_report_html(r, "t", NULL, 0);
	assert_non_null(html);
	assert_non_null(strstr(html, "translated to the lab's look-alikes"));
	assert_non_null(strstr(html, "<td>store</td><td>Baltimore CyberTrust Root</td><td><code>0000000000000000&hellip;"));
	assert_non_null(strstr(html, "old-root (same role and issuer as azure-iot:baltimore)"));
	assert_non_null(strstr(html, "<td>pin</td><td>Other &amp; Co</td>"));
	assert_non_null(strstr(html, "none in the lab: kept"));
	free(html);
	/* translating, nothing met */
	r->ntranslated = 0;
	html = fleet_report_html(r, "t", NULL, 0);
	assert_non_null(strstr(html, "No store or pin held one."));
	free(html);
	fleet_result_free(r);
	fleet_spec_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_everywhere),
		cmocka_unit_test(test_apply_fails),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_setup_errors),
		cmocka_unit_test(test_advice),
		cmocka_unit_test(test_report_translated),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
