/*
 * result.c: what the probe's steps write into a result: its code, stage and message, and transcript notes. Both
 * probe.c (connect, TLS, verify) and steps.c (the protocol step) write through these, so neither calls the other
 * back.
 */
#include "probe.h"

#include <stdarg.h>
#include <stdio.h>

void rs_probe_set(struct rs_probe_result *r, enum rs_probe_code code, const char *stage, const char *fmt, ...)
{
	va_list ap;

	r->code = code;
	r->stage = stage;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

void rs_probe_step_failed(struct rs_probe_result *r, const struct rs_stream *s, const char *after, const char *fmt,
			  ...)
{
	va_list ap;

	r->code = s->peer_closed ? RS_PROBE_CLOSED_BY_PEER : s->fail == RS_NET_TIMEOUT ? RS_PROBE_TIMEOUT
										: RS_PROBE_PROTOCOL_ERROR;
	r->stage = s->peer_closed ? after : "protocol";
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

void rs_probe_note(const struct rs_probe_opts *o, struct rs_probe_result *r, const char *fmt, ...)
{
	va_list ap;
	char line[600];

	if (!o->transcript)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	rs_buf_addf(&r->transcript, "%s\n", line);
}
