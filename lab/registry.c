/* registry.c: the lab's device registry (devices.json) and its settings (lab.json). */

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lab.h"

/* IoT Hub device ids: up to 128 of [A-Za-z0-9-.%_*?!(),:=@$'+] ; the lab accepts a safe subset. */
int lab_device_id_ok(const char *id)
{
	size_t n = strlen(id);

	return n > 0 && n <= 128 && strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:@") == n;
}

static json_t *load_json(const char *dir, const char *name, struct rs_error *err)
{
	char path[4096];
	json_error_t jerr;
	json_t *doc;

	if (lab_path(path, sizeof(path), dir, name) < 0) {
		rs_error_set(err, RS_ERR_USAGE, "path '%s' is too long", dir);
		return NULL;
	}
	if (!(doc = json_load_file(path, 0, &jerr)))
		rs_error_set(err, RS_ERR_IO, "cannot read '%s': %s (is '%s' a lab made by 'rootshift lab init'?)", path,
			     jerr.text, dir);
	else if (!json_is_object(doc)) {
		rs_error_set(err, RS_ERR_PARSE, "cannot read '%s': not a JSON object", path);
		json_decref(doc);
		doc = NULL;
	}
	return doc;
}

static int copy_str(json_t *doc, const char *key, char *out, size_t size)
{
	const char *v = json_string_value(json_object_get(doc, key));

	if (!v || strlen(v) >= size)
		return -1;
	snprintf(out, size, "%s", v);
	return 0;
}

int lab_config_load(const char *dir, struct lab_config *cfg, struct rs_error *err)
{
	json_t *doc = load_json(dir, "lab.json", err);
	char at[40];
	int rv = -1;

	if (!doc)
		return -1;
	if (copy_str(doc, "hub_host", cfg->hub_host, sizeof(cfg->hub_host)) < 0 ||
	    copy_str(doc, "dps_host", cfg->dps_host, sizeof(cfg->dps_host)) < 0 ||
	    copy_str(doc, "id_scope", cfg->id_scope, sizeof(cfg->id_scope)) < 0 ||
	    copy_str(doc, "generated_at", at, sizeof(at)) < 0 || rs_time_parse(at, &cfg->generated_at, NULL) < 0)
		rs_error_set(err, RS_ERR_PARSE, "cannot read '%s/lab.json': a field is missing or wrong", dir);
	else
		rv = 0;
	json_decref(doc);
	return rv;
}

int lab_device_key(const char *dir, const char *device_id, char *key_out, size_t key_size, struct rs_error *err)
{
	json_t *doc = load_json(dir, "devices.json", err), *dev;
	int rv = -1;

	if (!doc)
		return -1;
	dev = json_object_get(json_object_get(doc, "devices"), device_id);
	if (!dev || copy_str(dev, "primary_key", key_out, key_size) < 0)
		rs_error_set(err, RS_ERR_NOTFOUND, "no device '%s' in the lab", device_id);
	else
		rv = 0;
	json_decref(doc);
	return rv;
}

/* Writes the registry document to DIR/devices.json (0600: it holds keys), wiping the text it made. */
static int save_devices(const char *dir, json_t *doc, struct rs_error *err)
{
	char path[4096], *text;
	int rv;

	if (!(text = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS)))
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	if (lab_path(path, sizeof(path), dir, "devices.json") < 0)
		rv = rs_error_set(err, RS_ERR_USAGE, "path '%s' is too long", dir);
	else
		rv = lab_write_file(path, text, strlen(text), 1, err);
	OPENSSL_cleanse(text, strlen(text));
	free(text);
	return rv;
}

int lab_device_add(const char *dir, const char *device_id, char *key_out, size_t key_size, struct rs_error *err)
{
	json_t *doc, *devs, *dev;
	unsigned char rnd[32];
	int rv = -1;

	if (!lab_device_id_ok(device_id))
		return rs_error_set(err, RS_ERR_USAGE, "device id '%s' is not valid (use letters, digits and -._:@)",
				    device_id);
	if (key_size < 45 || RAND_bytes(rnd, sizeof(rnd)) != 1)
		return rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot draw a device key");
	EVP_EncodeBlock((unsigned char *)key_out, rnd, sizeof(rnd));
	OPENSSL_cleanse(rnd, sizeof(rnd));
	if (!(doc = load_json(dir, "devices.json", err)))
		return -1;
	devs = json_object_get(doc, "devices");
	if (!json_is_object(devs))
		rs_error_set(err, RS_ERR_PARSE, "cannot read '%s/devices.json': no \"devices\" object", dir);
	else if (json_object_get(devs, device_id))
		rs_error_set(err, RS_ERR_USAGE, "device '%s' is already in the lab", device_id);
	else if (!(dev = json_pack("{s:s, s:s}", "primary_key", key_out, "auth", "sas")) ||
		 json_object_set_new(devs, device_id, dev) < 0)
		rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	else
		rv = save_devices(dir, doc, err);
	json_decref(doc);
	return rv;
}

/* A device key as `device add` draws it, or as a fleet derives it: base64 of 16 to 64 bytes. */
static int key_ok(const char *key)
{
	size_t n = key ? strlen(key) : 0;

	return n >= 24 && n <= 88 && n % 4 == 0 &&
	       strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") == n;
}

static int put_all(json_t *devs, const struct lab_device *d, size_t n, struct rs_error *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!lab_device_id_ok(d[i].id))
			return rs_error_set(err, RS_ERR_USAGE, "device id '%s' is not valid (use letters, digits and -._:@)",
					    d[i].id);
		if (!key_ok(d[i].key))
			return rs_error_set(err, RS_ERR_USAGE, "the key of device '%s' is not base64 of 16 to 64 bytes",
					    d[i].id);
		if (json_object_set_new(devs, d[i].id, json_pack("{s:s, s:s}", "primary_key", d[i].key, "auth", "sas")) < 0)
			return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	}
	return 0;
}

int lab_devices_put(const char *dir, const struct lab_device *devs, size_t n, struct rs_error *err)
{
	json_t *doc, *reg;
	int rv = -1;

	if (!(doc = load_json(dir, "devices.json", err)))
		return -1;
	if (!json_is_object(reg = json_object_get(doc, "devices")))
		rs_error_set(err, RS_ERR_PARSE, "cannot read '%s/devices.json': no \"devices\" object", dir);
	else if (put_all(reg, devs, n, err) == 0)
		rv = save_devices(dir, doc, err);
	json_decref(doc);
	return rv;
}

/* The server's registry keeps only what a connection needs: each device id followed by its key, "id\0key\0",
 * in one block, and the ids sorted for a binary search. About 60 bytes a device, where the parsed JSON took about
 * 700 (bench/idle.sh registers one device per connection, so this was part of every connection's cost). */
struct lab_registry {
	char dir[4096];
	char *text;        /* "id\0key\0" for every device with a primary key */
	const char **ids;  /* into text, sorted by strcmp */
	size_t count, size;
	int loaded;
	struct stat st;    /* of devices.json when loaded */
};

struct lab_registry *lab_registry_new(const char *dir)
{
	struct lab_registry *reg = calloc(1, sizeof(*reg));

	if (reg)
		snprintf(reg->dir, sizeof(reg->dir), "%s", dir);
	return reg;
}

static void registry_clear(struct lab_registry *reg)
{
	if (reg->text)
		OPENSSL_cleanse(reg->text, reg->size);
	free(reg->text);
	free(reg->ids);
	reg->text = NULL;
	reg->ids = NULL;
	reg->count = reg->size = 0;
}

void lab_registry_free(struct lab_registry *reg)
{
	if (!reg)
		return;
	registry_clear(reg);
	free(reg);
}

static int same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static int cmp_ids(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Bytes of "id\0key\0" for every device of devs that has a primary key. */
static size_t registry_size(json_t *devs, size_t *count)
{
	const char *id;
	json_t *dev;
	size_t n = 0;

	*count = 0;
	json_object_foreach(devs, id, dev) {
		const char *key = json_string_value(json_object_get(dev, "primary_key"));
		if (key) {
			n += strlen(id) + strlen(key) + 2;
			(*count)++;
		}
	}
	return n;
}

/* Replaces reg's devices with those of devs; -1 when out of memory. */
static int registry_fill(struct lab_registry *reg, json_t *devs)
{
	size_t count, size = registry_size(devs, &count), i = 0;
	char *text = malloc(size ? size : 1), *p = text;
	const char **ids = calloc(count ? count : 1, sizeof(*ids)), *id;
	json_t *dev;

	if (!text || !ids) {
		free(text);
		free(ids);
		return -1;
	}
	json_object_foreach(devs, id, dev) {
		const char *key = json_string_value(json_object_get(dev, "primary_key"));
		size_t ni = strlen(id) + 1, nk;
		if (!key)
			continue;
		nk = strlen(key) + 1;
		memcpy(p, id, ni);
		memcpy(p + ni, key, nk);
		ids[i++] = p;
		p += ni + nk;
	}
	qsort(ids, count, sizeof(*ids), cmp_ids);
	registry_clear(reg);
	reg->text = text;
	reg->ids = ids;
	reg->count = count;
	reg->size = size;
	return 0;
}

static int registry_reload(struct lab_registry *reg, const struct stat *st, struct rs_error *err)
{
	json_t *doc = load_json(reg->dir, "devices.json", err);
	int rv;

	if (!doc)
		return -1;
	rv = registry_fill(reg, json_object_get(doc, "devices"));
	json_decref(doc);
	if (rv < 0)
		return rs_error_set(err, RS_ERR_NOMEM, "out of memory");
	reg->loaded = 1;
	reg->st = *st;
	return 0;
}

int lab_registry_key(struct lab_registry *reg, const char *device_id, char *key_out, size_t key_size,
		     struct rs_error *err)
{
	char path[4200];
	struct stat st;
	const char **hit;
	const char *key;

	snprintf(path, sizeof(path), "%s/devices.json", reg->dir);
	if (stat(path, &st) == 0 && (!reg->loaded || !same_file(&st, &reg->st)) && registry_reload(reg, &st, err) < 0)
		return -1;
	hit = reg->count ? bsearch(&device_id, reg->ids, reg->count, sizeof(*reg->ids), cmp_ids) : NULL;
	key = hit ? *hit + strlen(*hit) + 1 : NULL;
	if (!key || strlen(key) >= key_size)
		return rs_error_set(err, RS_ERR_NOTFOUND, "no device '%s' in the lab", device_id);
	memcpy(key_out, key, strlen(key) + 1);
	return 0;
}
