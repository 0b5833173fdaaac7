/*
 * memio.c: a transport in memory. A connection on it is past its handshake at once; what the lab sends collects in
 * the caller's buffer, input is handed to the protocol as it comes (the part of a packet the protocol leaves waits
 * for more), and nothing waits on a socket, a timer or a thread. The unit tests (tests/unit/test_lab*.c) and the
 * fuzzer (fuzz/fuzz_lab.c) drive the MQTT hub, the HTTPS endpoints and the lab's clock through it.
 */
#include <stdlib.h>

#include "server.h"

static int mem_send(struct lab_conn *c, const void *data, size_t len)
{
	struct lab_memio *m = c->mem;

	if (m->fail || evbuffer_add(m->sent, data, len) < 0)
		return -1;
	return 0;
}

static size_t mem_pending(const struct lab_conn *c)
{
	return c->mem->pending;
}

static void mem_pause(struct lab_conn *c)
{
	c->paused = 1;
	c->mem->paused = 1;
}

static void mem_resume(struct lab_conn *c)
{
	c->paused = 0;
	c->mem->paused = 0;
}

static void mem_free(struct lab_conn *c)
{
	c->mem->conn = NULL;
	c->mem->closed = 1;
}

static const struct lab_io_ops mem_ops = { mem_send, mem_pending, mem_pause, mem_resume, mem_free };

struct lab_conn *lab_memio_connect(struct lab_server *lab, struct lab_memio *m, enum lab_proto proto,
			       lab_on_data_fn on_data)
{
	struct lab_conn *c;

	if ((!m->sent && !(m->sent = evbuffer_new())) || (!m->in && !(m->in = evbuffer_new())))
		return NULL;
	if (!(c = lab_conn_new(lab, proto, on_data)))
		return NULL;
	c->mem = m;
	c->io = &mem_ops;
	c->chain = lab->sw.hub_chain;
	m->conn = c;
	m->closed = 0;
	lab_conn_established(c);
	return c;
}

int lab_memio_feed(struct lab_memio *m, const void *data, size_t len)
{
	struct lab_conn *c = m->conn;

	if (!c)
		return -1;
	if (evbuffer_add(m->in, data, len) < 0)
		return -1;
	if (c->paused || evbuffer_get_length(m->in) == 0)
		return 0;
	return c->on_data(c, m->in) < 0 ? -1 : 0;
}

void lab_memio_hangup(struct lab_memio *m)
{
	if (m->conn)
		lab_conn_io_closed(m->conn, 0);
}

void lab_memio_free(struct lab_memio *m)
{
	lab_memio_hangup(m);
	if (m->sent)
		evbuffer_free(m->sent);
	if (m->in)
		evbuffer_free(m->in);
	m->sent = m->in = NULL;
}
