/* connstr.c: IoT Hub connection strings, "Key=Value;Key=Value", as the C SDK parses them. */
#include "azure.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#define CONNSTR_MAX_FIELDS 16
#define CONNSTR_MAX_LEN 4096

struct rs_connstr {
	size_t count;
	char *keys[CONNSTR_MAX_FIELDS];
	char *values[CONNSTR_MAX_FIELDS];
};

void rs_connstr_free(struct rs_connstr *cs)
{
	size_t i;

	if (!cs)
		return;
	for (i = 0; i < cs->count; i++) {
		free(cs->keys[i]);
		if (cs->values[i])
			OPENSSL_cleanse(cs->values[i], strlen(cs->values[i]));
		free(cs->values[i]);
	}
	free(cs);
}

const char *rs_connstr_get(const struct rs_connstr *cs, const char *key)
{
	size_t i;

	for (i = 0; cs && i < cs->count; i++)
		if (!strcmp(cs->keys[i], key))
			return cs->values[i];
	return NULL;
}

/* One "Key=Value" part; the value may contain '=' (base64 padding). */
static int add_field(struct rs_connstr *cs, const char *part, size_t len, size_t index, struct rs_error *err)
{
	const char *eq = memchr(part, '=', len);
	size_t klen;

	if (!eq || eq == part)
		return rs_fail(err, RS_ERR_PARSE, "cannot parse connection string: part %zu is not Key=Value", index);
	klen = (size_t)(eq - part);
	if (cs->count == CONNSTR_MAX_FIELDS)
		return rs_fail(err, RS_ERR_LIMIT, "cannot parse connection string: more than %d parts",
			       CONNSTR_MAX_FIELDS);
	cs->keys[cs->count] = rs_strndup(part, klen);
	cs->values[cs->count] = rs_strndup(eq + 1, len - klen - 1);
	cs->count++;
	if (!cs->keys[cs->count - 1] || !cs->values[cs->count - 1])
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	if (rs_connstr_get(cs, cs->keys[cs->count - 1]) != cs->values[cs->count - 1])
		return rs_fail(err, RS_ERR_PARSE, "cannot parse connection string: '%s' given twice",
			       cs->keys[cs->count - 1]);
	return 0;
}

struct rs_connstr *rs_connstr_parse(const char *text, struct rs_error *err)
{
	struct rs_connstr *cs;
	const char *p = text, *end;
	size_t index = 1;

	if (!text || !*text) {
		rs_fail(err, RS_ERR_EMPTY, "connection string is empty");
		return NULL;
	}
	if (strlen(text) > CONNSTR_MAX_LEN) {
		rs_fail(err, RS_ERR_LIMIT, "connection string is longer than %d bytes", CONNSTR_MAX_LEN);
		return NULL;
	}
	if (!(cs = calloc(1, sizeof(*cs)))) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	while (*p) {
		end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		if (end > p && add_field(cs, p, (size_t)(end - p), index, err) < 0) {
			rs_connstr_free(cs);
			return NULL;
		}
		p = *end ? end + 1 : end;
		index++;
	}
	if (!rs_connstr_get(cs, "HostName")) {
		rs_fail(err, RS_ERR_PARSE, "cannot parse connection string: no HostName");
		rs_connstr_free(cs);
		return NULL;
	}
	return cs;
}
