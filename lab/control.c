/*
 * control.c: what the lab does by its own clock, and the handle that drives an in-process lab.
 *
 * The lab's clock is opts->clock: the real time for `lab serve`, the rehearsal's virtual time in-process. What
 * depends on time follows that clock, not the wall: a session without a packet for 1.5 x its keep-alive (capped
 * at 1767 s, azure-iot-facts.md 3.1) is dropped, and DPS follows the hubs --dps-delay seconds after a switch.
 * Both are checked every 250 ms of wall time and whenever the handle asks (lab_handle_tick), so that a rehearsal
 * that moves its clock sees them happen at the time it set.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server.h"

#define TICK_MS 250
#define HANDLE_TIMEOUT_MS 30000

struct lab_handle {
	int cmd[2]; /* the front end writes commands, the lab reads */
	int ack[2]; /* the lab answers a tick */
};

/* 1 when the milliseconds without a packet exceed 1.5 x keep_alive (capped at 1767 s, azure-iot-facts.md 3.1):
 * 1500 ms for a keep-alive of 1 s, not 1 s. */
static int keep_alive_passed(int keep_alive, long idle_ms)
{
	long limit_ms = (long)keep_alive * 1500;

	return idle_ms > (limit_ms > 1767000 ? 1767000 : limit_ms);
}

void lab_control_tick(struct lab_server *lab)
{
	rs_time now = lab_now(lab);
	struct lab_conn *c, *next;
	int ka;

	lab_switch_tick(lab, now);
	for (c = lab->sessions.conns; c; c = next) {
		next = c->next;
		if (c->paused)
			lab_conn_resume(c);
		if (c->amqp) {
			lab_amqp_tick(c, now); /* may close c */
			continue;
		}
		if (c->state == LAB_ST_HUB && c->sas_expiry > 0 && now >= c->sas_expiry) {
			/* IoT Hub drops an MQTT session when its SAS expires (401003, azure-iot-facts.md 2.3 and 3.1) */
			lab_conn_event(c, LAB_EV_SAS_EXPIRED, LAB_CAUSE_NONE, "the session's SAS token expired");
			lab_conn_drop(c, LAB_CAUSE_SAS_EXPIRED, NULL);
			continue;
		}
		/* keep-alive 0 means none only for an authenticated session (MQTT 3.1.1, 3.1.2.10, lets the server
		 * close a connection it does not want); one that has not authenticated gets the handshake's deadline */
		ka = c->authed || c->keep_alive > 0 ? c->keep_alive : lab->opts->handshake_timeout;
		if ((c->state != LAB_ST_HUB && c->state != LAB_ST_DPS) || ka <= 0 ||
		    !keep_alive_passed(ka, lab_idle_ms(lab, c, now)))
			continue;
		lab_conn_idle_timeout(c);
	}
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	lab_control_tick(arg);
}

/* 's' stops the lab; 't' runs the clock's checks and answers 'k'. */
static void on_command(evutil_socket_t fd, short what, void *arg)
{
	struct lab_server *lab = arg;
	char cmd[64];
	ssize_t n = read(fd, cmd, sizeof(cmd));

	(void)what;
	for (ssize_t i = 0; i < n; i++) {
		if (cmd[i] == 's') {
			lab_event(lab, LAB_EV_SHUTDOWN, "", lab->sw.hub_chain, "stopped by its handle");
			event_base_loopexit(lab->base, NULL);
		} else if (cmd[i] == 't') {
			lab_control_tick(lab);
			if (write(lab->opts->handle->ack[1], "k", 1) < 0)
				continue;
		}
	}
}

int lab_control_start(struct lab_server *lab, struct rs_error *err)
{
	struct timeval tv = { 0, TICK_MS * 1000 };

	if (!(lab->ticker = event_new(lab->base, -1, EV_PERSIST, on_tick, lab)) || event_add(lab->ticker, &tv) < 0)
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot set up the lab's clock checks");
	if (lab->opts->handle && (!(lab->control = event_new(lab->base, lab->opts->handle->cmd[0], EV_READ | EV_PERSIST,
							       on_command, lab)) ||
				  event_add(lab->control, NULL) < 0))
		return rs_error_set(err, RS_ERR_INTERNAL, "cannot listen to the lab's handle");
	return 0;
}

void lab_control_stop(struct lab_server *lab)
{
	if (lab->ticker)
		event_free(lab->ticker);
	if (lab->control)
		event_free(lab->control);
	lab->ticker = lab->control = NULL;
}

/* ---- the handle, on the front end's side ---- */

struct lab_handle *lab_handle_new(struct rs_error *err)
{
	struct lab_handle *h = calloc(1, sizeof(*h));

	if (!h) {
		rs_error_set(err, RS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	h->cmd[0] = h->cmd[1] = h->ack[0] = h->ack[1] = -1;
	if (pipe(h->cmd) < 0 || pipe(h->ack) < 0 || fcntl(h->cmd[0], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(h->cmd[1], F_SETFD, FD_CLOEXEC) < 0 || fcntl(h->ack[0], F_SETFD, FD_CLOEXEC) < 0 ||
	    fcntl(h->ack[1], F_SETFD, FD_CLOEXEC) < 0) {
		rs_error_set(err, RS_ERR_IO, "cannot make the lab's handle: %s", strerror(errno));
		lab_handle_free(h);
		return NULL;
	}
	return h;
}

void lab_handle_free(struct lab_handle *h)
{
	if (!h)
		return;
	for (int i = 0; i < 2; i++) {
		if (h->cmd[i] >= 0)
			close(h->cmd[i]);
		if (h->ack[i] >= 0)
			close(h->ack[i]);
	}
	free(h);
}

static int send_cmd(struct lab_handle *h, char c)
{
	ssize_t n;

	while ((n = write(h->cmd[1], &c, 1)) < 0 && errno == EINTR)
		;
	return n == 1 ? 0 : -1;
}

int lab_handle_stop(struct lab_handle *h)
{
	return send_cmd(h, 's');
}

int lab_handle_tick(struct lab_handle *h, struct rs_error *err)
{
	struct pollfd p = { h->ack[0], POLLIN, 0 };
	char k;
	int n;

	if (send_cmd(h, 't') < 0)
		return rs_error_set(err, RS_ERR_IO, "cannot reach the lab: %s", strerror(errno));
	while ((n = poll(&p, 1, HANDLE_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	if (n <= 0 || read(h->ack[0], &k, 1) != 1)
		return rs_error_set(err, RS_ERR_IO, "the lab did not answer its handle in %d s", HANDLE_TIMEOUT_MS / 1000);
	return 0;
}
