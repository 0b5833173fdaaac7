/*
 * amqp.c for a build without Qpid Proton-C (-DRS_AMQP=OFF, which the static gateway build implies: Debian ships no
 * static Proton library). The lab's AMQP port still accepts TLS and the protocol header, then drops the
 * connection with a protocol-error event that says why; every other transport is unchanged.
 */
#include "../server.h"

int lab_amqp_on_data(struct lab_conn *c, struct evbuffer *in)
{
	evbuffer_drain(in, evbuffer_get_length(in));
	lab_conn_drop(c, LAB_CAUSE_PROTOCOL_ERROR, "AMQP is not in this build of rootshift (built without Qpid Proton)");
	return -1;
}

void lab_amqp_tick(struct lab_conn *c, rs_time now)
{
	(void)c;
	(void)now;
}

int lab_amqp_send_c2d(struct lab_conn *c, const char *device, const unsigned char *body, size_t len)
{
	(void)c;
	(void)device;
	(void)body;
	(void)len;
	return 0;
}
