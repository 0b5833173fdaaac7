/* sas.c: SAS tokens, made and verified as IoT Hub and DPS do (azure-iot-facts.md 3.3). */
#include "azure.h"

#include <ctype.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#define SAS_PREFIX "SharedAccessSignature "
#define SAS_MAX_LEN 4096

struct rs_sas {
	char *sr;         /* literal */
	char *sr_decoded;
	char *sig;        /* URL-decoded base64 */
	char *skn;
	char *se_text;    /* literal, as signed */
	rs_time se;
};

void rs_sas_free(struct rs_sas *sas)
{
	if (!sas)
		return;
	free(sas->sr);
	free(sas->sr_decoded);
	if (sas->sig)
		OPENSSL_cleanse(sas->sig, strlen(sas->sig));
	free(sas->sig);
	free(sas->skn);
	free(sas->se_text);
	free(sas);
}

const char *rs_sas_resource(const struct rs_sas *sas) { return sas->sr; }
const char *rs_sas_resource_decoded(const struct rs_sas *sas) { return sas->sr_decoded; }
const char *rs_sas_key_name(const struct rs_sas *sas) { return sas->skn ? sas->skn : ""; }
rs_time rs_sas_expiry(const struct rs_sas *sas) { return sas->se; }

/* HMAC-SHA256(base64decode(key_b64), msg) as base64; NULL with err filled. */
static char *hmac_b64(const char *key_b64, const char *msg, size_t msglen, struct rs_error *err)
{
	unsigned char *key = NULL, mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	size_t keylen;
	char *out = NULL;

	if (!key_b64 || rs_base64_decode_alloc(key_b64, &key, &keylen) < 0 || keylen == 0) {
		free(key);
		rs_fail(err, RS_ERR_USAGE, "shared access key is not base64");
		return NULL;
	}
	if (!HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg, msglen, mac, &maclen))
		rs_fail_ssl(err, RS_ERR_INTERNAL, "cannot compute HMAC-SHA256");
	else if (!(out = rs_base64_encode(mac, maclen)))
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
	OPENSSL_cleanse(key, keylen);
	free(key);
	return out;
}

char *rs_sas_make(const char *sr, const char *key_b64, rs_time expiry, const char *key_name, struct rs_error *err)
{
	struct rs_buf msg = RS_BUF_INIT, tok = RS_BUF_INIT;
	char *sig = NULL, *sig_enc = NULL, *out = NULL;

	if (rs_buf_addf(&msg, "%s\n%lld", sr, (long long)expiry) < 0) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto done;
	}
	if (!(sig = hmac_b64(key_b64, msg.data, msg.len, err)))
		goto done;
	if (!(sig_enc = rs_url_encode(sig, 1)) ||
	    rs_buf_addf(&tok, SAS_PREFIX "sr=%s&sig=%s&se=%lld", sr, sig_enc, (long long)expiry) < 0 ||
	    (key_name && rs_buf_addf(&tok, "&skn=%s", key_name) < 0)) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		goto done;
	}
	out = rs_buf_detach(&tok);
done:
	rs_buf_release(&msg);
	rs_buf_release(&tok);
	free(sig);
	free(sig_enc);
	return out;
}

static int parse_expiry(const char *text, rs_time *out)
{
	char *end;
	long long v;

	if (!isdigit((unsigned char)text[0]) || strlen(text) > 12)
		return -1;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || *end)
		return -1;
	*out = (rs_time)v;
	return 0;
}

/* One "key=value" field of the token. */
static int sas_field(struct rs_sas *sas, const char *f, size_t len, struct rs_error *err)
{
	const char *eq = memchr(f, '=', len);
	char **slot = NULL;
	size_t klen;

	if (!eq)
		return rs_fail(err, RS_ERR_PARSE, "cannot parse SAS token: a field has no '='");
	klen = (size_t)(eq - f);
	if (klen == 2 && !memcmp(f, "sr", 2))
		slot = &sas->sr;
	else if (klen == 3 && !memcmp(f, "sig", 3))
		slot = &sas->sig;
	else if (klen == 2 && !memcmp(f, "se", 2))
		slot = &sas->se_text;
	else if (klen == 3 && !memcmp(f, "skn", 3))
		slot = &sas->skn;
	else
		return 0; /* unknown fields are ignored, as the service does */
	if (*slot)
		return rs_fail(err, RS_ERR_PARSE, "cannot parse SAS token: '%.*s' given twice", (int)klen, f);
	if (!(*slot = rs_strndup(eq + 1, len - klen - 1)))
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	return 0;
}

static int sas_fields(struct rs_sas *sas, const char *p, struct rs_error *err)
{
	const char *end;
	char *sig;

	while (*p) {
		end = strchr(p, '&');
		if (!end)
			end = p + strlen(p);
		if (end > p && sas_field(sas, p, (size_t)(end - p), err) < 0)
			return -1;
		p = *end ? end + 1 : end;
	}
	if (!sas->sr || !sas->sig || !sas->se_text)
		return rs_fail(err, RS_ERR_PARSE, "cannot parse SAS token: sr, sig and se are required");
	if (parse_expiry(sas->se_text, &sas->se) < 0)
		return rs_fail(err, RS_ERR_PARSE, "cannot parse SAS token: se is not a number of seconds");
	if (!(sas->sr_decoded = rs_url_decode(sas->sr)))
		return rs_fail(err, RS_ERR_PARSE, "cannot parse SAS token: sr has a bad %%-escape");
	if (!(sig = rs_url_decode(sas->sig)))
		return rs_fail(err, RS_ERR_PARSE, "cannot parse SAS token: sig has a bad %%-escape");
	OPENSSL_cleanse(sas->sig, strlen(sas->sig));
	free(sas->sig);
	sas->sig = sig;
	return 0;
}

struct rs_sas *rs_sas_parse(const char *token, struct rs_error *err)
{
	struct rs_sas *sas;

	if (!token || strncmp(token, SAS_PREFIX, strlen(SAS_PREFIX))) {
		rs_fail(err, RS_ERR_PARSE, "cannot parse SAS token: it does not start with 'SharedAccessSignature '");
		return NULL;
	}
	if (strlen(token) > SAS_MAX_LEN) {
		rs_fail(err, RS_ERR_LIMIT, "cannot parse SAS token: longer than %d bytes", SAS_MAX_LEN);
		return NULL;
	}
	if (!(sas = calloc(1, sizeof(*sas)))) {
		rs_fail(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	if (sas_fields(sas, token + strlen(SAS_PREFIX), err) < 0) {
		rs_sas_free(sas);
		return NULL;
	}
	return sas;
}

/* The decoded sr matches resource case-insensitively, as a prefix that ends at a path segment. */
static int resource_matches(const char *sr, const char *resource)
{
	size_t n = strlen(resource), m = strlen(sr);

	while (m > 0 && sr[m - 1] == '/')
		m--;
	if (m == 0 || m > n)
		return 0;
	for (size_t i = 0; i < m; i++)
		if (tolower((unsigned char)sr[i]) != tolower((unsigned char)resource[i]))
			return 0;
	return resource[m] == '\0' || resource[m] == '/';
}

int rs_sas_verify(const struct rs_sas *sas, const char *key_b64, const char *resource, rs_time at,
		  struct rs_error *err)
{
	struct rs_buf msg = RS_BUF_INIT;
	char *want;
	int rv = -1;

	if (rs_buf_addf(&msg, "%s\n%s", sas->sr, sas->se_text) < 0)
		return rs_fail(err, RS_ERR_NOMEM, "out of memory");
	if (!(want = hmac_b64(key_b64, msg.data, msg.len, err)))
		goto done;
	if (strlen(want) != strlen(sas->sig) || CRYPTO_memcmp(want, sas->sig, strlen(want)) != 0)
		rs_fail(err, RS_ERR_AUTH, "SAS token has an invalid signature for resource '%s'", sas->sr_decoded);
	else if (!resource_matches(sas->sr_decoded, resource))
		rs_fail(err, RS_ERR_AUTH, "SAS token is for resource '%s', not '%s'", sas->sr_decoded, resource);
	else if (sas->se <= at)
		rs_fail(err, RS_ERR_EXPIRED, "SAS token is expired (se=%lld)", (long long)sas->se);
	else
		rv = 0;
	free(want);
done:
	rs_buf_release(&msg);
	return rv;
}

char *rs_derive_device_key(const char *group_key_b64, const char *registration_id, struct rs_error *err)
{
	return hmac_b64(group_key_b64, registration_id, strlen(registration_id), err);
}
