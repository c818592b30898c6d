// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A task for libcompel's tests to seize. "victim MODE" sets up the state
 * MODE names, writes "READY\n" to stdout, then waits for the byte 'g' on
 * stdin (or a signal, see below) doing what MODE says. Afterwards it checks
 * that its state is intact and writes "PASS\n" or "FAIL: why\n".
 *
 *   busy       spins in user space
 *   read       blocks in read() on stdin
 *   nanosleep  sleeps 1.5 s (must last the full time), then reads stdin
 *   pause      blocks in pause() until SIGUSR1 (its handler must run)
 *   stopped    blocks in read() (the test stops it with SIGSTOP)
 *   threads    8 more threads (4 spinning, 4 sleeping) must keep going
 *   pending    SIGUSR2 blocked and pending; must still be both
 *   handler    waits for 'g' inside a SIGUSR1 handler
 *   seccomp    a filter kills the process on any syscall but a few
 *   novdso     unmaps its vDSO, then blocks in read()
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NR_THREADS 8

static volatile sig_atomic_t usr1_seen;
static volatile unsigned long counters[NR_THREADS];

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(2);
}

static int fail(const char *why)
{
	say("FAIL: ");
	say(why);
	say("\n");
	return 1;
}

static int wait_go(void)
{
	char c = 0;
	ssize_t n = read(0, &c, 1);

	return n == 1 && c == 'g' ? 0 : -1;
}

static int mode_read(void)
{
	say("READY\n");
	return wait_go() ? fail("read did not return the go byte") : 0;
}

static int mode_busy(void)
{
	unsigned long spins = 0;
	fd_set set;

	say("READY\n");
	for (;;) {
		struct timeval tv = { 0, 0 };

		/* Mostly user space: look at stdin once every few million spins. */
		for (volatile unsigned long i = 0; i < 4000000; i++)
			spins++;
		FD_ZERO(&set);
		FD_SET(0, &set);
		if (select(1, &set, NULL, NULL, &tv) > 0)
			break;
	}
	return wait_go() ? fail("bad go byte") : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int mode_nanosleep(void)
{
	struct timespec ts = { 1, 500000000 };
	double start;

	say("READY\n");
	start = now();
	if (nanosleep(&ts, NULL))
		return fail("nanosleep failed");
	/* The whole sleep, even though it was interrupted and restarted. */
	if (now() - start < 1.5)
		return fail("nanosleep was cut short");
	return wait_go() ? fail("bad go byte") : 0;
}

static void on_usr1(int sig)
{
	usr1_seen = 1;
}

static int mode_pause(void)
{
	signal(SIGUSR1, on_usr1);
	say("READY\n");
	if (pause() != -1 || errno != EINTR || !usr1_seen)
		return fail("pause did not end through the SIGUSR1 handler");
	return wait_go() ? fail("bad go byte") : 0;
}

static void *spin(void *arg)
{
	volatile unsigned long *c = arg;

	for (;;)
		(*c)++;
	return NULL;
}

static void *nap(void *arg)
{
	volatile unsigned long *c = arg;
	struct timespec ts = { 0, 1000000 };

	for (;;) {
		nanosleep(&ts, NULL);
		(*c)++;
	}
	return NULL;
}

static int mode_threads(void)
{
	unsigned long before[NR_THREADS];
	struct timespec ts = { 0, 200000000 };
	pthread_t t;
	int i;

	for (i = 0; i < NR_THREADS; i++)
		if (pthread_create(&t, NULL, i % 2 ? nap : spin, (void *)&counters[i]))
			return fail("pthread_create");
	say("READY\n");
	if (wait_go())
		return fail("bad go byte");
	for (i = 0; i < NR_THREADS; i++)
		before[i] = counters[i];
	nanosleep(&ts, NULL);
	for (i = 0; i < NR_THREADS; i++)
		if (counters[i] == before[i])
			return fail("a thread stopped making progress");
	return 0;
}

static int mode_pending(void)
{
	sigset_t set, pending, mask;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	say("READY\n");
	if (wait_go())
		return fail("bad go byte");
	sigpending(&pending);
	sigprocmask(SIG_BLOCK, NULL, &mask);
	if (!sigismember(&pending, SIGUSR2))
		return fail("SIGUSR2 is no longer pending");
	if (!sigismember(&mask, SIGUSR2) || sigismember(&mask, SIGUSR1))
		return fail("the signal mask changed");
	return 0;
}

static volatile int handler_result = -1;

/* Only the kernel's 64 bits mean anything: glibc leaves the rest of a sigset_t undefined. */
static int same_mask(const sigset_t *a, const sigset_t *b)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(a, sig) != sigismember(b, sig))
			return 0;
	return 1;
}

static void wait_in_handler(int sig)
{
	say("READY\n");
	handler_result = wait_go();
}

static int mode_handler(void)
{
	sigset_t before, after;

	sigprocmask(SIG_BLOCK, NULL, &before);
	signal(SIGUSR1, wait_in_handler);
	raise(SIGUSR1);
	sigprocmask(SIG_BLOCK, NULL, &after);
	if (handler_result)
		return fail("the handler did not get the go byte");
	if (!same_mask(&before, &after))
		return fail("the signal mask changed across the handler");
	return 0;
}

#define ALLOW(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
		  BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static int mode_seccomp(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		ALLOW(SYS_read), ALLOW(SYS_write), ALLOW(SYS_exit_group),
		ALLOW(SYS_restart_syscall), ALLOW(SYS_rt_sigaction),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return fail("cannot install the seccomp filter");
	say("READY\n");
	return wait_go() ? fail("bad go byte") : 0;
}

/* No vDSO: libcompel must find another syscall instruction. */
static int mode_novdso(void)
{
	unsigned long start, end;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "re");
	int found = 0;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[vdso]") && sscanf(line, "%lx-%lx", &start, &end) == 2)
			found = 1;
	if (f)
		fclose(f);
	if (!found || syscall(SYS_munmap, start, end - start))
		return fail("cannot unmap the vDSO");
	return mode_read();
}

static const struct {
	const char *name;
	int (*run)(void);
} modes[] = {
	{ "busy", mode_busy },	       { "read", mode_read },
	{ "nanosleep", mode_nanosleep }, { "pause", mode_pause },
	{ "stopped", mode_read },      { "threads", mode_threads },
	{ "pending", mode_pending },   { "handler", mode_handler },
	{ "seccomp", mode_seccomp },   { "novdso", mode_novdso },
};

static void on_segv(int sig)
{
	_exit(3);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc != 2)
		return 2;
	/*
	 * A fault handler of its own: a crashing parasite must not reset it
	 * (the tests compare SigCgt, and we check it at the end).
	 */
	signal(SIGSEGV, on_segv);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (strcmp(argv[1], modes[i].name))
			continue;
		if (modes[i].run())
			syscall(SYS_exit_group, 1);
		if (signal(SIGSEGV, on_segv) != on_segv) {
			fail("the SIGSEGV handler changed");
			syscall(SYS_exit_group, 1);
		}
		say("PASS\n");
		syscall(SYS_exit_group, 0);
	}
	return 2;
}
