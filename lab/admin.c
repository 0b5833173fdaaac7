/* admin.c: the client side of the admin API, for `lab migrate|revert|status` and a rehearsal against a running
 * lab: reads DIR/serve.json for the port and token and makes one HTTP/1.0 request to 127.0.0.1. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lab.h"

#define ADMIN_TIMEOUT_MS 10000
#define ADMIN_MAX_REPLY (1 << 20)

static int read_state(const char *dir, int *port, char *token, size_t tsize, struct rs_error *err)
{
	char path[4096];
	json_error_t jerr;
	json_t *doc;
	const char *t;
	int rv = -1;

	if (lab_path(path, sizeof(path), dir, "serve.json") < 0)
		return rs_error_set(err, RS_ERR_USAGE, "path '%s' is too long", dir);
	if (!(doc = json_load_file(path, 0, &jerr)))
		return rs_error_set(err, RS_ERR_IO, "cannot read '%s': is 'rootshift lab serve %s' running?", path, dir);
	*port = (int)json_integer_value(json_object_get(doc, "admin_port"));
	t = json_string_value(json_object_get(doc, "admin_token"));
	if (*port <= 0 || *port > 65535 || !t || strlen(t) >= tsize)
		rs_error_set(err, RS_ERR_PARSE, "cannot read '%s': no admin port or token", path);
	else {
		snprintf(token, tsize, "%s", t);
		rv = 0;
	}
	json_decref(doc);
	return rv;
}

int lab_serve_state_load(const char *dir, struct lab_serve_state *st, struct rs_error *err)
{
	char path[4096];
	json_t *doc;
	const char *listen;
	int rv = -1;

	if (lab_path(path, sizeof(path), dir, "serve.json") < 0)
		return rs_error_set(err, RS_ERR_USAGE, "path '%s' is too long", dir);
	if (!(doc = json_load_file(path, 0, NULL)))
		return rs_error_set(err, RS_ERR_IO, "cannot read '%s': is 'rootshift lab serve %s' running?", path, dir);
	listen = json_string_value(json_object_get(doc, "listen"));
	st->pid = (long)json_integer_value(json_object_get(doc, "pid"));
	st->mqtt_port = (int)json_integer_value(json_object_get(doc, "mqtt_port"));
	st->https_port = (int)json_integer_value(json_object_get(doc, "https_port"));
	st->amqp_port = (int)json_integer_value(json_object_get(doc, "amqp_port"));
	st->ws_port = (int)json_integer_value(json_object_get(doc, "ws_port"));
	st->admin_port = (int)json_integer_value(json_object_get(doc, "admin_port"));
	if (!listen || strlen(listen) >= sizeof(st->listen) || st->mqtt_port <= 0 || st->mqtt_port > 65535 ||
	    st->https_port <= 0 || st->https_port > 65535 || st->amqp_port <= 0 || st->amqp_port > 65535)
		rs_error_set(err, RS_ERR_PARSE, "cannot read '%s': a port or the listen address is missing", path);
	else {
		snprintf(st->listen, sizeof(st->listen), "%s", listen);
		rv = 0;
	}
	json_decref(doc);
	return rv;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int recv_all(int fd, char **out, size_t *len)
{
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap), *nb;
	struct pollfd pfd = { fd, POLLIN, 0 };

	while (buf) {
		ssize_t r;
		if (poll(&pfd, 1, ADMIN_TIMEOUT_MS) <= 0)
			break;
		r = recv(fd, buf + n, cap - n - 1, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			buf[n] = '\0';
			*out = buf;
			*len = n;
			return r == 0 ? 0 : -1;
		}
		n += (size_t)r;
		if (n + 1 == cap) {
			if (cap >= ADMIN_MAX_REPLY)
				break;
			if (!(nb = realloc(buf, cap *= 2)))
				free(buf);
			buf = nb;
		}
	}
	free(buf);
	return -1;
}

int lab_admin_request(const char *dir, const char *method, const char *path, char **body_out, int *status_out,
		      struct rs_error *err)
{
	return lab_admin_send(dir, method, path, NULL, 0, body_out, status_out, err);
}

int lab_admin_send(const char *dir, const char *method, const char *path, const char *body_in, size_t len_in,
		   char **body_out, int *status_out, struct rs_error *err)
{
	struct sockaddr_in sa;
	char token[128], req[1024], *resp = NULL, *body;
	size_t len;
	int port = 0, fd = -1, n, rv = -1;

	if (read_state(dir, &port, token, sizeof(token), err) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
				       "Content-Length: %zu\r\n\r\n", method, path, token, len_in);
	OPENSSL_cleanse(token, sizeof(token));
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rs_error_set(err, RS_ERR_IO, "cannot reach the lab's admin API on 127.0.0.1 port %d: %s", port,
			     strerror(errno));
		goto done;
	}
	if (n < 0 || (size_t)n >= sizeof(req)) {
		rs_error_set(err, RS_ERR_USAGE, "admin path '%s' is too long", path);
		goto done;
	}
	if (send_all(fd, req, (size_t)n) < 0 || (len_in && send_all(fd, body_in, len_in) < 0) ||
	    recv_all(fd, &resp, &len) < 0) {
		rs_error_set(err, RS_ERR_IO, "no answer from the lab's admin API on port %d", port);
		goto done;
	}
	if (sscanf(resp, "HTTP/1.%*d %d", status_out) != 1 || !(body = strstr(resp, "\r\n\r\n"))) {
		rs_error_set(err, RS_ERR_PARSE, "the lab's admin API answered something that is not HTTP");
		goto done;
	}
	if (!(*body_out = strdup(body + 4))) {
		rs_error_set(err, RS_ERR_NOMEM, "out of memory");
		goto done;
	}
	rv = 0;
done:
	OPENSSL_cleanse(req, sizeof(req));
	if (fd >= 0)
		close(fd);
	free(resp);
	return rv;
}
