/*
 * test_allocfail.c: allocation-failure testing, as SQLite (test_malloc.c, "fail the Nth allocation") and curl
 * (tests/unit with its memdebug "fail after N") do it. This binary is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup (ld(1) --wrap), so every allocation
 * the static library makes goes through the counting shims below; jansson's go through json_set_alloc_funcs.
 * Each entry point runs for N = 1, 2, ... with the Nth allocation failing, until a run needs fewer than N. Every
 * run must end cleanly: an error, or a success with the same answer as the run without failures (a silent
 * wrong answer is a defect too). Under AddressSanitizer the same runs also prove no crash, no double free and (at
 * exit, LeakSanitizer) no leak. OpenSSL's own allocations fail too (CRYPTO_set_mem_functions), except for verify,
 * audit and profiles: see test_verify.
 */
#include "rs_test.h"

#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static int armed;
static long counted, fail_at, injected;
static const char *current = ""; /* the entry point running */
static char *trace;                /* from ALLOCFAIL_TRACE=NAME:N */
static long trace_at;

/* 1 when this allocation is the one to fail. */
static int fail_now(void)
{
	if (!armed)
		return 0;
	if (++counted != fail_at)
		return 0;
	injected++;
	if (trace && !strcmp(trace, current) && trace_at == fail_at)
		abort(); /* ALLOCFAIL_TRACE=NAME:N stops here, for a debugger's backtrace */
	return 1;
}

void *__wrap_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t k, size_t n) { return fail_now() ? NULL : __real_calloc(k, n); }
void *__wrap_realloc(void *p, size_t n) { return fail_now() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return fail_now() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return fail_now() ? NULL : __real_strndup(s, n); }
static void *json_malloc(size_t n) { return fail_now() ? NULL : __real_malloc(n); }
/* OpenSSL's allocations (CRYPTO_set_mem_functions) count and fail too, for the entry points that set
 * with_openssl: a failure inside OpenSSL must reach the caller as "out of memory", never as a verdict on the
 * input (rs_ssl_take_nomem). */
static int ossl_armed;
static void *ossl_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return ossl_armed && fail_now() ? NULL : __real_malloc(n);
}
static void *ossl_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return ossl_armed && fail_now() ? NULL : __real_realloc(p, n);
}
static void ossl_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

/* ---- inputs, read before anything is armed ---- */

static unsigned char *slurp(const char *rel, size_t *len)
{
	char path[1024];
	FILE *f;
	unsigned char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", RS_TEST_DATA, rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = __real_malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static struct {
	unsigned char *roots, *scan_src, *bundle_src, *blob, *hex;
	size_t roots_len, scan_len, bundle_len, blob_len, hex_len;
	struct rs_catalog *cat;
	struct rs_anchorset *source;
	rs_time at;
} in;

/* ---- entry points: 0 and a fingerprint of the answer, or -1 ---- */

static int ep_load(long *fp)
{
	struct rs_certlist *l = rs_certlist_new();
	struct rs_error err;
	int rv = -1;

	if (l && rs_load_mem(l, in.roots, in.roots_len, "roots.pem", NULL, &err) == 0) {
		*fp = (long)rs_certlist_count(l);
		rv = 0;
	}
	rs_certlist_free(l);
	return rv;
}

static int ep_profiles(long *fp)
{
	struct rs_catalog *cat = rs_catalog_new();
	struct rs_error err;
	int rv = -1;

	if (cat && rs_catalog_add_builtin(cat, "azure-iot", &err) == 0) {
		*fp = (long)rs_catalog_profile_count(cat);
		rv = 0;
	}
	rs_catalog_free(cat);
	return rv;
}

static int ep_audit(long *fp)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_verdict *v = NULL;
	struct rs_error err;
	int rv = -1;

	if (set && rs_anchorset_scan_mem(set, in.roots, in.roots_len, "roots.pem", NULL, &err) == 0 &&
	    (v = rs_audit(set, in.cat, rs_catalog_profile(in.cat, "azure-iot"), in.at, &err)) != NULL) {
		*fp = (long)rs_verdict_status(v);
		rv = 0;
	}
	rs_verdict_free(v);
	rs_anchorset_free(set);
	return rv;
}

static int ep_verify(long *fp)
{
	struct rs_certlist *chain = rs_certlist_new(), *store = rs_certlist_new();
	struct rs_verify_opts *o = rs_verify_opts_new();
	struct rs_verify_result *r = NULL;
	struct rs_error err;
	int rv = -1;

	if (chain && store && o && rs_load_mem(store, in.roots, in.roots_len, "roots.pem", NULL, &err) == 0 &&
	    rs_certlist_add(chain, rs_certlist_at(store, 1), rs_certlist_location(store, 1), &err) == 0) {
		rs_verify_opts_set_time(o, in.at);
		if ((r = rs_verify(chain, NULL, store, o, &err)) != NULL) {
			*fp = rs_verify_result_ok(r) * 1000 + (long)rs_verify_result_path_count(r);
			rv = 0;
		}
	}
	rs_verify_result_free(r);
	rs_verify_opts_free(o);
	rs_certlist_free(chain);
	rs_certlist_free(store);
	return rv;
}

static int ep_scan(long *fp)
{
	struct rs_pinscan *ps = rs_pinscan_new(in.cat);
	struct rs_error err;
	int rv = -1;

	if (ps && rs_pinscan_mem(ps, in.scan_src, in.scan_len, "esp8266_baltimore.ino", &err) == 0) {
		*fp = (long)rs_pinscan_count(ps);
		rv = 0;
	}
	rs_pinscan_free(ps);
	return rv;
}

/* A firmware blob (tests/data/firmware/blob.bin): a SquashFS and a gzip'ed cpio inside, read as members by audit's
 * anchor scan and by scan; the fingerprint is the anchors and the findings (libsquashfs' and libarchive's own
 * allocations are not counted: they are opened with dlopen) */
static int ep_firmware(long *fp)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_pinscan *ps = rs_pinscan_new(in.cat);
	struct rs_error err;
	int rv = -1;

	if (set && ps && rs_anchorset_scan_mem(set, in.blob, in.blob_len, "blob.bin", NULL, &err) == 0 &&
	    rs_pinscan_mem(ps, in.blob, in.blob_len, "blob.bin", &err) == 0) {
		*fp = (long)rs_anchorset_count(set) * 1000 + (long)rs_pinscan_count(ps);
		rv = 0;
	}
	rs_pinscan_free(ps);
	rs_anchorset_free(set);
	return rv;
}

/* A microcontroller's flash image (tests/data/firmware/flash.hex): Intel HEX with Baltimore and a pin at 0x08000000
 * and a second region at 0x10001000, decoded by mcuhex.c into two members; the anchors and the findings */
static int ep_flash_hex(long *fp)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_pinscan *ps = rs_pinscan_new(in.cat);
	struct rs_error err;
	int rv = -1;

	if (set && ps && rs_anchorset_scan_mem(set, in.hex, in.hex_len, "flash.hex", NULL, &err) == 0 &&
	    rs_pinscan_mem(ps, in.hex, in.hex_len, "flash.hex", &err) == 0) {
		*fp = (long)rs_anchorset_count(set) * 1000 + (long)rs_pinscan_count(ps);
		rv = 0;
	}
	rs_pinscan_free(ps);
	rs_anchorset_free(set);
	return rv;
}

static int ep_bundle(long *fp)
{
	struct rs_bundle_opts bo = { 0, 0 };
	struct rs_bundle *b;
	struct rs_bundle_files *files = NULL;
	struct rs_error err;
	size_t len = 0;
	int rv = -1;

	b = rs_bundle_select(in.source, in.cat, rs_catalog_profile(in.cat, "azure-iot"), in.at, &bo, &err);
	if (b && (files = rs_bundle_render(b, RS_BUNDLE_PEM, NULL, &err)) != NULL) {
		rs_bundle_files_data_at(files, 0, &len);
		*fp = (long)(rs_bundle_count(b) * 100000 + len);
		rv = 0;
	}
	rs_bundle_files_free(files);
	rs_bundle_free(b);
	return rv;
}

static int ep_codecs(long *fp)
{
	static const char req[] = "GET /$iothub/websocket HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
				  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
	struct rs_mqtt_packet p, q;
	struct rs_http_request hr;
	struct rs_ws_frame f;
	struct rs_error err;
	unsigned char buf[512], frame[64] = { 0x82, 0x05, 'h', 'e', 'l', 'l', 'o' };
	char accept[29];
	size_t len, used;

	memset(&p, 0, sizeof(p));
	p.type = RS_MQTT_CONNECT;
	p.protocol_name.ptr = "MQTT";
	p.protocol_name.len = 4;
	p.protocol_level = 4;
	p.client_id.ptr = "dev1";
	p.client_id.len = 4;
	if (rs_mqtt_encode(&p, buf, sizeof(buf), &len, &err) < 0 || rs_mqtt_decode(buf, len, 4096, &q, &used, &err) != 1)
		return -1;
	if (rs_http_parse_request(req, sizeof(req) - 1, 8192, &hr, &used, &err) != 1)
		return -1;
	if (rs_ws_accept(*rs_http_header(&hr, "Sec-WebSocket-Key"), accept, &err) < 0)
		return -1;
	if (rs_ws_decode(frame, 7, 1024, &f, &used, &err) != 1)
		return -1;
	*fp = (long)(len * 1000 + f.payload_len) + (strcmp(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") ? 7 : 0);
	return 0;
}

static int ep_azure(long *fp)
{
	static const char key[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
	struct rs_connstr *cs;
	struct rs_sas *sas = NULL;
	struct rs_error err;
	char *host = NULL, *id = NULL, *user = NULL, *tok = NULL, *made = NULL;
	int rv = -1;

	cs = rs_connstr_parse("HostName=hub.azure-devices.net;DeviceId=dev1;SharedAccessKey="
			      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", &err);
	if (cs && rs_azure_hub_credentials(cs, in.at, 3600, &host, &id, &user, &tok, &err) == 0 &&
	    (made = rs_sas_make("hub.azure-devices.net/devices/dev1", key, in.at + 60, NULL, &err)) != NULL &&
	    (sas = rs_sas_parse(tok, &err)) != NULL && rs_sas_verify(sas, key, "hub.azure-devices.net/devices/dev1", in.at, &err) == 0) {
		*fp = (long)(strlen(host) + strlen(id) + strlen(user) + strlen(made));
		rv = 0;
	}
	rs_sas_free(sas);
	free(host);
	free(id);
	free(user);
	free(tok);
	free(made);
	rs_connstr_free(cs);
	return rv;
}

/* A scan of a tree stopped by its cancel flag after the third file (as a signal handler sets it in the CLI): the
 * answer is RS_ERR_CANCELLED and the anchors of the files read so far. Each allocation failing on the way, the
 * walk's state (the open directories, the file read) must still be freed on the cancel path. The library's own
 * allocations only: with OpenSSL's failing too, allocation 3603 (inside X509_check_ca's extension cache, for
 * forms/cert_and_junk_block.pem or its like) drops a root silently, 1 anchor instead of 2: OpenSSL 3.0 marks the
 * extensions invalid without an allocation error on its queue, so the certificate reads as broken (see test_verify's
 * note; the same limit as audit's). */
static volatile int scan_cancel;
static void cancel_after_three(void *arg, const char *path, unsigned long long files, unsigned long long bytes)
{
	(void)arg;
	(void)path;
	(void)bytes;
	if (files >= 3)
		scan_cancel = 1;
}

static int ep_scan_cancelled(long *fp)
{
	struct rs_anchorset *set = rs_anchorset_new();
	struct rs_scan_opts so = { 0 };
	struct rs_error err;
	int rv = -1;

	scan_cancel = 0;
	so.progress = cancel_after_three;
	so.cancel = &scan_cancel;
	if (set && rs_anchorset_scan_path(set, RS_TEST_DATA "/forms", &so, &err) < 0 && err.code == RS_ERR_CANCELLED) {
		*fp = (long)rs_anchorset_count(set);
		rv = 0;
	}
	rs_anchorset_free(set);
	return rv;
}

/* ---- the driver ---- */

static void run_all_failures(const char *name, int (*ep)(long *fp), int with_openssl)
{
	long ref = -1, fp, n;
	int rv;

	if (getenv("ALLOCFAIL_ONLY") && strcmp(getenv("ALLOCFAIL_ONLY"), name))
		return; /* ALLOCFAIL_ONLY=NAME: one entry point, when chasing a failure */
	current = name;
	armed = 0;
	ossl_armed = with_openssl;
	assert_int_equal(ep(&ref), 0);
	for (n = 1; n < 200000; n++) {
		fp = -1;
		counted = injected = 0;
		fail_at = n;
		armed = 1;
		rv = ep(&fp);
		armed = 0;
		if (!injected) {
			assert_int_equal(rv, 0);
			assert_int_equal(fp, ref);
			printf("ok: %s: failed each of its %ld allocations%s in turn, every run ended cleanly\n", name, n - 1,
			       with_openssl ? " (OpenSSL's included)" : "");
			return;
		}
		if (rv == 0 && fp != ref)
			fail_msg("%s: allocation %ld failed and the call succeeded with a wrong answer (%ld, expected %ld)", name,
				 n, fp, ref);
	}
	fail_msg("%s: more than 200000 allocations", name);
}

/* verify and audit fail only the library's own allocations: OpenSSL 3.0's d2i_X509, when an allocation inside
 * its key decoder (OSSL_DECODER_from_bio) fails, falls back to a key object that decodes but then fails every
 * signature check, and says nothing on its error queue; no caller can tell that from a bad signature. The
 * profiles run (30 000 allocations, most of them OpenSSL's) would take minutes with OpenSSL's counted. */
static void test_load(void **state) { (void)state; run_all_failures("load", ep_load, 1); }
static void test_profiles(void **state) { (void)state; run_all_failures("profiles", ep_profiles, 0); }
static void test_audit(void **state) { (void)state; run_all_failures("audit", ep_audit, 0); }
static void test_verify(void **state) { (void)state; run_all_failures("verify", ep_verify, 0); }
static void test_scan(void **state) { (void)state; run_all_failures("scan", ep_scan, 1); }
static void test_bundle(void **state) { (void)state; run_all_failures("bundle render", ep_bundle, 1); }
static void test_firmware(void **state) { (void)state; run_all_failures("firmware blob", ep_firmware, 0); }
static void test_flash_hex(void **state) { (void)state; run_all_failures("flash hex", ep_flash_hex, 0); }
static void test_scan_cancelled(void **state) { (void)state; run_all_failures("scan cancelled", ep_scan_cancelled, 0); }
static void test_codecs(void **state) { (void)state; run_all_failures("mqtt, http, websocket codecs", ep_codecs, 1); }
static void test_azure(void **state) { (void)state; run_all_failures("sas and connection strings", ep_azure, 1); }

/* The shims themselves: a failure is injected, and a run past the last allocation injects none. */
static void test_shim(void **state)
{
	void *p;

	(void)state;
	counted = injected = 0;
	fail_at = 2;
	armed = 1;
	p = malloc(8);
	assert_non_null(p);
	assert_null(strdup("x"));
	armed = 0;
	free(p);
	assert_int_equal(injected, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shim),	 cmocka_unit_test(test_codecs), cmocka_unit_test(test_azure),
		cmocka_unit_test(test_load),	 cmocka_unit_test(test_profiles), cmocka_unit_test(test_verify),
		cmocka_unit_test(test_audit),	 cmocka_unit_test(test_scan),   cmocka_unit_test(test_bundle),
		cmocka_unit_test(test_firmware), cmocka_unit_test(test_flash_hex),
		cmocka_unit_test(test_scan_cancelled),
	};
	struct rs_error err;

	json_set_alloc_funcs(json_malloc, free);
	if (!CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free))
		fail_msg("CRYPTO_set_mem_functions: OpenSSL allocated before main");
	if (getenv("ALLOCFAIL_TRACE") && (trace = __real_strdup(getenv("ALLOCFAIL_TRACE"))) && strchr(trace, ':')) {
		trace_at = strtol(strchr(trace, ':') + 1, NULL, 10);
		*strchr(trace, ':') = '\0';
	}
	in.roots = slurp("baltimore_cybertrust_root.pem", &in.roots_len);
	{
		size_t n2;
		unsigned char *g2 = slurp("digicert_global_root_g2.pem", &n2);
		in.roots = __real_realloc(in.roots, in.roots_len + n2 + 1);
		memcpy(in.roots + in.roots_len, g2, n2 + 1);
		in.roots_len += n2;
		free(g2);
	}
	in.scan_src = slurp("scan/fire/esp8266_baltimore.ino", &in.scan_len);
	in.blob = slurp("firmware/blob.bin", &in.blob_len);
	in.hex = slurp("firmware/flash.hex", &in.hex_len);
	in.bundle_src = slurp("certifi-2025.01.31.pem", &in.bundle_len);
	rs_time_parse("2025-06-01T00:00:00Z", &in.at, NULL);
	in.cat = rs_catalog_new();
	in.source = rs_anchorset_new();
	if (!in.cat || rs_catalog_add_builtin(in.cat, "azure-iot", &err) < 0 ||
	    rs_anchorset_scan_mem(in.source, in.bundle_src, in.bundle_len, "certifi.pem", NULL, &err) < 0) {
		fprintf(stderr, "cannot set up: %s\n", err.message);
		return 1;
	}
	{
		int rv = cmocka_run_group_tests(tests, NULL, NULL);
		rs_anchorset_free(in.source);
		rs_catalog_free(in.cat);
		free(in.roots);
		free(in.scan_src);
		free(in.bundle_src);
		free(in.blob);
		free(in.hex);
		return rv;
	}
}
