/*
 * switch.c: the switch. It holds a TLS context for each chain the lab serves and decides the chain of each
 * handshake when the connection is accepted (or, for DPS host names, when SNI arrives): migrate/revert change it for
 * new handshakes only; --disconnect also drops existing sessions; a mix serves a percentage of handshakes the other
 * chain; DPS follows the hubs --dps-delay seconds after a switch, by the lab's clock (control.c asks).
 */
#include <stdio.h>
#include <string.h>

#include "server.h"

/* ---- TLS ---- */

static int accept_any_client_cert(int ok, X509_STORE_CTX *ctx)
{
	(void)ok;
	(void)ctx;
	return 1; /* requested, never required: the lab authenticates with SAS */
}

static int servername_cb(SSL *ssl, int *alert, void *arg)
{
	struct lab_server *lab = arg;
	const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

	(void)alert;
	if (name && strstr(name, "azure-devices-provisioning") && SSL_get_SSL_CTX(ssl) != lab->sw.ctx[lab->sw.dps_chain])
		SSL_set_SSL_CTX(ssl, lab->sw.ctx[lab->sw.dps_chain]);
	return SSL_TLSEXT_ERR_OK;
}

static SSL_CTX *make_ctx(struct lab_server *lab, enum lab_chain chain, struct rs_error *err)
{
	char chain_path[4096], key_path[4096], name[64];
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	static const char *const keys[] = { "pki/old-leaf.key", "pki/new-leaf.key", "pki/next-leaf.key",
					    "pki/ecc-leaf.key" };

	snprintf(name, sizeof(name), "chains/%s.pem", lab_chain_name(chain));
	if (!ctx || lab_path(chain_path, sizeof(chain_path), lab->opts->dir, name) < 0 ||
	    lab_path(key_path, sizeof(key_path), lab->opts->dir, keys[chain]) < 0) {
		SSL_CTX_free(ctx);
		rs_error_set_ssl(err, RS_ERR_INTERNAL, "cannot make a TLS context");
		return NULL;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, chain_path) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
		SSL_CTX_free(ctx);
		rs_error_set_ssl(err, RS_ERR_IO, "cannot load '%s' and its key", chain_path);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_tlsext_servername_callback(ctx, servername_cb);
	SSL_CTX_set_tlsext_servername_arg(ctx, lab);
	if (lab->opts->request_client_cert)
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, accept_any_client_cert);
	return ctx;
}

/* The chain for the next handshake: the hub's, or with a mix, the other one for mix percent of handshakes. */
SSL *lab_switch_new_ssl(struct lab_server *lab, enum lab_chain *chain)
{
	enum lab_chain c = lab->sw.hub_chain;
	unsigned long k = lab->sw.accepted++;

	if (lab->sw.mix > 0 && (k * (unsigned long)lab->sw.mix) % 100 + (unsigned long)lab->sw.mix >= 100)
		c = c == LAB_CHAIN_OLD ? LAB_CHAIN_NEW : LAB_CHAIN_OLD;
	*chain = c;
	return SSL_new(lab->sw.ctx[c]);
}

/* ---- switching ---- */

int lab_switch_to(struct lab_server *lab, enum lab_chain to, int mix, int disconnect)
{
	char detail[64];

	lab->sw.hub_chain = to;
	lab->sw.mix = mix;
	lab->sw.switched_at = lab_now(lab);
	lab->sw.dps_target = to;
	lab->sw.dps_pending = lab->opts->dps_delay > 0;
	lab->sw.dps_due = lab->sw.switched_at + lab->opts->dps_delay;
	if (!lab->sw.dps_pending)
		lab->sw.dps_chain = to;
	snprintf(detail, sizeof(detail), "mix=%d disconnect=%d", mix, disconnect);
	lab_event(lab, LAB_EV_SWITCH, "", to, detail);
	if (disconnect) {
		struct lab_conn *c = lab->sessions.conns, *next;
		for (; c; c = next) {
			next = c->next;
			if (c->state == LAB_ST_HUB || c->state == LAB_ST_DPS || c->state == LAB_ST_AMQP) {
				lab->n.kicked++;
				lab_conn_drop(c, to == LAB_CHAIN_OLD ? LAB_CAUSE_REVERT : LAB_CAUSE_MIGRATE, NULL);
			} else if (c->state != LAB_ST_CLOSING) {
				lab_conn_close(c); /* a handshake or request in flight */
			}
		}
	}
	return 0;
}

/* ---- listeners and the state file ---- */

#define ACCEPT_BACKOFF_MIN_MS 50
#define ACCEPT_BACKOFF_MAX_MS 1000

void lab_switch_tick(struct lab_server *lab, rs_time now)
{
	if (lab->sw.dps_pending && now >= lab->sw.dps_due) {
		lab->sw.dps_pending = 0;
		lab->sw.dps_chain = lab->sw.dps_target;
		lab_event(lab, LAB_EV_DPS_SWITCH, "", lab->sw.dps_chain, "DPS follows the hubs");
	}
}

int lab_switch_start(struct lab_server *lab, struct rs_error *err)
{
	for (int i = 0; i < LAB_CHAIN__COUNT; i++)
		if (!(lab->sw.ctx[i] = make_ctx(lab, (enum lab_chain)i, err)))
			return -1;
	return 0;
}

void lab_switch_stop(struct lab_server *lab)
{
	for (int i = 0; i < LAB_CHAIN__COUNT; i++) {
		SSL_CTX_free(lab->sw.ctx[i]);
		lab->sw.ctx[i] = NULL;
	}
}
