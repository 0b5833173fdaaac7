/* render.c: certificates as JSON objects (the fields of docs/json.md) and as text. */
#include "cli.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *time_str(rs_time t, char buf[32])
{
	return rs_time_format(t, buf, 32);
}

static json_t *str_array(size_t n, const char *(*at)(const struct rs_cert *, size_t), const struct rs_cert *c)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(at(c, i)));
	return a;
}

json_t *known_json(const struct rs_known *k)
{
	json_t *o = json_object();
	const char *p = rs_profile_id(rs_known_profile(k));

	json_object_set_new(o, "id", json_string(rs_known_id(k)));
	json_object_set_new(o, "profile", json_string(p));
	json_object_set_new(o, "name", json_string(rs_known_name(k)));
	json_object_set_new(o, "kind", json_string(rs_kind_name(rs_known_kind(k))));
	json_object_set_new(o, "role", json_string(rs_known_role(k)));
	json_object_set_new(o, "summary", json_string(rs_known_summary(k)));
	return o;
}

static json_t *json_string_escaped_path(const char *path)
{
	const unsigned char *p = (const unsigned char *)path;
	size_t len = strlen(path), i = 0, o = 0, n;
	char *out = malloc(len * 4 + 1);
	json_t *s;

	if (!out)
		return NULL;
	while (i < len) {
		if ((n = rs_utf8_len(path + i)) == 0) {
			o += (size_t)snprintf(out + o, len * 4 + 1 - o, "\\x%02x", p[i]);
			i++;
			continue;
		}
		memcpy(out + o, p + i, n);
		o += n;
		i += n;
	}
	out[o] = 0;
	s = json_string(out);
	free(out);
	return s;
}

static json_t *json_base64(const char *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);
	json_t *s;

	if (!out)
		return NULL;
	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)data, (int)len);
	s = json_string(out);
	free(out);
	return s;
}

/* A file path in JSON. jansson takes only UTF-8, and a file name is bytes: a path that is not UTF-8 keeps KEY as
 * text, each byte that breaks UTF-8 written as "\\xNN", and gains KEY_base64 with the exact bytes (RFC 4648), so
 * a tool can still open the file (issue #14; docs/json.md). */
void json_set_path(json_t *obj, const char *key, const char *path)
{
	json_t *s = json_string(path);
	char k[64];

	if (s) {
		json_object_set_new(obj, key, s);
		return;
	}
	json_object_set_new(obj, key, json_string_escaped_path(path));
	snprintf(k, sizeof(k), "%s_base64", key);
	json_object_set_new(obj, k, json_base64(path, strlen(path)));
}

json_t *location_json(const struct rs_location *loc)
{
	json_t *o = json_object();

	json_set_path(o, "path", loc->path);
	json_object_set_new(o, "line", loc->line > 0 ? json_integer(loc->line) : json_null());
	json_object_set_new(o, "offset", json_integer(loc->offset));
	json_object_set_new(o, "encoding", json_string(loc->encoding ? loc->encoding : ""));
	return o;
}

static json_t *key_json(const struct rs_cert *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(rs_cert_key_type(c)));
	json_object_set_new(o, "bits", json_integer(rs_cert_key_bits(c)));
	if (*rs_cert_key_curve(c))
		json_object_set_new(o, "curve", json_string(rs_cert_key_curve(c)));
	return o;
}

static json_t *alias_json(const struct rs_catalog *cat, const struct rs_cert *c)
{
	const struct rs_known *actual = NULL;
	const char *documented_as = NULL;
	const char *note = rs_catalog_alias(cat, rs_cert_sha1(c), &documented_as, &actual);
	json_t *o;

	if (!note)
		return NULL;
	o = json_object();
	json_object_set_new(o, "documented_as", json_string(documented_as));
	json_object_set_new(o, "note", json_string(note));
	return o;
}

json_t *cert_json(const struct rs_cert *c, const struct rs_location *loc, const struct rs_catalog *cat, rs_time at)
{
	const struct rs_known *k = cat ? rs_catalog_identify(cat, c) : NULL;
	json_t *o = json_object(), *alias = cat ? alias_json(cat, c) : NULL, *locs = json_array();
	char nb[32], na[32];
	long pl = rs_cert_path_len(c);

	json_object_set_new(o, "sha1", json_string(rs_cert_sha1(c)));
	json_object_set_new(o, "sha256", json_string(rs_cert_sha256(c)));
	json_object_set_new(o, "spki_sha256", json_string(rs_cert_spki_sha256(c)));
	json_object_set_new(o, "subject", json_string(rs_cert_subject(c)));
	json_object_set_new(o, "issuer", json_string(rs_cert_issuer(c)));
	json_object_set_new(o, "serial", json_string(rs_cert_serial(c)));
	json_object_set_new(o, "not_before", json_string(time_str(rs_cert_not_before(c), nb)));
	json_object_set_new(o, "not_after", json_string(time_str(rs_cert_not_after(c), na)));
	json_object_set_new(o, "valid_at", json_boolean(rs_cert_valid_at(c, at)));
	json_object_set_new(o, "is_ca", json_boolean(rs_cert_is_ca(c)));
	json_object_set_new(o, "path_len", pl >= 0 ? json_integer(pl) : json_null());
	json_object_set_new(o, "self_issued", json_boolean(rs_cert_self_issued(c)));
	json_object_set_new(o, "known", k ? json_string(rs_known_id(k)) : json_null());
	if (k)
		json_object_set_new(o, "catalog", known_json(k));
	if (alias)
		json_object_set_new(o, "alias", alias);
	json_object_set_new(o, "key", key_json(c));
	json_object_set_new(o, "signature_algorithm", json_string(rs_cert_sig_alg(c)));
	json_object_set_new(o, "san", str_array(rs_cert_san_count(c), rs_cert_san_at, c));
	json_object_set_new(o, "key_usage", str_array(rs_cert_key_usage_count(c), rs_cert_key_usage_at, c));
	json_object_set_new(o, "ext_key_usage", str_array(rs_cert_ext_key_usage_count(c), rs_cert_ext_key_usage_at, c));
	json_object_set_new(o, "ski", json_string(rs_cert_ski(c)));
	json_object_set_new(o, "aki", json_string(rs_cert_aki(c)));
	if (loc)
		json_array_append_new(locs, location_json(loc));
	json_object_set_new(o, "locations", locs);
	return o;
}

void print_fingerprint(FILE *out, const char *label, const char *hex)
{
	size_t i, n = strlen(hex);

	fprintf(out, "  %-13s %s\n  %-13s ", label, hex, "");
	for (i = 0; i < n; i += 2)
		fprintf(out, "%s%c%c", i ? ":" : "", hex[i] - (hex[i] >= 'a' ? 32 : 0),
			hex[i + 1] - (hex[i + 1] >= 'a' ? 32 : 0));
	fputc('\n', out);
}

void print_known_line(FILE *out, const struct rs_known *k)
{
	fprintf(out, "%s: %s", rs_known_name(k), rs_known_summary(k));
}
