/* cmd_rehearse.c: `rootshift rehearse`, a simulated fleet put through a migration against the lab. Parses, runs
 * the lab in-process (its clock is the rehearsal's virtual clock; --lab) or drives one that another process serves
 * through its admin API (--target lab:DIR), calls fleet/ and renders text, JSON or HTML. A real endpoint
 * (--target HOST[:PORT]) is rehearse_endpoint.c's. */
#include <errno.h>
#include <ftw.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fleet.h"
#include "lab.h"
#include "translate.h"

#define DEMO_GENERATED "2026-01-01T00:00:00Z"
#define DEMO_START "2026-01-02T00:00:00Z"

#define rehearse_usage(...) usage_error("rehearse", __VA_ARGS__)

/* ---- the in-process lab ---- */

static _Atomic rs_time vclock;

static rs_time lab_clock(void *arg)
{
	(void)arg;
	return atomic_load(&vclock);
}

struct lab_thread {
	struct lab_serve_opts opts;
	struct lab_handle *handle;
	pthread_t tid;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ready, done, failed;
	int mqtt_port, amqp_port, https_port;
	struct rs_error err;
};

static void lab_ready(void *arg, const char *line)
{
	struct lab_thread *lt = arg;
	json_t *doc = json_loads(line, 0, NULL);

	pthread_mutex_lock(&lt->mu);
	lt->mqtt_port = (int)json_integer_value(json_object_get(doc, "mqtt_port"));
	lt->amqp_port = (int)json_integer_value(json_object_get(doc, "amqp_port"));
	lt->https_port = (int)json_integer_value(json_object_get(doc, "https_port"));
	lt->ready = 1;
	pthread_cond_broadcast(&lt->cv);
	pthread_mutex_unlock(&lt->mu);
	json_decref(doc);
}

static void *lab_main(void *arg)
{
	struct lab_thread *lt = arg;
	int rv = lab_serve(&lt->opts, &lt->err);

	pthread_mutex_lock(&lt->mu);
	lt->done = 1;
	lt->failed = rv < 0;
	pthread_cond_broadcast(&lt->cv);
	pthread_mutex_unlock(&lt->mu);
	return NULL;
}

static int lab_start(struct lab_thread *lt, const char *dir, int dps_delay)
{
	struct rs_error err;
	sigset_t mask;
	int started;

	if (!(lt->handle = lab_handle_new(&err)))
		return lib_error(&err);
	lt->opts.handle = lt->handle;
	lt->opts.dps_delay = dps_delay;
	lt->opts.dir = dir;
	lt->opts.listen = "127.0.0.1";
	lt->opts.max_conns = 1000000;
	lt->opts.handshake_timeout = 30;
	lt->opts.chain = LAB_CHAIN_OLD;
	lt->opts.clock = lab_clock;
	lt->opts.ready = lab_ready;
	lt->opts.arg = lt;
	pthread_mutex_init(&lt->mu, NULL);
	pthread_cond_init(&lt->cv, NULL);
	interrupt_block_in_thread(&mask); /* signals go to the fleet's thread, which stops the lab by its handle */
	started = pthread_create(&lt->tid, NULL, lab_main, lt);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	if (started != 0) {
		lab_handle_free(lt->handle);
		return error("cannot start the lab: %s", strerror(started));
	}
	pthread_mutex_lock(&lt->mu);
	while (!lt->ready && !lt->done)
		pthread_cond_wait(&lt->cv, &lt->mu);
	pthread_mutex_unlock(&lt->mu);
	if (!lt->ready) {
		pthread_join(lt->tid, NULL);
		lab_handle_free(lt->handle);
		return lib_error(&lt->err);
	}
	return 0;
}

static void lab_stop(struct lab_thread *lt)
{
	lab_handle_stop(lt->handle);
	pthread_join(lt->tid, NULL);
	lab_handle_free(lt->handle);
	lt->handle = NULL;
}

/* --speed X: at most X virtual seconds per wall second, so that people (or real devices beside the fleet) can
 * watch the lab's page and metrics move; 0 runs as fast as the handshakes allow. The pacing is the front end's:
 * the fleet library never reads the clock. */
static struct {
	double speed, wall0;
	rs_time virt0;
} pacing;

static double wall_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pace(rs_time t)
{
	double due, now;
	struct timespec ts;

	if (pacing.speed <= 0)
		return;
	due = pacing.wall0 + (double)(t - pacing.virt0) / pacing.speed;
	now = wall_seconds();
	if (due <= now)
		return;
	ts.tv_sec = (time_t)(due - now);
	ts.tv_nsec = (long)((due - now - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR && !interrupted())
		;
}

/* The lab's clock follows virtual time; the lab then applies it (keep-alive x 1.5, DPS following the hubs) before
 * any connection of the new window. */
/* What the fleet drives: a lab in this process (lt set) or one served by another process, through its admin API. */
struct driver {
	const char *dir;
	int to_new;            /* the hub serves the new chain */
	struct lab_thread *lt; /* NULL for a lab in another process */
	rs_time offset;        /* a lab in another process: its clock minus ours (`lab serve --at` moves it) */
};

static void set_time(void *ctx, rs_time t)
{
	struct driver *dr = ctx;
	struct rs_error err;

	pace(t);
	if (!dr->lt)
		return; /* a lab in another process keeps the real time */
	atomic_store(&vclock, t);
	if (lab_handle_tick(dr->lt->handle, &err) < 0)
		lib_error(&err);
}

/* The time a lab in another process shows now, for SAS tokens it accepts. */
static rs_time lab_time(void *ctx)
{
	return now() + ((struct driver *)ctx)->offset;
}

static int admin_post(const char *dir, const char *path, const char *body, size_t len, struct rs_error *err)
{
	char *reply = NULL;
	int status = 0;

	if (lab_admin_send(dir, "POST", path, body, len, &reply, &status, err) < 0)
		return -1;
	free(reply);
	if (status != 200)
		return set_error(err, RS_ERR_IO, "the lab answered %d to POST %s", status, path);
	return 0;
}

/* The switch through the lab's admin API, as an operator (or `rootshift lab migrate`) would press it. */
static int apply(void *ctx, const struct fleet_event *ev, struct rs_error *err)
{
	struct driver *dr = ctx;
	char path[128];
	int to_new = ev->action == FLEET_MIGRATE || (ev->action == FLEET_DISCONNECT && dr->to_new);

	snprintf(path, sizeof(path), "/api/%s%s", to_new ? "migrate" : "revert", ev->disconnect ? "?disconnect=1" : "");
	if (admin_post(dr->dir, path, NULL, 0, err) < 0)
		return -1;
	dr->to_new = to_new;
	return 0;
}

/* The fleet's devices (ids and keys) for a lab's registry. */
struct roster {
	struct lab_device *devs;
	char (*ids)[128];
	char (*keys)[48];
	size_t n;
};

static void roster_release(struct roster *ro)
{
	if (ro->keys)
		OPENSSL_cleanse(ro->keys, ro->n * sizeof(*ro->keys));
	free(ro->keys);
	free(ro->ids);
	free(ro->devs);
	memset(ro, 0, sizeof(*ro));
}

static int roster_init(struct roster *ro, const struct fleet_spec *spec)
{
	ro->n = fleet_device_count(spec);
	ro->devs = calloc(ro->n + 1, sizeof(*ro->devs));
	ro->ids = calloc(ro->n + 1, sizeof(*ro->ids));
	ro->keys = calloc(ro->n + 1, sizeof(*ro->keys));
	if (!ro->devs || !ro->ids || !ro->keys) {
		roster_release(ro);
		return error("out of memory");
	}
	for (size_t i = 0; i < ro->n; i++) {
		if (fleet_device_id(spec, i, ro->ids[i], sizeof(ro->ids[i])) < 0 ||
		    fleet_device_key(spec, i, ro->keys[i], sizeof(ro->keys[i])) < 0) {
			roster_release(ro);
			return error("cannot make the fleet's device ids");
		}
		ro->devs[i] = (struct lab_device){ ro->ids[i], ro->keys[i] };
	}
	return 0;
}

/* Registers every device of the fleet in the lab's registry, before the lab starts. */
static int register_devices(const char *dir, const struct fleet_spec *spec)
{
	struct roster ro;
	struct rs_error err;
	int rv;

	if ((rv = roster_init(&ro, spec)) != 0)
		return rv;
	rv = lab_devices_put(dir, ro.devs, ro.n, &err) < 0 ? lib_error(&err) : 0;
	roster_release(&ro);
	return rv;
}

/* ---- the demo's lab, in a temporary directory ---- */

static int demo_lab(char *dir, size_t size)
{
	struct lab_init_opts o = { 0 };
	struct lab_init_result res;
	struct rs_error err;
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, size, "%s/rootshift-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return io_error("cannot create a directory in '%s': %s", tmp && *tmp ? tmp : "/tmp", strerror(errno));
	/* It will hold the lab's private keys: removed when this process ends, however it ends. */
	if (interrupt_reap_dir(dir) != 0) {
		remove_tree(dir);
		return EXIT_ERROR;
	}
	o.seed = "rootshift-demo";
	o.fast_keys = 1;
	rs_time_parse(DEMO_GENERATED, &o.at, NULL);
	if (lab_init(dir, &o, &res, &err) < 0) {
		remove_tree(dir);
		return lib_error(&err);
	}
	return 0;
}

/* ---- rendering ---- */

static const char *dur(int64_t s, char buf[32])
{
	if (s < 0)
		snprintf(buf, 32, "-");
	else if (s >= 3600)
		snprintf(buf, 32, "%lldh%02lldm%02llds", (long long)(s / 3600), (long long)(s / 60 % 60), (long long)(s % 60));
	else
		snprintf(buf, 32, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
	return buf;
}

static const char *clock_str(int64_t s, char buf[32])
{
	snprintf(buf, 32, "%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60));
	return buf;
}

static const char *phase_name(const struct fleet_spec *s, size_t k)
{
	return k == 0 ? "start" : fleet_action_name(s->events[k - 1].action);
}

static int64_t phase_at(const struct fleet_spec *s, size_t k)
{
	return k == 0 ? 0 : s->events[k - 1].at;
}

static int64_t phase_end(const struct fleet_spec *s, size_t k)
{
	return k < s->nevents ? s->events[k].at : s->duration;
}

static void print_phase(const struct fleet_result *r, size_t k)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	char a[32], b[32], c[32];

	printf("\n%s at %s (until %s)%s\n", phase_name(s, k), clock_str(phase_at(s, k), a), clock_str(phase_end(s, k), b),
	       k > 0 && s->events[k - 1].disconnect ? ", every session dropped" : "");
	printf("  %-24s %7s %11s %9s %9s %9s %7s %8s\n", "class", "devices", "reconnected", "p50", "p95", "max", "holding",
	       "stranded");
	for (size_t i = 0; i < s->nclasses; i++) {
		const struct fleet_phase_stats *st = fleet_result_stats(r, i, k);
		printf("  %-24s %7u %11u %9s %9s %9s %7u %8u", s->classes[i].name, s->classes[i].count, st->reconnected,
		       dur(st->p50, a), dur(st->p95, b), dur(st->max, c), st->holding, st->stranded);
		for (int code = 0; code < RS_PROBE__COUNT; code++) {
			if (!st->reasons[code])
				continue;
			printf("  %s %u", rs_probe_code_name((enum rs_probe_code)code), st->reasons[code]);
			if (st->dps_reasons[code])
				printf(" (%u at dps)", st->dps_reasons[code]);
		}
		if (st->waiting)
			printf("  not tried yet %u", st->waiting);
		printf("\n");
	}
}

/* The rehearsal's verdict in the vocabulary every command shares (rs_status_judge): a device without a session at
 * the end counts against readiness; a class stranded in some phase that recovered by the end makes it partial.
 * A phase that played a chain the real service can no longer serve (fleet_phase_lab_only: the old chain once its
 * root has expired by the rehearsal's time) does not count: its strandings are shown and advised on ("nothing to
 * add"), and "the end" is then the end of the last phase that played a chain the service can serve. When no phase
 * did, every phase counts (the rehearsal is about the lab's chains only). */
struct verdict {
	enum rs_status status;
	size_t lab_only;          /* classes stranded in a phase that did not count */
	char message[640];
};

static unsigned stranded_in(const struct fleet_result *r, size_t k)
{
	unsigned n = 0;

	for (size_t i = 0; i < fleet_result_spec(r)->nclasses; i++)
		n += fleet_result_stats(r, i, k)->stranded;
	return n;
}

static void judge(const struct fleet_result *r, const struct rs_profile *p, rs_time at, struct verdict *v)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	size_t nph = fleet_result_phases(r), end = SIZE_MAX, transient = 0;
	unsigned char counts[FLEET_MAX_EVENTS + 1];
	size_t used;
	char date[32] = "", a[32];

	memset(v, 0, sizeof(*v));
	for (size_t k = 0; k < nph && k < sizeof(counts); k++)
		if ((counts[k] = !fleet_phase_lab_only(r, k, p, at)))
			end = k;
	if (end == SIZE_MAX) { /* nothing the real service can serve was played: judge what was */
		memset(counts, 1, sizeof(counts));
		end = nph ? nph - 1 : 0;
	}
	for (size_t i = 0; i < s->nclasses; i++) {
		int moot = 0;
		for (size_t k = 0; k < nph && k < sizeof(counts); k++) {
			if (!fleet_result_stats(r, i, k)->stranded)
				continue;
			transient += counts[k];
			moot |= !counts[k];
		}
		v->lab_only += moot;
	}
	v->status = rs_status_judge(end + 1 >= nph ? fleet_result_stranded_at_end(r) : stranded_in(r, end), transient);
	used = (size_t)snprintf(v->message, sizeof(v->message), "%s",
				v->status == RS_STATUS_READY ? "every device kept or regained a session in every phase"
				: v->status == RS_STATUS_PARTIAL
					? "every device has a session at the end, but some were stranded on the way"
					: "some devices are stranded at the end");
	if (end + 1 < nph && used < sizeof(v->message))
		used += (size_t)snprintf(v->message + used, sizeof(v->message) - used, " (the end judged is that of the %s "
					 "phase, at %s, the last that played a chain the real service can serve)",
					 phase_name(s, end), clock_str(phase_end(s, end), a));
	if (v->lab_only && p && rs_profile_rule_count(p, "old") && used < sizeof(v->message)) {
		const struct rs_known *old = rs_profile_rule_at(p, "old", 0);
		struct rs_known_info info;
		rs_known_info(old, &info);
		rs_time_format(info.not_after, date, sizeof(date));
		snprintf(v->message + used, sizeof(v->message) - used,
			 "; not counted: %zu class%s stranded on the old chain, whose root (%s) expired on %.10s, before this "
			 "rehearsal's time: only the lab still plays it", v->lab_only, v->lab_only == 1 ? "" : "es",
			 rs_known_name(old), date);
	}
}

static void print_text(const struct fleet_result *r, rs_time start, int demo, const struct verdict *v)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	size_t step = (size_t)(1800 / s->sample) ? (size_t)(1800 / s->sample) : 1;
	char a[32], b[32];

	printf("rehearsal: %zu devices in %zu classes, %s of virtual time from %s, %lu handshakes, policy %s\n",
	       fleet_device_count(s), s->nclasses, dur(s->duration, a), time_str(start, b), fleet_result_handshakes(r),
	       rs_verify_policy_name(FLEET_VERIFY_POLICY));
	if (fleet_result_stopped_at(r) >= 0)
		printf("partial: stopped at virtual time %s by %s; the phases after it did not run\n",
		       dur(fleet_result_stopped_at(r), a), interrupt_name());
	printf("classes:\n");
	for (size_t i = 0; i < s->nclasses; i++) {
		const struct fleet_class *c = &s->classes[i];
		int cad = fleet_cadence(c);
		printf("  %-24s %5u  %-5s %-6s reconnects %-13s backoff %-11s store %s%s%s%s%s\n", c->name, c->count,
		       fleet_proto_name(c->proto), fleet_sdk_name(c->sdk), cad ? dur(cad, a) : "never",
		       fleet_backoff_name(c->backoff), c->store, c->pin[0] ? ", pins " : "", c->pin,
		       c->dps ? ", provisions through dps over " : "", c->dps ? fleet_dps_name(c->dps) : "");
	}
	printf("schedule:");
	for (size_t k = 0; k < s->nevents; k++)
		printf(" %s %s%s", clock_str(s->events[k].at, a), fleet_action_name(s->events[k].action),
		       k + 1 < s->nevents ? "," : "\n");
	if (!s->nevents)
		printf(" none\n");
	for (size_t k = 0; k < fleet_result_phases(r); k++)
		print_phase(r, k);
	printf("\nconnected devices\n  %-24s", "time");
	for (size_t j = 0; j < fleet_result_samples(r); j += step)
		printf(" %5s", clock_str((int64_t)j * s->sample, a));
	printf("\n");
	for (size_t i = 0; i < s->nclasses; i++) {
		printf("  %-24s", s->classes[i].name);
		for (size_t j = 0; j < fleet_result_samples(r); j += step)
			printf(" %5u", fleet_result_connected(r, i, j));
		printf("\n");
	}
	printf("\n%u of %zu devices without a session at the end\n", fleet_result_stranded_at_end(r), fleet_device_count(s));
	printf("%s: %s\n", status_word(v->status), v->message);
	if (demo)
		printf("the demonstration ran as designed: its story ends with the stranded classes above (exit 0; a real "
		       "rehearsal with stranded devices exits 1)\n");
}

static json_t *stats_json(const struct fleet_phase_stats *st)
{
	json_t *reasons = json_object(), *at_dps = json_object();

	for (int code = 0; code < RS_PROBE__COUNT; code++) {
		if (st->reasons[code])
			json_object_set_new(reasons, rs_probe_code_name((enum rs_probe_code)code), json_integer(st->reasons[code]));
		if (st->dps_reasons[code])
			json_object_set_new(at_dps, rs_probe_code_name((enum rs_probe_code)code),
					    json_integer(st->dps_reasons[code]));
	}
	return json_pack("{s:I, s:o, s:o, s:o, s:I, s:I, s:I, s:o, s:o, s:I, s:I, s:I}", "reconnected", (json_int_t)st->reconnected,
			 "p50", st->p50 < 0 ? json_null() : json_integer(st->p50), "p95",
			 st->p95 < 0 ? json_null() : json_integer(st->p95), "max",
			 st->max < 0 ? json_null() : json_integer(st->max), "holding", (json_int_t)st->holding, "stranded",
			 (json_int_t)st->stranded, "waiting", (json_int_t)st->waiting, "reasons", reasons, "reasons_at_dps", at_dps, "attempts", (json_int_t)st->attempts, "failures",
			 (json_int_t)st->failures, "failures_at_dps", (json_int_t)st->failures_at_dps);
}

static json_t *result_json(const struct fleet_result *r, rs_time start)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	json_t *classes = json_array(), *sched = json_array(), *doc;
	char at[32];

	for (size_t k = 0; k < s->nevents; k++)
		json_array_append_new(sched, json_pack("{s:I, s:s, s:b}", "at", (json_int_t)s->events[k].at, "action",
						       fleet_action_name(s->events[k].action), "disconnect",
						       s->events[k].disconnect));
	for (size_t i = 0; i < s->nclasses; i++) {
		const struct fleet_class *c = &s->classes[i];
		json_t *phases = json_array(), *curve = json_array();
		for (size_t k = 0; k < fleet_result_phases(r); k++) {
			json_t *p = stats_json(fleet_result_stats(r, i, k));
			json_object_set_new(p, "phase", json_string(phase_name(s, k)));
			json_object_set_new(p, "at", json_integer(phase_at(s, k)));
			json_object_set_new(p, "until", json_integer(phase_end(s, k)));
			json_array_append_new(phases, p);
		}
		for (size_t j = 0; j < fleet_result_samples(r); j++)
			json_array_append_new(curve, json_integer(fleet_result_connected(r, i, j)));
		json_array_append_new(
			classes,
			json_pack("{s:s, s:I, s:s, s:s?, s:s, s:s, s:s?, s:o, s:I, s:I, s:s, s:I, s:I, s:I, s:o, s:o}", "name",
				  c->name, "count", (json_int_t)c->count, "protocol", fleet_proto_name(c->proto), "dps",
				  c->dps ? fleet_dps_name(c->dps) : NULL, "sdk",
				  fleet_sdk_name(c->sdk), "store", c->store, "pin", c->pin[0] ? c->pin : NULL, "cadence",
				  fleet_cadence(c) ? json_integer(fleet_cadence(c)) : json_null(), "sas_lifetime",
				  (json_int_t)c->sas_lifetime, "keep_alive", (json_int_t)c->keep_alive, "backoff",
				  fleet_backoff_name(c->backoff), "backoff_initial", (json_int_t)c->backoff_initial,
				  "backoff_max", (json_int_t)c->backoff_max, "clock_skew", (json_int_t)c->clock_skew,
				  "phases", phases, "curve", curve));
	}
	doc = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:I}", "schema", "rootshift/rehearse/1",
			"policy", rs_verify_policy_name(FLEET_VERIFY_POLICY), "start", time_str(start, at), "duration", (json_int_t)s->duration, "sample", (json_int_t)s->sample,
			"dps_delay", (json_int_t)s->dps_delay,
			"devices", (json_int_t)fleet_device_count(s), "handshakes", (json_int_t)fleet_result_handshakes(r),
			"schedule", sched, "classes", classes, "stranded_at_end",
			(json_int_t)fleet_result_stranded_at_end(r));
	if (doc && fleet_result_stopped_at(r) >= 0) { /* stopped by a signal: what it has, marked partial */
		json_object_set_new(doc, "partial", json_true());
		json_object_set_new(doc, "stopped_at", json_integer(fleet_result_stopped_at(r)));
	}
	return doc;
}

static json_t *verdict_json(const struct verdict *v)
{
	return json_pack("{s:s, s:s, s:I}", "status", rs_status_name(v->status), "message", v->message,
			 "lab_only_classes", (json_int_t)v->lab_only);
}

/* The HTML report into f (the file opened before the run, or stdout for --report -). */
static int write_report(FILE *f, const char *path, const struct fleet_result *r, const struct fleet_advice *adv,
			size_t nadv)
{
	char *html = fleet_report_html(r, "rootshift rehearse", adv, nadv);
	int rv = 0;

	if (!html)
		return error("out of memory");
	if (fputs(html, f) == EOF || fflush(f) == EOF)
		rv = io_error("cannot write '%s': %s", path, strerror(errno));
	free(html);
	return rv;
}

/* ---- the command ---- */

struct rehearse_args {
	const char *fleet, *lab, *report, *target, *profile;
	FILE *report_file;     /* --report FILE, opened before the run (a bad path fails at once); stdout for '-' */
	int demo, stats, max_inflight, timeout_s, max_held; /* max_held -1: as many as descriptors allow */
	int no_translate;      /* --no-translate: real stores and pins stay as they are */
	double speed;
	rs_time start;
	int have_at;
	enum format format;
};

static const struct cli_opt rows[] = {
	{ "demo", 'd', NULL, .help = "a built-in fleet against a lab made in a temporary directory (offline; fixed seed;\n"
	  "--at defaults to 2026-01-02T00:00:00Z)" },
	{ "lab", 'l', "DIR", .help = "the lab (from 'rootshift lab init') to serve in this process, on the virtual clock;\n"
	  "its registry gets the fleet's devices. Not a lab another process is serving" },
	{ "target", 't', "lab:DIR", .help = "the lab 'rootshift lab serve DIR' runs in another process: devices registered and the\n"
	  "switch pressed through its admin API; SAS tokens made for its clock (it keeps its own)" },
	{ "target", 't', "HOST[:PORT]", .help = "a real endpoint, whose migration rehearse does not control: no schedule runs; each\n"
	  "class is probed now (no device credentials; port by protocol unless given) and the\n"
	  "profile's new chain is verified against its store (what-if). Stores must be paths" },
	{ "at", 'a', "TIME", .help = "the true time at virtual second 0 (default now)" },
	{ "format", 'f', "text|json", .help = "output format (default text; json has schema rootshift/rehearse/1, or\n"
	  "rootshift/rehearse-endpoint/1 for a real endpoint)" },
	{ "report", 'r', "FILE.html", .help = "also write a self-contained HTML report with an SVG chart; '-' writes it to\n"
	  "standard output and the verdict to standard error (the file is opened before the run)" },
	{ "max-inflight", 'm', "N", .help = "connection attempts at once (default 256)" },
	{ "max-held", 'H', "N", .help = "connections held at most (default: as many as open files allow, the soft limit raised\n"
	  "to the hard one); the other sessions are modelled, with the same result" },
	{ "stats", 's', NULL, .help = "wall time, handshakes per second, connections held, pings and peak RSS on stderr" },
	{ "speed", 'x', "X", .help = "at most X virtual seconds per wall second (3600: an hour a second), to watch the\n"
	  "lab's page and metrics move; default as fast as the handshakes allow" },
	{ "no-translate", 'N', NULL, .help = "against a lab, keep real roots and pins as they are" },
	{ "profile", 'p', "NAME|FILE", .help = "the migration profile for a real endpoint's what-if (default azure-iot)" },
	{ "timeout", 'T', "SECONDS", .help = "per probe of a real endpoint (default 10)" },
	CLI_END_ROWS,
};

const struct cli_spec cli_rehearse = {
	"rehearse",
	"put a simulated fleet through a root migration against the lab, on a virtual clock",
	"usage: rootshift rehearse --demo [--at TIME] [--format text|json] [--report FILE.html] [--speed X]\n"
	"       rootshift rehearse FLEET.json (--lab DIR | --target lab:DIR) [--at TIME] [--format text|json]\n"
	"                          [--report FILE.html] [--max-inflight N] [--max-held N] [--speed X] [--stats]\n"
	"                          [--no-translate]\n"
	"       rootshift rehearse FLEET.json --target HOST[:PORT] [--at TIME] [--format text|json]\n"
	"                          [--profile NAME|FILE] [--timeout SECONDS]\n",
	"Puts the fleet through the fleet file's schedule (migrate, revert, disconnect at virtual times) against a lab.\n"
	"Every device is a real TLS client with its class's trust store: each attempt is a real handshake, the served\n"
	"chain checked by rootshift's path builder at the device's own time (clock skew included), then a DPS\n"
	"registration for classes that provision (MQTT or HTTPS: 202 assigning, poll, 200 assigned), then MQTT\n"
	"CONNECT/CONNACK with a SAS token, the AMQP protocol header, or an HTTPS events POST. A session holds its\n"
	"connection (MQTT pings at its keep-alive in virtual time; the lab drops it at 1.5 x the keep-alive), so a\n"
	"forced disconnect really drops it and the device reconnects by its backoff. Between attempts virtual time\n"
	"jumps, so hours pass in seconds. Reconnect cadence by SDK (docs/rehearse.md): C MQTT at 80% of the SAS\n"
	"lifetime (48 min for 3600 s), Node 900 s before expiry (45 min), .NET at the lifetime plus 10 min, Java at\n"
	"85%, Python 120 s before expiry, C AMQP never (the token is refreshed on the same connection), HTTPS a\n"
	"handshake per request.\n"
	"\n"
	"For each class and each phase (from one scheduled event to the next): how many reconnected and when (p50,\n"
	"p95, max from the event), how many still hold an older session, how many are stranded and why (probe codes:\n"
	"cert-untrusted, cert-expired, ok-auth-rejected, ...; failures at the DPS step counted apart), and the\n"
	"connected-devices curve.\n",
	23,
	rows,
	"Exit status: 0 READY, 1 PARTIAL (all have a session at the end, some were stranded on the way) or NOT READY,\n"
	"2 when it cannot run; --demo exits 0 when it ran as designed.\n", NULL,
};

static int parse_args(int argc, char **argv, struct rehearse_args *a)
{
	struct cli_parser ps;
	int c;
	char *end;

	a->max_held = -1;
	cli_init(&ps, &cli_rehearse, 0, argc, argv);
	while ((c = cli_next(&ps)) != CLI_DONE) {
		switch (c) {
		case 'd': a->demo = 1; break;
		case 'l': a->lab = optarg; break;
		case 't': a->target = optarg; break;
		case 'p': a->profile = optarg; break;
		case 'N': a->no_translate = 1; break;
		case 'H':
			a->max_held = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || a->max_held < 0 || a->max_held > 1000000)
				return rehearse_usage("--max-held '%s' is not 0-1000000", optarg);
			break;
		case 'T':
			a->timeout_s = (int)strtol(optarg, &end, 10);
			if (*end || a->timeout_s < 1 || a->timeout_s > 600)
				return rehearse_usage("--timeout '%s' is not 1-600 seconds", optarg);
			break;
		case 'a': if (parse_at(optarg, &a->start)) return EXIT_ERROR; a->have_at = 1; break;
		case 'f': if (parse_format("rehearse", optarg, &a->format)) return EXIT_ERROR; break;
		case 'r': a->report = optarg; break;
		case 's': a->stats = 1; break;
		case 'x':
			a->speed = strtod(optarg, &end);
			if (*end || end == optarg || !(a->speed >= 1 && a->speed <= 1e7))
				return rehearse_usage("--speed '%s' is not a number from 1 to 10000000", optarg);
			break;
		case 'm':
			a->max_inflight = (int)strtol(optarg, &end, 10);
			if (*end || a->max_inflight < 1 || a->max_inflight > 4096)
				return rehearse_usage("--max-inflight '%s' is not 1-4096", optarg);
			break;
		case CLI_HELP: return show_help("rehearse") == EXIT_OK ? -1 : EXIT_ERROR;
		default: return unknown_option("rehearse", argc, argv);
		}
	}
	if (a->demo == (optind < argc))
		return rehearse_usage("give a fleet file or --demo");
	if (optind + 1 < argc)
		return rehearse_usage("one fleet file at a time");
	if (a->demo && (a->lab || a->target))
		return rehearse_usage("--demo makes its own lab; leave out --lab and --target");
	if (!a->demo && !a->lab == !a->target)
		return rehearse_usage("a fleet file needs --lab DIR (a lab served in-process) or --target lab:DIR|HOST[:PORT]");
	if (a->target && (!*a->target || !strcmp(a->target, "lab:")))
		return rehearse_usage("--target needs lab:DIR or HOST[:PORT]");
	if (a->max_held >= 0 && a->target && strncmp(a->target, "lab:", 4))
		return rehearse_usage("--max-held is for a lab (--lab DIR or --target lab:DIR)");
	if (a->report && a->target && strncmp(a->target, "lab:", 4))
		return rehearse_usage("--report is for a rehearsal against a lab (--demo, --lab DIR or --target lab:DIR)");
	if (a->report && !strcmp(a->report, "-") && a->format == FORMAT_JSON)
		return rehearse_usage("--report - writes the HTML to standard output: leave out --format json");
	if ((a->profile || a->timeout_s) && (!a->target || !strncmp(a->target, "lab:", 4)))
		return rehearse_usage("--profile and --timeout are for --target HOST[:PORT] (a real endpoint)");
	a->fleet = a->demo ? NULL : argv[optind];
	return 0;
}

static struct fleet_spec *load_fleet(const char *path)
{
	struct rs_error err;
	struct fleet_spec *s;
	char *data, base[4096], *slash;
	size_t n;

	if (read_bounded_file(path, LIMIT_FLEET_FILE, &data, &n))
		return NULL;
	snprintf(base, sizeof(base), "%s", path);
	slash = strrchr(base, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(base, sizeof(base), ".");
	if (!(s = fleet_spec_parse(data, n, base, &err))) /* read, but not a valid fleet: say so, as for profiles */
		input_error("%s fleet file '%s': %s", err.code == RS_ERR_NOMEM ? "cannot read" : "invalid", path,
			    strncmp(err.message, "fleet: ", 7) ? err.message : err.message + 7);
	free(data);
	return s;
}


/* ---- file descriptors for held connections ---- */

/* Raises the soft limit on open files to the hard one (at most 2^20) and returns it. */
static long open_files(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1024;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > 1048576 ? 1048576 : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1048576 ? 1048576 : (long)rl.rlim_cur;
}

/* Shares the descriptors: each connection takes per_conn (2 with the in-process lab: the device's side and the
 * lab's), first for the attempts in flight, twice over because the lab closes its side of a connection the device
 * left only when it reads the close (lowered, with a note, when there is not room for them), then for the
 * connections devices hold; 64 stay for standard streams, the lab's listeners and handle, and libevent. */
static int plan_files(struct fleet_target *t, int per_conn, int asked_inflight)
{
	long limit = open_files(), room = limit - 64;
	long inflight = asked_inflight > 0 ? asked_inflight : 256;

	if (room / (2 * per_conn) < 1)
		return error("this process may open only %ld files: too few for a rehearsal (raise 'ulimit -n')", limit);
	if (inflight * 2 * per_conn > room) {
		inflight = room / (2 * per_conn);
		fprintf(stderr, "note: %ld connection attempts at once, not %d: this process may open %ld files\n", inflight,
			asked_inflight > 0 ? asked_inflight : 256, limit);
	}
	t->max_inflight = (int)inflight;
	t->max_held = (int)((room - inflight * 2 * per_conn) / per_conn);
	return 0;
}

static size_t holders(const struct fleet_spec *spec)
{
	size_t n = 0;

	for (size_t i = 0; i < spec->nclasses; i++)
		n += fleet_class_holds(&spec->classes[i]) ? spec->classes[i].count : 0;
	return n;
}

/* A fleet larger than the descriptors allow still runs: the sessions beyond are modelled (docs/rehearse.md). */
static void note_budget(const struct fleet_spec *spec, int budget, int per_conn, int asked)
{
	struct rlimit rl;

	if (holders(spec) <= (size_t)budget || (asked >= 0 && asked <= budget) || getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	fprintf(stderr,
		"note: %zu devices may hold a connection, %d descriptor%s each, and this process may open %llu files: "
		"at most %d hold real connections, the sessions of the others are modelled (raise 'ulimit -Hn' to hold "
		"them all)\n",
		holders(spec), per_conn, per_conn > 1 ? "s (the device's and the in-process lab's)" : "",
		(unsigned long long)rl.rlim_cur, budget);
}

/* ---- running and rendering ---- */

/* The advice and the verdict name the roots as the azure-iot profile does (the lab's PKI looks like its chains):
 * the catalog that holds it, or NULL (then generic words, and no phase is lab-only). */
static struct rs_catalog *azure_catalog(void)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;

	if (cat && rs_catalog_add_builtin(cat, "azure-iot", &err) < 0) {
		rs_catalog_free(cat);
		cat = NULL;
	}
	return cat;
}

static void print_advice(const struct fleet_result *r, const struct fleet_advice *adv, size_t n)
{
	const struct fleet_spec *s = fleet_result_spec(r);

	if (n)
		printf("\nwhat this means, and what to do next:\n");
	for (size_t i = 0; i < n; i++)
		printf("  %s (%u of %u stranded at the end): %s.\n    next: %s.\n", s->classes[adv[i].cls].name,
		       adv[i].at_end, s->classes[adv[i].cls].count, adv[i].meaning, adv[i].next);
}

static json_t *advice_json(const struct fleet_result *r, const struct fleet_advice *adv, size_t n)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s}", "class", s->classes[adv[i].cls].name,
						     "phase", phase_name(s, adv[i].phase), "stranded_at_end",
						     (json_int_t)adv[i].at_end, "reason", rs_probe_code_name(adv[i].reason),
						     "meaning", adv[i].meaning, "next", adv[i].next));
	return arr;
}

/* ---- translation: real stores and pins in the lab's terms (translate.h) ---- */

static void note_translated(const struct fleet_result *r)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	size_t replaced = 0, kept = 0;
	char where[128];

	for (size_t i = 0; i < fleet_result_translated_count(r); i++) {
		const struct fleet_translated *t = fleet_result_translated_at(r, i);
		snprintf(where, sizeof(where), "class '%s' %s", s->classes[t->cls].name, t->pin ? "pin" : "store");
		translation_note(where, t);
		*(t->role[0] ? &replaced : &kept) += 1;
	}
	translation_note_end(replaced, kept);
}

static void print_translated(const struct fleet_result *r)
{
	const struct fleet_spec *s = fleet_result_spec(r);

	if (!fleet_result_translated_count(r))
		return;
	printf("\ntranslated: real certificates of the stores and pins, replaced by the lab's look-alikes of the same role "
	       "(--no-translate keeps them)\n");
	for (size_t i = 0; i < fleet_result_translated_count(r); i++) {
		const struct fleet_translated *t = fleet_result_translated_at(r, i);
		printf("  %-24s %-5s %s (SHA-256 %.16s...) -> %s%s\n", s->classes[t->cls].name, t->pin ? "pin" : "store",
		       t->name, t->real_sha256, t->role[0] ? "the lab's " : "", t->role[0] ? t->role : "kept: nothing in the lab plays it");
	}
}

static json_t *translated_json(const struct fleet_result *r)
{
	const struct fleet_spec *s = fleet_result_spec(r);
	json_t *arr = json_array();

	for (size_t i = 0; i < fleet_result_translated_count(r); i++) {
		const struct fleet_translated *t = fleet_result_translated_at(r, i);
		json_array_append_new(arr, translation_json(s->classes[t->cls].name, t));
	}
	return arr;
}

/* The progress line on a terminal: virtual time and phase. */
struct rehearse_progress {
	struct progress line;
	const struct fleet_spec *spec;
};

static void on_rehearse_progress(void *arg, int64_t at, int64_t duration, size_t phase)
{
	struct rehearse_progress *p = arg;
	char a[32], d[32];

	progress_line(&p->line, 0, "rehearsing: virtual %s of %s, phase %zu of %zu (%s)", clock_str(at, a),
		      clock_str(duration, d), phase + 1, p->spec->nevents + 1, phase_name(p->spec, phase));
}

static int run_and_render_as_is(struct rehearse_args *a, struct fleet_spec *spec, struct fleet_target *t,
				void (*stop)(void *ctx))
{
	struct rehearse_progress prog;
	struct fleet_advice adv[FLEET_MAX_CLASSES];
	size_t nadv;
	struct fleet_result *r;
	struct rs_catalog *cat;
	const struct rs_profile *prof;
	struct verdict v;
	struct rs_error err;
	double t0 = wall_seconds();
	int rv, fd;

	pacing.speed = a->speed;
	pacing.wall0 = t0;
	pacing.virt0 = a->start;
	fd = interrupt_fd();
	t->cancel_fd = &fd;
	memset(&prog, 0, sizeof(prog));
	prog.spec = spec;
	if (progress_wanted()) {
		t->progress = on_rehearse_progress;
		t->progress_arg = &prog;
	}
	r = fleet_run(spec, t, &err);
	progress_done(&prog.line);
	t0 = wall_seconds() - t0;
	if (stop)
		stop(t->ctx);
	if (!r)
		return lib_error(&err);
	if (a->stats) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		fprintf(stderr, "stats: %zu devices, %lu handshakes in %.2f s of wall time: %.0f handshakes/s, "
				"%.0f virtual seconds per wall second; %u connections held at most, %lu pings, %lu sessions "
				"modelled; peak RSS %ld MiB\n",
			fleet_device_count(spec), fleet_result_handshakes(r), t0,
			t0 > 0 ? (double)fleet_result_handshakes(r) / t0 : 0.0,
			t0 > 0 ? (double)spec->duration / t0 : 0.0, fleet_result_peak_held(r), fleet_result_pings(r),
			fleet_result_modelled(r), ru.ru_maxrss / 1024);
	}
	note_translated(r);
	cat = azure_catalog();
	prof = cat ? rs_catalog_profile(cat, "azure-iot") : NULL;
	nadv = fleet_advise(r, prof, a->start, adv, FLEET_MAX_CLASSES);
	judge(r, prof, a->start, &v);
	rs_catalog_free(cat); /* the advice and the verdict hold their own text */
	rv = a->report ? write_report(a->report_file, a->report, r, adv, nadv) : 0;
	if (!rv) {
		if (a->report_file == stdout) /* --report -: the HTML on stdout, the verdict on stderr */
			fprintf(stderr, "%s: %s\n", rs_status_word(v.status), v.message);
		else if (a->format == FORMAT_JSON) {
			json_t *doc = result_json(r, a->start);
			json_object_set_new(doc, "verdict", verdict_json(&v));
			json_object_set_new(doc, "demo", json_boolean(a->demo));
			json_object_set_new(doc, "advice", advice_json(r, adv, nadv));
			if (fleet_result_translating(r))
				json_object_set_new(doc, "translated", translated_json(r));
			rv = print_json(doc);
			json_decref(doc);
		} else {
			print_text(r, a->start, a->demo, &v);
			print_translated(r);
			print_advice(r, adv, nadv);
		}
		/* the demonstration is meant to strand some classes: it ran as designed (issue #19) */
		if (!rv)
			rv = a->demo ? EXIT_OK : status_exit(v.status);
	}
	if (fleet_result_stopped_at(r) >= 0) {
		char d[32];
		fprintf(stderr, "rootshift: stopped by %s at virtual time %s: the results are partial\n", interrupt_name(),
			dur(fleet_result_stopped_at(r), d));
		rv = interrupt_exit_code() ? interrupt_exit_code() : EXIT_ERROR;
	}
	fleet_result_free(r);
	return rv;
}

/* With a lab target, translated unless --no-translate (translate.h). */
static int run_and_render(struct rehearse_args *a, struct fleet_spec *spec, struct fleet_target *t,
			  void (*stop)(void *ctx))
{
	struct lab_translation tr;
	int rv;

	if (a->no_translate || !t->lab_dir)
		return run_and_render_as_is(a, spec, t, stop);
	if ((rv = translation_open(&tr, t->lab_dir)) != 0) {
		if (stop)
			stop(t->ctx);
		return rv;
	}
	t->translate_catalog = tr.cat;
	t->lookalikes = tr.looks.v;
	t->nlookalikes = tr.looks.n;
	rv = run_and_render_as_is(a, spec, t, stop);
	translation_close(&tr);
	return rv;
}

static void stop_lab_thread(void *ctx)
{
	lab_stop(((struct driver *)ctx)->lt);
}

/* What both lab targets share: descriptors planned for fds_per_device descriptors a held session (the device's,
 * and the lab's when it runs in this process), the lab's names, the clock and the switch through dr. */
static int lab_target(struct fleet_target *t, const struct rehearse_args *a, const struct fleet_spec *spec,
		      const struct lab_config *cfg, const char *dir, int fds_per_device, struct driver *dr)
{
	int rv;

	if ((rv = plan_files(t, fds_per_device, a->max_inflight)) != 0)
		return rv;
	note_budget(spec, t->max_held, fds_per_device, a->max_held);
	if (a->max_held >= 0 && a->max_held < t->max_held)
		t->max_held = a->max_held;
	t->host = cfg->hub_host;
	t->dps_host = cfg->dps_host;
	t->id_scope = cfg->id_scope;
	t->lab_dir = dir;
	t->start = a->start;
	t->timeout_ms = 30000;
	t->drops_sessions = 1;
	t->starts_new = dr->to_new;
	t->set_time = set_time;
	t->apply = apply;
	t->ctx = dr;
	return 0;
}

/* Against the lab in dir, served in this process with the virtual clock as its clock. */
static int rehearse_in_process(struct rehearse_args *a, struct fleet_spec *spec, const char *dir)
{
	struct lab_thread lt;
	struct driver dr = { dir, 0, &lt, 0 };
	struct lab_config cfg;
	struct fleet_target t = { 0 };
	struct rs_error err;
	int rv, lock;

	memset(&lt, 0, sizeof(lt));
	if (lab_config_load(dir, &cfg, &err) < 0)
		return lib_error(&err);
	if ((rv = cli_lab_lock(dir, &lock)) != 0) /* not a lab another process serves: its registry and serve.json */
		return rv;
	if ((rv = register_devices(dir, spec)) == 0 && (rv = lab_target(&t, a, spec, &cfg, dir, 2, &dr)) == 0) {
		atomic_store(&vclock, a->start);
		if ((rv = lab_start(&lt, dir, spec->dps_delay)) == 0) {
			t.connect_host = "127.0.0.1";
			t.mqtt_port = lt.mqtt_port;
			t.amqp_port = lt.amqp_port;
			t.https_port = lt.https_port;
			rv = run_and_render(a, spec, &t, stop_lab_thread);
		}
	}
	cli_lab_unlock(lock);
	return rv;
}

/* Registers the fleet's devices with a running lab, a thousand a request (the admin API takes 256 KiB bodies). */
static int register_remote(const char *dir, const struct fleet_spec *spec)
{
	struct roster ro;
	struct rs_error err;
	int rv;

	if ((rv = roster_init(&ro, spec)) != 0)
		return rv;
	for (size_t i = 0; i < ro.n && rv == 0; i += 1000) {
		json_t *doc = json_object(), *devs = json_object();
		char *text;
		for (size_t k = i; k < ro.n && k < i + 1000; k++)
			json_object_set_new(devs, ro.devs[k].id, json_string(ro.devs[k].key));
		json_object_set_new(doc, "devices", devs);
		if (!(text = json_dumps(doc, JSON_COMPACT)))
			rv = error("out of memory");
		else if (admin_post(dir, "/api/devices", text, strlen(text), &err) < 0)
			rv = lib_error(&err);
		if (text) {
			OPENSSL_cleanse(text, strlen(text));
			free(text);
		}
		json_decref(doc);
	}
	roster_release(&ro);
	return rv;
}

/* The running lab's clock and the chain its hub serves now (the rehearsal starts from it). */
static int remote_status(struct driver *dr)
{
	struct rs_error err;
	char *body = NULL;
	int status = 0;
	json_t *doc;
	const char *chain, *at;
	rs_time lab_now;

	if (lab_admin_request(dr->dir, "GET", "/api/status", &body, &status, &err) < 0)
		return lib_error(&err);
	doc = json_loads(body, 0, NULL);
	free(body);
	chain = json_string_value(json_object_get(doc, "hub_chain"));
	at = json_string_value(json_object_get(doc, "time"));
	if (status != 200 || !chain || !at || rs_time_parse(at, &lab_now, NULL) < 0) {
		json_decref(doc);
		return error("the lab in '%s' answered %d to GET /api/status, without its time and chain", dr->dir, status);
	}
	dr->offset = lab_now - now();
	dr->to_new = strcmp(chain, "old") != 0;
	if (dr->to_new)
		fprintf(stderr, "note: the lab's hub serves the '%s' chain now; the rehearsal starts from it\n", chain);
	json_decref(doc);
	return 0;
}

/* Against a lab served by another process (`rootshift lab serve DIR`): devices registered and the switch pressed
 * through its admin API; it keeps the real clock, so SAS tokens are made for the real time (docs/rehearse.md). */
static int rehearse_remote_lab(struct rehearse_args *a, struct fleet_spec *spec, const char *dir)
{
	struct driver dr = { dir, 0, NULL, 0 };
	struct lab_config cfg;
	struct lab_serve_state st;
	struct fleet_target t = { 0 };
	struct rs_error err;
	int rv;

	if (lab_config_load(dir, &cfg, &err) < 0 || lab_serve_state_load(dir, &st, &err) < 0)
		return lib_error(&err);
	if ((rv = remote_status(&dr)) != 0 || (rv = register_remote(dir, spec)) != 0)
		return rv;
	if (spec->dps_delay)
		fprintf(stderr, "note: the fleet's dps_delay is for an in-process lab; this lab's DPS follows after its own "
				"--dps-delay, in real seconds\n");
	if ((rv = lab_target(&t, a, spec, &cfg, dir, 1, &dr)) != 0)
		return rv;
	t.connect_host = strcmp(st.listen, "0.0.0.0") ? st.listen : "127.0.0.1";
	t.mqtt_port = st.mqtt_port;
	t.amqp_port = st.amqp_port;
	t.https_port = st.https_port;
	t.sas_time = lab_time;
	return run_and_render(a, spec, &t, NULL);
}

/* Closes --report's file (not stdout); rv, or EXIT_ERROR when the close fails. */
static int close_report(struct rehearse_args *a, int rv)
{
	if (a->report_file && a->report_file != stdout && fclose(a->report_file) != 0 && rv != EXIT_ERROR)
		rv = io_error("cannot write '%s': %s", a->report, strerror(errno));
	a->report_file = NULL;
	return rv;
}

int cmd_rehearse(int argc, char **argv)
{
	struct rehearse_args a = { 0 };
	struct fleet_spec *spec;
	char dir[4096];
	int rv;

	if ((rv = parse_args(argc, argv, &a)) != 0)
		return rv < 0 ? EXIT_OK : rv;
	if (a.report && !strcmp(a.report, "-"))
		a.report_file = stdout;
	else if (a.report && !(a.report_file = fopen(a.report, "w")))
		return io_error("cannot write '%s': %s", a.report, strerror(errno));
	if ((rv = interrupt_install()) != 0)
		return close_report(&a, rv);
	if (a.demo) {
		if (!a.have_at)
			rs_time_parse(DEMO_START, &a.start, NULL);
		if (!(spec = fleet_spec_demo()))
			return close_report(&a, error("out of memory"));
		if ((rv = demo_lab(dir, sizeof(dir))) != 0) {
			fleet_spec_free(spec);
			return close_report(&a, rv);
		}
		rv = rehearse_in_process(&a, spec, dir);
		remove_tree(dir);
	} else {
		if (!a.have_at)
			a.start = now();
		if (!(spec = load_fleet(a.fleet)))
			return close_report(&a, EXIT_ERROR);
		if (a.lab)
			rv = rehearse_in_process(&a, spec, a.lab);
		else if (!strncmp(a.target, "lab:", 4))
			rv = rehearse_remote_lab(&a, spec, a.target + 4);
		else
			rv = rehearse_endpoint(spec, a.target, a.start, a.profile, a.format, a.timeout_s ? a.timeout_s : 10);
	}
	fleet_spec_free(spec);
	return finish_output(close_report(&a, rv));
}
