/*
 * amqp.c for a build without Qpid Proton-C (-DRS_AMQP=OFF, which the static gateway build implies): a device of
 * an AMQP class cannot open its session, and the fleet reports that as its own failure, never as a verdict on
 * the device.
 */
#include "../run.h"

int fleet_amqp_open(struct fleet_conn *c, const char *id, const char *audience, const char *token)
{
	(void)c;
	(void)id;
	(void)audience;
	(void)token;
	return -1;
}

int fleet_amqp_answer(struct fleet_conn *c, struct evbuffer *in, int *code)
{
	(void)c;
	evbuffer_drain(in, evbuffer_get_length(in));
	*code = RS_PROBE_INTERNAL_ERROR;
	return 1;
}

void fleet_amqp_feed(struct fleet_conn *c, struct evbuffer *in)
{
	(void)c;
	evbuffer_drain(in, evbuffer_get_length(in));
}

int fleet_amqp_refresh(struct fleet_conn *c, const char *token)
{
	(void)c;
	(void)token;
	return -1;
}

void fleet_amqp_free(struct fleet_conn *c)
{
	(void)c;
}
