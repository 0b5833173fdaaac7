/*
 * lab_lock.c: one server per lab directory. `lab serve` (and rehearse's in-process lab) hold an exclusive flock on
 * DIR/serve.lock for as long as they run, so that only the owner writes and removes DIR/serve.json. The kernel
 * drops the lock when the process dies, even by SIGKILL (flock(2)); serve.json is then stale, and the next server
 * takes the directory over with a note, after checking the pid it names.
 */
#include "cli.h"
#include "lab.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static void name_server(const char *dir, char *out, size_t size)
{
	struct lab_serve_state st;
	struct rs_error err;

	if (lab_serve_state_load(dir, &st, &err) < 0 || st.pid <= 0)
		snprintf(out, size, "another process (its serve.json is not written yet)");
	else
		snprintf(out, size, "pid %ld (mqtt port %d, https port %d, amqp port %d, ws port %d, admin port %d)",
			 st.pid, st.mqtt_port, st.https_port, st.amqp_port, st.ws_port, st.admin_port);
}

/* What a lock we just took finds: a serve.json left by a server that died without removing it. */
static void note_stale(const char *dir)
{
	struct lab_serve_state st;
	struct rs_error err;

	if (lab_serve_state_load(dir, &st, &err) < 0)
		return;
	if (st.pid > 0 && kill((pid_t)st.pid, 0) == 0)
		fprintf(stderr, "note: '%s/serve.json' names pid %ld, which holds no lock on the lab: taking the lab over\n",
			dir, st.pid);
	else
		fprintf(stderr, "note: '%s/serve.json' was left by pid %ld, which is gone (killed?): taking the lab over\n",
			dir, st.pid);
}

int cli_lab_lock(const char *dir, int *fd_out)
{
	char path[4096], who[256];
	int fd;

	*fd_out = -1;
	if ((size_t)snprintf(path, sizeof(path), "%s/serve.lock", dir) >= sizeof(path))
		return error("path '%s' is too long", dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		return error("cannot lock the lab '%s': %s", dir, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		if (e != EWOULDBLOCK)
			return error("cannot lock the lab '%s': %s", dir, strerror(e));
		name_server(dir, who, sizeof(who));
		return error("the lab '%s' is already served by %s", dir, who);
	}
	note_stale(dir);
	*fd_out = fd;
	return 0;
}

void cli_lab_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* the lock goes with the last descriptor of the open file */
}
