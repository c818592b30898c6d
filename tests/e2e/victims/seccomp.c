// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Seccomp filters, stacked and shared: the root (with no_new_privs)
 * installs filter A, forks a child, installs B and starts a thread that
 * installs D; the child installs C. Each filter makes one syscall fail
 * with its own errno, and getpriority too: the newest filter's errno wins,
 * so the order of the filters shows. After SIGTERM each of them checks
 * that exactly its filters act, in order, and that the kernel counts them.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

/*
 * The syscall each filter fails, with the errno it fails it with; without
 * the filter, the syscall succeeds with the pid 0 (this task) and a buffer.
 */
static const struct rule {
	long nr;
	int err;
	int with_buf;
} rules[] = {
	{SYS_getrusage, 77, 1},		     /* A: every task */
	{SYS_sched_get_priority_max, 78, 0}, /* B: the root, its thread */
	{SYS_sched_getscheduler, 79, 0},     /* C: the child */
	{SYS_sched_getparam, 80, 1},	     /* D: the thread */
};
enum { A = 1, B = 2, C = 4, D = 8 };

static pid_t child;
static pthread_t thread;
static int go[2];

static int install(int rule)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, rules[rule].nr, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpriority, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | rules[rule].err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(insns) / sizeof(insns[0]), insns};

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/*
 * Whether exactly the filters in @set act on this thread, @newest last,
 * and it counts @nr of them.
 */
static int check_filters(const char *who, unsigned int set, int newest, int nr)
{
	char path[64], line[128], buf[256];
	int mode = -1, count = -1;
	FILE *f;

	for (int i = 0; i < 4; i++) {
		long r;

		errno = 0;
		r = syscall(rules[i].nr, 0, rules[i].with_buf ? buf : NULL);
		if ((set & (1 << i)) ? (r != -1 || errno != rules[i].err) : r == -1)
			return victim_fail("%s: syscall %ld gave %ld (%m), filter %c %s", who,
					   rules[i].nr, r, 'A' + i,
					   set & (1 << i) ? "missing" : "extra");
	}
	errno = 0;
	if (syscall(SYS_getpriority, 0, 0) != -1 || errno != rules[newest].err)
		return victim_fail("%s: getpriority failed with %d, not with %d of filter %c", who,
				   errno, rules[newest].err, 'A' + newest);
	snprintf(path, sizeof(path), "/proc/self/task/%ld/status", syscall(SYS_gettid));
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		sscanf(line, "Seccomp: %d", &mode);
		sscanf(line, "Seccomp_filters: %d", &count);
	}
	if (f)
		fclose(f);
	if (mode != SECCOMP_MODE_FILTER || count != nr)
		return victim_fail("%s: seccomp mode %d with %d filters, not 2 with %d", who, mode,
				   count, nr);
	return 0;
}

static void *thread_life(void *arg)
{
	char c;

	if (install(3))
		return (void *)1L;
	/* until the root's check */
	if (read(go[0], &c, 1) != 1)
		return (void *)2L;
	return (void *)(long)check_filters("the thread", A | B | D, 3, 3);
}

static int setup(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || install(0) || pipe(go))
		return victim_fail("filter A: %m");
	child = fork();
	if (child == 0) {
		if (install(2))
			_exit(3);
		victim_wait();
		_exit(check_filters("the child", A | C, 2, 2) ? 1 : 0);
	}
	if (child < 0 || install(1))
		return victim_fail("filter B: %m");
	if (pthread_create(&thread, NULL, thread_life, NULL))
		return victim_fail("pthread_create failed");
	return 0;
}

static int check(void)
{
	void *thread_ret;
	int status;

	check_filters("the root", A | B, 1, 2);
	kill(child, SIGTERM);
	if (waitpid(child, &status, 0) != child || status)
		victim_fail("the child found its filters wrong (status %#x)", status);
	if (write(go[1], "g", 1) != 1 || pthread_join(thread, &thread_ret) || thread_ret)
		victim_fail("the thread found its filters wrong");
	return 0;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
