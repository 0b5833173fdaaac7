/* test_lab.c: the lab's events (lab/events.c): client strings made valid UTF-8 (a table), the event's JSON members,
 * and the event stream into a pipe that nobody reads: nothing blocks, the lines that do not fit are dropped and
 * counted, no line is cut, and a `dropped` event with the count follows once the pipe drains. The lab as a whole
 * runs in tests/cli/test_lab*.sh. */
#include "rs_test.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

static const struct {
	const char *in, *out;
} utf8_cases[] = {
	{ "dev1", "dev1" },
	{ "q\"b\\s\x01\n", "q\"b\\s\x01\n" },           /* escaping is the encoder's, not ours */
	{ "caf\xc3\xa9", "caf\xc3\xa9" },                /* two bytes */
	{ "\xe2\x80\xa8", "\xe2\x80\xa8" },              /* U+2028 */
	{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },      /* four bytes */
	{ "a\xff" "b", "a?b" },                          /* never in UTF-8 */
	{ "\xc3(", "?(" },                               /* a lead byte without its continuation */
	{ "\xc0\xaf", "??" },                            /* overlong */
	{ "\xe0\x80\xaf", "???" },                       /* overlong, three bytes */
	{ "\xed\xa0\x80", "???" },                       /* a surrogate */
	{ "\xf4\x90\x80\x80", "????" },                  /* above U+10FFFF */
	{ "\xe2\x82", "??" },                            /* cut short */
	{ "", "" },
};

static void test_json_string(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		json_t *j = lab_json_string(utf8_cases[i].in);
		assert_non_null(j);
		assert_string_equal(json_string_value(j), utf8_cases[i].out);
		json_decref(j);
	}
	json_t *j = lab_json_string(NULL);
	assert_string_equal(json_string_value(j), "");
	json_decref(j);
}

static void test_event_json(void **state)
{
	struct lab_event ev = { .kind = LAB_EV_DISCONNECT, .chain = LAB_CHAIN_NEW, .device = "d\"\xff",
				.remote = "127.0.0.1:5", .cause = LAB_CAUSE_SLOW_CONSUMER, .detail = NULL };
	json_t *o, *back;
	char *text;

	(void)state;
	ev.fields = json_pack("{s:i}", "count", 3);
	o = lab_event_json(&ev, 1767225600);
	json_decref(ev.fields);
	text = json_dumps(o, JSON_COMPACT);
	assert_non_null(text);
	assert_non_null(back = json_loads(text, 0, NULL));
	assert_string_equal(json_string_value(json_object_get(back, "time")), "2026-01-01T00:00:00Z");
	assert_string_equal(json_string_value(json_object_get(back, "event")), "disconnect");
	assert_string_equal(json_string_value(json_object_get(back, "device")), "d\"?");
	assert_string_equal(json_string_value(json_object_get(back, "chain")), "new");
	assert_string_equal(json_string_value(json_object_get(back, "remote")), "127.0.0.1:5");
	assert_string_equal(json_string_value(json_object_get(back, "cause")), "slow-consumer");
	assert_null(json_object_get(back, "detail")); /* NULL: no member */
	assert_int_equal(json_integer_value(json_object_get(back, "count")), 3);
	assert_string_equal(lab_event_name(LAB_EV_DROPPED), "dropped");
	assert_string_equal(lab_event_name(LAB_EV__COUNT), "unknown");
	ev.cause = LAB_CAUSE_NONE; /* no member */
	ev.fields = NULL;
	json_decref(o);
	o = lab_event_json(&ev, 1767225600);
	assert_null(json_object_get(o, "cause"));
	for (int k = LAB_CAUSE_CLIENT; k < LAB_CAUSE__COUNT; k++) /* every cause has its name */
		assert_non_null(lab_cause_name((enum lab_cause)k));
	assert_string_equal(lab_cause_name(LAB_CAUSE_PROTOCOL_ERROR), "protocol-error");
	assert_string_equal(lab_cause_name(LAB_CAUSE_CROWDED_OUT), "crowded-out");
	assert_string_equal(lab_cause_name(LAB_CAUSE__COUNT), "unknown");
	free(text);
	json_decref(o);
	json_decref(back);
}

static rs_time fixed_clock(void *arg)
{
	(void)arg;
	return 1767225600;
}

/* Reads what the pipe holds; returns the bytes read (out is NUL-terminated). */
static size_t drain(int fd, char *out, size_t size)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < size && (r = read(fd, out + n, size - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	return n;
}

static void test_stream_never_blocks(void **state)
{
	static char buf[4 << 20];
	struct lab_serve_opts opts = { 0 };
	struct lab_server lab;
	struct rs_error err;
	unsigned long dropped;
	char want[64];
	int p[2];

	(void)state;
	memset(&lab, 0, sizeof(lab));
	assert_int_equal(pipe(p), 0);
	assert_int_equal(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	opts.clock = fixed_clock;
	opts.events_fd = p[1];
	lab.opts = &opts;
	assert_non_null(lab.base = event_base_new());
	assert_int_equal(lab_events_start(&lab, &err), 0);
	/* 20,000 events of about 140 bytes: far more than a pipe (64 KiB) and the buffer (256 KiB) hold */
	for (int i = 0; i < 20000; i++)
		lab_event(&lab, LAB_EV_CONNECT, "a-device-id-of-some-length", LAB_CHAIN_OLD, "hub");
	dropped = lab.n.events_dropped;
	assert_true(dropped > 10000);
	assert_true(evbuffer_get_length(lab.events.out) <= LAB_EVENTS_MAX);
	/* the reader catches up: the loop writes the rest, then says how many were lost */
	for (int i = 0; i < 100 && !strstr(buf, "\"dropped\""); i++) {
		drain(p[0], buf + strlen(buf), sizeof(buf) - strlen(buf));
		event_base_loop(lab.base, EVLOOP_NONBLOCK);
	}
	drain(p[0], buf + strlen(buf), sizeof(buf) - strlen(buf));
	snprintf(want, sizeof(want), "\"count\":%lu}", dropped);
	assert_non_null(strstr(buf, want));
	/* every line whole */
	for (char *line = buf, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		json_t *j;
		*nl = '\0';
		assert_non_null(j = json_loads(line, 0, NULL));
		json_decref(j);
	}
	lab_events_stop(&lab);
	event_base_free(lab.base);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_string),
		cmocka_unit_test(test_event_json),
		cmocka_unit_test(test_stream_never_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
