/* test_lab_files.c: what the lab reads and writes in its directory, through lab.h: the registry (devices.json:
 * add, look up, put many, the server's reloading view), the settings (lab.json), serve.json, the chain names, and the
 * admin API's client (refused, not HTTP, an answer) against a child process on loopback. Each bad file gives the
 * one-line error a user sees. */
#include "rs_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

#define KEY "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" /* base64 of 32 bytes */
#define KEY2 "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="

static char dir[64];

static void put_file(const char *name, const char *text)
{
	char path[128];
	struct rs_error err;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lab_write_file(path, text, strlen(text), 1, &err) < 0)
		fail_msg("%s", err.message);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/rs-lab-files-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = { "devices.json", "lab.json", "serve.json" };
	char path[128];

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	return rmdir(dir);
}

static void expect_error(int rv, const struct rs_error *err, const char *want)
{
	assert_int_equal(rv, -1);
	if (!strstr(err->message, want))
		fail_msg("'%s' does not hold '%s'", err->message, want);
}

static void test_device_ids(void **state)
{
	char id[140];

	(void)state;
	assert_true(lab_device_id_ok("dev-1.a_b:c@d"));
	assert_false(lab_device_id_ok(""));
	assert_false(lab_device_id_ok("dev 1"));
	assert_false(lab_device_id_ok("dev/1"));
	memset(id, 'a', 128);
	id[128] = '\0';
	assert_true(lab_device_id_ok(id));
	id[128] = 'a';
	id[129] = '\0';
	assert_false(lab_device_id_ok(id));
}

static void test_registry(void **state)
{
	struct lab_device bad_id[] = { { "a b", KEY } }, bad_key[] = { { "ok", "c2hvcnQ=" } },
			  two[] = { { "dev1", KEY }, { "dev2", KEY2 } };
	struct lab_registry *reg;
	struct rs_error err;
	char key[64], small[8];

	(void)state;
	/* no devices.json: the error says what the directory should be */
	expect_error(lab_device_key(dir, "dev1", key, sizeof(key), &err), &err, "a lab made by 'rootshift lab init'");
	assert_int_equal(err.code, RS_ERR_IO);
	expect_error(lab_device_add(dir, "dev1", key, sizeof(key), &err), &err, "devices.json");
	put_file("devices.json", "[1]");
	expect_error(lab_devices_put(dir, two, 2, &err), &err, "not a JSON object");
	put_file("devices.json", "{\"devices\":[]}");
	expect_error(lab_devices_put(dir, two, 2, &err), &err, "no \"devices\" object");
	expect_error(lab_device_add(dir, "dev1", key, sizeof(key), &err), &err, "no \"devices\" object");

	put_file("devices.json", "{\"devices\":{}}");
	expect_error(lab_devices_put(dir, bad_id, 1, &err), &err, "device id 'a b' is not valid");
	expect_error(lab_devices_put(dir, bad_key, 1, &err), &err, "the key of device 'ok' is not base64 of 16 to 64");
	expect_error(lab_device_add(dir, "a/b", key, sizeof(key), &err), &err, "device id 'a/b' is not valid");
	expect_error(lab_device_add(dir, "dev3", small, sizeof(small), &err), &err, "cannot draw a device key");
	assert_int_equal(lab_devices_put(dir, two, 2, &err), 0);

	/* a drawn key: base64 of 32 bytes, found again; a second add of the same id refused */
	assert_int_equal(lab_device_add(dir, "dev3", key, sizeof(key), &err), 0);
	assert_int_equal(strlen(key), 44);
	assert_int_equal(lab_device_key(dir, "dev3", small, sizeof(small), &err), -1); /* does not fit */
	assert_int_equal(err.code, RS_ERR_NOTFOUND);
	expect_error(lab_device_add(dir, "dev3", key, sizeof(key), &err), &err, "device 'dev3' is already in the lab");
	assert_int_equal(lab_device_key(dir, "dev1", key, sizeof(key), &err), 0);
	assert_string_equal(key, KEY);
	expect_error(lab_device_key(dir, "dev9", key, sizeof(key), &err), &err, "no device 'dev9' in the lab");

	/* the server's view: sorted lookup, devices added while it runs seen at the next lookup */
	assert_non_null(reg = lab_registry_new(dir));
	assert_int_equal(lab_registry_key(reg, "dev2", key, sizeof(key), &err), 0);
	assert_string_equal(key, KEY2);
	expect_error(lab_registry_key(reg, "dev4", key, sizeof(key), &err), &err, "no device 'dev4' in the lab");
	expect_error(lab_registry_key(reg, "dev2", small, sizeof(small), &err), &err, "no device 'dev2'");
	put_file("devices.json", "{\"devices\":{\"dev4\":{\"primary_key\":\"" KEY "\"},\"nokey\":{\"auth\":\"x509\"},"
				 "\"dev0\":{\"primary_key\":\"" KEY2 "\"}}}");
	assert_int_equal(lab_registry_key(reg, "dev4", key, sizeof(key), &err), 0);
	assert_string_equal(key, KEY);
	assert_int_equal(lab_registry_key(reg, "dev0", key, sizeof(key), &err), 0);
	assert_string_equal(key, KEY2);
	expect_error(lab_registry_key(reg, "nokey", key, sizeof(key), &err), &err, "no device 'nokey'");
	expect_error(lab_registry_key(reg, "dev2", key, sizeof(key), &err), &err, "no device 'dev2'"); /* gone */
	/* a broken file: the error, then the old view is not used as if nothing happened */
	put_file("devices.json", "{\"devices\":");
	expect_error(lab_registry_key(reg, "dev4", key, sizeof(key), &err), &err, "cannot read");
	put_file("devices.json", "{\"devices\":{}}");
	expect_error(lab_registry_key(reg, "dev4", key, sizeof(key), &err), &err, "no device 'dev4'");
	lab_registry_free(reg);
	lab_registry_free(NULL);
}

static void test_config(void **state)
{
	struct lab_config cfg;
	struct rs_error err;

	(void)state;
	expect_error(lab_config_load(dir, &cfg, &err), &err, "lab.json");
	put_file("lab.json", "{\"hub_host\":\"h.azure-devices.net\",\"dps_host\":\"global.azure-devices-provisioning.net\","
			     "\"id_scope\":\"0ne00000001\",\"generated_at\":\"2026-01-01T00:00:00Z\"}");
	assert_int_equal(lab_config_load(dir, &cfg, &err), 0);
	assert_string_equal(cfg.hub_host, "h.azure-devices.net");
	assert_string_equal(cfg.id_scope, "0ne00000001");
	assert_int_equal(cfg.generated_at, 1767225600);
	put_file("lab.json", "{\"hub_host\":\"h\",\"dps_host\":\"d\",\"id_scope\":\"s\",\"generated_at\":\"yesterday\"}");
	expect_error(lab_config_load(dir, &cfg, &err), &err, "lab.json': a field is missing or wrong");
	put_file("lab.json", "{\"hub_host\":\"h\",\"id_scope\":\"s\",\"generated_at\":\"2026-01-01T00:00:00Z\"}");
	expect_error(lab_config_load(dir, &cfg, &err), &err, "a field is missing or wrong");
	assert_int_equal(err.code, RS_ERR_PARSE);
}

static void test_chain_names(void **state)
{
	enum lab_chain c;

	(void)state;
	for (int i = 0; i < LAB_CHAIN__COUNT; i++) {
		assert_int_equal(lab_chain_parse(lab_chain_name((enum lab_chain)i), &c), 0);
		assert_int_equal(c, i);
	}
	assert_string_equal(lab_chain_name(LAB_CHAIN_NEW), "new");
	assert_int_equal(lab_chain_parse("newest", &c), -1);
}

static void test_serve_state(void **state)
{
	struct lab_serve_state st;
	struct rs_error err;
	char *body = NULL;
	int status = 0;

	(void)state;
	expect_error(lab_serve_state_load(dir, &st, &err), &err, "is 'rootshift lab serve");
	expect_error(lab_admin_request(dir, "GET", "/api/status", &body, &status, &err), &err,
		     "is 'rootshift lab serve");
	put_file("serve.json", "{\"listen\":\"127.0.0.1\",\"pid\":42,\"mqtt_port\":8883,\"https_port\":443,"
			       "\"amqp_port\":5671,\"ws_port\":8443,\"admin_port\":0}");
	assert_int_equal(lab_serve_state_load(dir, &st, &err), 0);
	assert_string_equal(st.listen, "127.0.0.1");
	assert_int_equal(st.pid, 42);
	assert_int_equal(st.ws_port, 8443);
	/* no admin port or token: the client says so */
	expect_error(lab_admin_request(dir, "GET", "/api/status", &body, &status, &err), &err, "no admin port or token");
	put_file("serve.json", "{\"listen\":\"127.0.0.1\",\"mqtt_port\":8883,\"https_port\":70000,\"amqp_port\":5671}");
	expect_error(lab_serve_state_load(dir, &st, &err), &err, "a port or the listen address is missing");
}

/* A one-shot admin server in a child: reads the request, answers reply, exits. Returns its port. */
static int admin_child(const char *reply, pid_t *pid)
{
	struct sockaddr_in sa = { 0 };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		char req[4096];
		size_t got = 0;
		int c = accept(fd, NULL, NULL);
		ssize_t n;
		/* the request: headers, then the body its Content-Length announces (the tests send "{}" or none) */
		while (c >= 0 && (n = read(c, req + got, sizeof(req) - 1 - got)) > 0) {
			got += (size_t)n;
			req[got] = '\0';
			if (strstr(req, "\r\n\r\n") && (!strstr(req, "Content-Length: 2") || strstr(req, "\r\n\r\n{}")))
				break;
		}
		if (c >= 0 && (!strstr(req, "Authorization: Bearer tok\r\n") || write(c, reply, strlen(reply)) < 0))
			_exit(1);
		_exit(0);
	}
	close(fd);
	return ntohs(sa.sin_port);
}

static void serve_json(int admin_port)
{
	char text[256];

	snprintf(text, sizeof(text), "{\"admin_port\":%d,\"admin_token\":\"tok\"}", admin_port);
	put_file("serve.json", text);
}

static void wait_child(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_admin_client(void **state)
{
	struct rs_error err;
	char *body = NULL, path[1100];
	int status = 0, fd, port;
	pid_t pid;
	struct sockaddr_in sa = { 0 };
	socklen_t len = sizeof(sa);

	(void)state;
	/* a port that refuses (bound, not listening) */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	serve_json(port);
	expect_error(lab_admin_request(dir, "GET", "/api/status", &body, &status, &err), &err,
		     "cannot reach the lab's admin API on 127.0.0.1 port");
	close(fd);

	serve_json(admin_child("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"ok\":true}", &pid));
	assert_int_equal(lab_admin_send(dir, "POST", "/api/migrate", "{}", 2, &body, &status, &err), 0);
	wait_child(pid);
	assert_int_equal(status, 200);
	assert_string_equal(body, "{\"ok\":true}");
	free(body);

	serve_json(admin_child("SSH-2.0-OpenSSH\r\n", &pid));
	expect_error(lab_admin_request(dir, "GET", "/api/status", &body, &status, &err), &err,
		     "answered something that is not HTTP");
	wait_child(pid);

	serve_json(admin_child("", &pid)); /* closes without a word */
	expect_error(lab_admin_request(dir, "GET", "/api/status", &body, &status, &err), &err, "not HTTP");
	wait_child(pid);

	serve_json(admin_child("", &pid));
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	expect_error(lab_admin_request(dir, "GET", path, &body, &status, &err), &err, "admin path 'aaaa");
	assert_int_equal(err.code, RS_ERR_USAGE);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void test_write_file(void **state)
{
	struct rs_error err;
	char path[128], out[16];
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/no-such-dir/x", dir);
	expect_error(lab_write_file(path, "x", 1, 0, &err), &err, "cannot write");
	assert_int_equal(err.code, RS_ERR_IO);
	put_file("lab.json", "secret");
	snprintf(path, sizeof(path), "%s/lab.json", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 6);
	assert_int_equal(lab_path(out, sizeof(out), "/a", "b.json"), 0);
	assert_string_equal(out, "/a/b.json");
	assert_int_equal(lab_path(out, sizeof(out), "/a/long/dir", "b.json"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_ids),
		cmocka_unit_test_setup_teardown(test_registry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
		cmocka_unit_test(test_chain_names),
		cmocka_unit_test_setup_teardown(test_serve_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin_client, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
