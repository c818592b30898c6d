// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libcompel benchmark, run by compel-bench.sh against a small sleeping
 * task: a whole parasite cycle (seize, infect, one command, cure), one
 * parasite command (with the default time limit, and without one: the
 * limit makes libcompel poll for the parasite's stop), and one remote
 * syscall, each repeated and reported as median and spread. Every result is checked; timings never fail.
 *
 *   compel-bench PID REPEATS
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <compel/compel.h>

#include "bench-time.h"

#include "bench-parasite.h"
#include "bench-parasite-blob.h"

/* Arguments sent with each no-op command; it replies with their length. */
#define NOP_LEN 8

static void die(const char *what, int err)
{
	fprintf(stderr, "compel-bench: %s: %s\n", what, strerror(err));
	exit(1);
}

/* Sort @v (seconds) and print its median and spread in @unit (1e3: ms, 1e6: µs). */
static void report(const char *what, double *v, int n, double unit, const char *uname,
		   double target)
{
	double med;

	med = bench_sort_median(v, n) * unit;
	printf("%-34s median %8.3f %s  p10 %8.3f  p90 %8.3f  min %8.3f  max %8.3f", what, med,
	       uname, v[n / 10] * unit, v[n * 9 / 10] * unit, v[0] * unit, v[n - 1] * unit);
	if (target > 0)
		printf("  (target < %g %s: %s)", target, uname, med < target ? "met" : "MISSED");
	printf("\n");
}

static struct compel_task *seize(pid_t pid)
{
	struct compel_task *t = compel_task_seize(pid);

	if (!t)
		die("seize", errno);
	return t;
}

static void infect(struct compel_task *t)
{
	int ret = compel_task_infect(t, &bench_parasite, 4096);

	if (ret)
		die("infect", -ret);
}

static void nop(struct compel_task *t)
{
	long reply = -1;
	int ret = compel_parasite_call(t, BENCH_CMD_NOP, NOP_LEN, &reply);

	if (ret)
		die("parasite call", -ret);
	if (reply != NOP_LEN)
		die("parasite reply", EPROTO);
}

static void release(struct compel_task *t)
{
	int ret = compel_task_release(t);

	if (ret)
		die("release", -ret);
}

/* Seize, infect, one command, cure: the whole life of a parasite. */
static double one_cycle(pid_t pid)
{
	double t0 = bench_now();
	struct compel_task *t = seize(pid);

	infect(t);
	nop(t);
	release(t);
	return bench_now() - t0;
}

static void bench_cycle(pid_t pid, double *v, int n)
{
	int i;

	one_cycle(pid); /* warm up: page cache, the task's page tables */
	for (i = 0; i < n; i++)
		v[i] = one_cycle(pid);
	report("seize+infect+call+cure", v, n, 1e3, "ms", 5);
}

/* @timeout_ms: compel_task_set_timeout(); 0 waits without polling. */
static void bench_call(pid_t pid, double *v, int n, unsigned int timeout_ms, const char *what)
{
	struct compel_task *t = seize(pid);
	double t0;
	int i;

	compel_task_set_timeout(t, timeout_ms);
	infect(t);
	nop(t);
	for (i = 0; i < n; i++) {
		t0 = bench_now();
		nop(t);
		v[i] = bench_now() - t0;
	}
	release(t);
	report(what, v, n, 1e6, "us", 0);
}

static void bench_syscall(pid_t pid, double *v, int n)
{
	struct compel_task *t = seize(pid);
	const long args[6] = { 0 };
	long got;
	double t0;
	int i, ret;

	for (i = -1; i < n; i++) {
		t0 = bench_now();
		ret = compel_task_syscall(t, SYS_getpid, args, &got);
		if (i >= 0)
			v[i] = bench_now() - t0;
		if (ret)
			die("remote getpid", -ret);
		if (got != pid)
			die("remote getpid result", EPROTO);
	}
	release(t);
	report("remote syscall (getpid)", v, n, 1e6, "us", 100);
}

int main(int argc, char **argv)
{
	pid_t pid;
	double *v;
	int n;

	if (argc != 3 || (pid = atoi(argv[1])) <= 0 || (n = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: compel-bench PID REPEATS\n");
		return 2;
	}
	v = calloc(n, sizeof(*v));
	if (!v)
		die("calloc", ENOMEM);
	bench_cycle(pid, v, n);
	bench_call(pid, v, n, COMPEL_DEFAULT_TIMEOUT_MS, "parasite call (no-op command)");
	bench_call(pid, v, n, 0, "parasite call, no time limit");
	bench_syscall(pid, v, n);
	free(v);
	return 0;
}
