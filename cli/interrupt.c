/*
 * interrupt.c: SIGINT and SIGTERM for the long commands. The first signal asks the command to stop: a flag, and a
 * byte on a self-pipe that event loops and polls can watch (the library never sees signals); the command prints
 * what it has, marked partial, and exits 128 + the signal (130, 143). A second signal ends the process at once.
 * A temporary directory is removed by a reaper process that waits for this one to end, however it ends (an
 * error, a second Ctrl-C, even SIGKILL), so that no private key is left behind.
 * What this relies on: signal-safety(7) (write and _exit are async-signal-safe), pipe(7) (read returns 0 once
 * every write end is closed, which the kernel does when a process dies).
 */
#define _GNU_SOURCE /* pipe2 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal;
static int wake[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;

	if (got_signal)
		_exit(128 + sig);
	got_signal = sig;
	if (wake[1] >= 0 && write(wake[1], "x", 1) < 0) {
		/* the pipe is full: a byte is already there */
	}
	errno = saved;
}

int interrupt_install(void)
{
	struct sigaction sa;

	if (wake[0] < 0 && pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return error("cannot set up signal handling: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART; /* poll(2) and epoll_wait(2) still return EINTR; reads and writes restart */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
		return error("cannot set up signal handling: %s", strerror(errno));
	return 0;
}

int interrupted(void)
{
	return got_signal;
}

const volatile int *interrupt_flag(void)
{
	return &got_signal; /* sig_atomic_t is int on the systems we build for */
}

int interrupt_fd(void)
{
	return wake[0];
}

int interrupt_exit_code(void)
{
	return got_signal ? 128 + got_signal : 0;
}

const char *interrupt_name(void)
{
	return got_signal == SIGTERM ? "SIGTERM" : got_signal == SIGINT ? "SIGINT" : "a signal";
}

void interrupt_block_in_thread(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int remove_tree(const char *dir)
{
	return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int interrupt_reap_dir(const char *dir)
{
	int life[2], fd;
	char c;
	pid_t pid;

	if (pipe2(life, O_CLOEXEC) < 0)
		return error("cannot watch the temporary directory '%s': %s", dir, strerror(errno));
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(life[0]);
		close(life[1]);
		return error("cannot watch the temporary directory '%s': %s", dir, strerror(errno));
	}
	if (pid > 0) {
		close(life[0]); /* life[1] stays open, unused, until this process ends */
		return 0;
	}
	/* The reaper: outside the terminal's Ctrl-C and a supervisor's SIGTERM, holding nothing of ours open. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	close(life[1]);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	while (read(life[0], &c, 1) < 0 && errno == EINTR)
		;
	remove_tree(dir);
	_exit(0);
}

/* A probe's clock: monotonic, and past every deadline once a signal asked to stop (the library asks it at least
 * every 200 ms while it waits), so that probes in flight end at once. Each reading after the signal is 2^40 ms
 * (35 years) past the one before: a fixed far time would leave a probe that starts after the signal (its store
 * was loading when the signal came) with a deadline past that time too, forever ahead of the clock: rehearse
 * --target HOST:PORT of a server that never answers hung there (test_cancel_anytime.sh, SIGTERM 150-400 ms in,
 * ASan build). 2^22 readings stay below INT64_MAX; past them the clock stays at its last reading. */
int64_t interruptible_clock(void *ctx)
{
	static atomic_llong jumps;
	long long n;

	if (!interrupted())
		return monotonic_ms(ctx);
	n = atomic_fetch_add(&jumps, 1) + 1;
	if (n > (1LL << 22))
		n = 1LL << 22;
	return monotonic_ms(ctx) + (int64_t)n * ((int64_t)1 << 40);
}
