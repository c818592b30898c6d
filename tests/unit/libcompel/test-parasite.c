// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A parasite built from C (parasite/test-parasite.c) loaded into real
 * victims: commands with arguments and replies, relocated pointer tables,
 * remote syscalls in between, and a crash that leaves the victim unharmed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cycle.h"
#include "test-parasite-blob.h"
#include "test-parasite.h"

static long call(struct compel_task *t, unsigned int cmd, const void *in, size_t len)
{
	size_t room;
	void *data = compel_parasite_data(t, &room);
	long ret = -1;

	assert_non_null(data);
	assert_true(len <= room);
	memcpy(data, in, len);
	assert_int_equal(compel_parasite_call(t, cmd, len, &ret), 0);
	return ret;
}

/* The handler of SIGUSR1 in the task, as the parasite reads it. */
static unsigned long usr1_handler(struct compel_task *t)
{
	int sig = SIGUSR1;
	unsigned long handler;
	size_t room;

	assert_int_equal(call(t, TEST_CMD_SIGACTION, &sig, sizeof(sig)), 32);
	memcpy(&handler, compel_parasite_data(t, &room), sizeof(handler));
	return handler;
}

static void infect(struct compel_task *t, struct victim *v)
{
	const long args[6] = { 0 };
	size_t room;
	char *data;
	long ret;

	assert_int_equal(compel_task_infect(t, &test_parasite, 4096), 0);
	assert_int_equal(compel_task_infect(t, &test_parasite, 4096), -EEXIST);
	data = compel_parasite_data(t, &room);
	assert_true(room >= 4096);

	assert_int_equal(call(t, TEST_CMD_GETPID, NULL, 0), v->pid);
	assert_int_equal(call(t, TEST_CMD_NAME, NULL, 0), 4);
	assert_memory_equal(data, "name", 4);
	/* A remote syscall between two commands leaves the parasite as it was. */
	assert_int_equal(compel_task_syscall(t, SYS_getppid, args, &ret), 0);
	assert_int_equal(ret, getpid());
	assert_int_equal(call(t, TEST_CMD_REVERSE, "parasite", 8), 8);
	assert_memory_equal(data, "etisarap", 8);
	assert_int_equal(call(t, 1000, NULL, 0), -EINVAL);
	assert_int_equal(compel_parasite_call(t, TEST_CMD_GETPID, room + 1, &ret), -EINVAL);

	if (!strcmp(v->name, "pause") || !strcmp(v->name, "handler"))
		assert_int_not_equal(usr1_handler(t), 0);
	else
		assert_int_equal(usr1_handler(t), 0);
}

static int saw_parasite_log;

static void watch_log(int level, const char *file, int line, const char *msg, void *ctx)
{
	if (strstr(msg, "parasite in") && strstr(msg, "sending an fd"))
		saw_parasite_log = 1;
	test_log(level, file, line, msg, ctx);
}

/* The parasite sends us the victim's stdout: what we write there, the victim's reader sees. */
static void pass_fd(struct compel_task *t, struct victim *v)
{
	static const char msg[] = "through the passed fd\n";
	int fd = 1;

	assert_int_equal(compel_task_infect(t, &test_parasite, 4096), 0);
	assert_int_equal(compel_parasite_recv_fd(t), -EAGAIN);
	saw_parasite_log = 0;
	compel_set_log(watch_log, NULL);
	assert_int_equal(call(t, TEST_CMD_SEND_FD, &fd, sizeof(fd)), 0);
	compel_set_log(test_log, NULL);
	assert_true(saw_parasite_log);
	fd = compel_parasite_recv_fd(t);
	assert_true(fd >= 0);
	assert_int_equal(compel_parasite_recv_fd(t), -EAGAIN);
	assert_int_equal(write(fd, msg, sizeof(msg) - 1), sizeof(msg) - 1);
	close(fd);
	assert_int_equal(victim_expect(v, msg), 0);
	/* One more command after the fd: the parasite still serves. */
	assert_int_equal(call(t, TEST_CMD_GETPID, NULL, 0), v->pid);
}

/* The start of the task's first executable mapping. */
static unsigned long first_code(pid_t pid)
{
	char *maps = read_text("/proc/%d/maps", pid), *line;
	unsigned long start = 0, end;

	for (line = maps; line && *line; line = strchr(line, '\n') + 1) {
		char perms[5];

		if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 && perms[2] == 'x')
			break;
		start = 0;
		if (!strchr(line, '\n'))
			break;
	}
	free(maps);
	return start;
}

/* We send the parasite a pipe; it vmsplices task memory into it; we read it there. */
static void splice_pages(struct compel_task *t, struct victim *v)
{
	static char got[8192], want[8192];
	struct iovec iov;
	size_t done = 0;
	int pipefd[2];

	iov.iov_base = (void *)first_code(v->pid);
	iov.iov_len = sizeof(want);
	assert_non_null(iov.iov_base);
	assert_int_equal(compel_task_infect(t, &test_parasite, 4096), 0);
	assert_int_equal(pipe2(pipefd, O_CLOEXEC), 0);
	assert_int_equal(call(t, TEST_CMD_SPLICE, &iov, sizeof(iov)), -EAGAIN);
	assert_int_equal(compel_parasite_send_fd(t, pipefd[1]), 0);
	close(pipefd[1]);
	assert_int_equal(call(t, TEST_CMD_SPLICE, &iov, sizeof(iov)), sizeof(want));
	while (done < sizeof(got)) {
		ssize_t n = read(pipefd[0], got + done, sizeof(got) - done);

		assert_true(n > 0);
		done += n;
	}
	/* The parasite closed its copy: the pipe has no writer left. */
	assert_int_equal(read(pipefd[0], got, 1), 0);
	close(pipefd[0]);
	assert_int_equal(compel_task_mem_read(t, (unsigned long)iov.iov_base, want, sizeof(want)), 0);
	assert_memory_equal(got, want, sizeof(want));
}

/* A crash: the call fails, the victim runs on with its own fault handlers. */
static void crash(struct compel_task *t, struct victim *v)
{
	long ret;
	int sig = SIGSEGV;

	assert_int_equal(compel_task_infect(t, &test_parasite, 4096), 0);
	assert_int_equal(call(t, TEST_CMD_SIGACTION, &sig, sizeof(sig)), 32);
	assert_int_equal(compel_parasite_call(t, TEST_CMD_CRASH, 0, &ret), -EFAULT);
	assert_int_equal(compel_parasite_call(t, TEST_CMD_GETPID, 0, &ret), -EFAULT);
}

/*
 * A command that never waits again: -ETIMEDOUT, then the parasite is done
 * for but remote syscalls still work, and release cures the task (the
 * cycle checks that).
 */
static void hang(struct compel_task *t, struct victim *v, int how)
{
	const long args[6] = { 0 };
	long ret;

	assert_int_equal(compel_task_infect(t, &test_parasite, 4096), 0);
	assert_int_equal(call(t, TEST_CMD_GETPID, NULL, 0), v->pid);
	assert_int_equal(compel_task_set_timeout(t, 100), 0);
	memcpy(compel_parasite_data(t, &(size_t){ 0 }), &how, sizeof(how));
	assert_int_equal(compel_parasite_call(t, TEST_CMD_HANG, sizeof(how), &ret), -ETIMEDOUT);
	assert_int_equal(compel_parasite_call(t, TEST_CMD_GETPID, 0, &ret), -ETIMEDOUT);
	assert_int_equal(compel_task_syscall(t, SYS_getpid, args, &ret), 0);
	assert_int_equal(ret, v->pid);
}

/*
 * Commands in every thread of the 8-thread victim, each twice, in an order
 * that lets threads take turns on the parasite's spare stack: each one
 * answers with its own thread id; the main thread's parasite serves on.
 */
static void per_thread(struct compel_task *t, struct victim *v)
{
	const long args[6] = { 0 };
	int n = compel_task_nr_threads(t), i, round;
	long ret;

	assert_int_equal(compel_task_infect(t, &test_parasite, 4096), 0);
	for (round = 0; round < 2; round++) {
		for (i = n - 1; i >= 0; i--) {
			ret = -1;
			assert_int_equal(compel_parasite_call_thread(t, i, TEST_CMD_GETTID, 0, &ret), 0);
			assert_int_equal(ret, compel_task_thread_id(t, i));
		}
	}
	/* A remote syscall in a thread after its command; the main thread's parasite after all. */
	assert_int_equal(compel_task_thread_syscall(t, 3, SYS_gettid, args, &ret), 0);
	assert_int_equal(ret, compel_task_thread_id(t, 3));
	assert_int_equal(call(t, TEST_CMD_GETPID, NULL, 0), v->pid);
	assert_int_equal(call(t, TEST_CMD_REVERSE, "threads", 7), 7);
	assert_int_equal(compel_parasite_call_thread(t, n, TEST_CMD_GETTID, 0, &ret), -EINVAL);
	assert_int_equal(compel_parasite_call_thread(t, -1, TEST_CMD_GETTID, 0, &ret), -EINVAL);
}

/* A command that never waits again in a thread other than the main one (a sleeping one). */
static void hang_in_thread(struct compel_task *t, struct victim *v)
{
	int how = TEST_HANG_BLOCKED;
	long ret;

	assert_int_equal(compel_task_infect(t, &test_parasite, 4096), 0);
	assert_int_equal(compel_task_set_timeout(t, 100), 0);
	memcpy(compel_parasite_data(t, &(size_t){ 0 }), &how, sizeof(how));
	assert_int_equal(compel_parasite_call_thread(t, 2, TEST_CMD_HANG, sizeof(how), &ret),
			 -ETIMEDOUT);
	assert_int_equal(compel_parasite_call_thread(t, 1, TEST_CMD_GETTID, 0, &ret), -ETIMEDOUT);
}

static void hang_spin(struct compel_task *t, struct victim *v)
{
	hang(t, v, TEST_HANG_SPIN);
}

static void hang_syscalls(struct compel_task *t, struct victim *v)
{
	hang(t, v, TEST_HANG_SYSCALLS);
}

static void hang_blocked(struct compel_task *t, struct victim *v)
{
	hang(t, v, TEST_HANG_BLOCKED);
}

CYCLE_TEST(test_read, infect, "read", 1, 1, 0)
CYCLE_TEST(test_nanosleep, infect, "nanosleep", 1, 1, 1)
CYCLE_TEST(test_pause, infect, "pause", 1, 1, 0)
CYCLE_TEST(test_stopped, infect, "stopped", 1, 0, 0)
CYCLE_TEST(test_threads, infect, "threads", 9, 1, 0)
CYCLE_TEST(test_pending, infect, "pending", 1, 1, 0)
CYCLE_TEST(test_handler, infect, "handler", 1, 1, 0)
CYCLE_TEST(test_seccomp, infect, "seccomp", 1, 1, 0)
CYCLE_TEST(test_crash, crash, "handler", 1, 1, 0)
CYCLE_TEST(test_pass_fd, pass_fd, "read", 1, 1, 0)
CYCLE_TEST(test_splice, splice_pages, "read", 1, 1, 0)
CYCLE_TEST(test_hang_spin, hang_spin, "read", 1, 1, 0)
CYCLE_TEST(test_hang_syscalls, hang_syscalls, "nanosleep", 1, 1, 1)
CYCLE_TEST(test_hang_blocked, hang_blocked, "threads", 9, 1, 0)
CYCLE_TEST(test_per_thread, per_thread, "threads", 9, 1, 0)
CYCLE_TEST(test_hang_in_thread, hang_in_thread, "threads", 9, 1, 0)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),	 cmocka_unit_test(test_nanosleep),
		cmocka_unit_test(test_pause),	 cmocka_unit_test(test_stopped),
		cmocka_unit_test(test_threads),	 cmocka_unit_test(test_pending),
		cmocka_unit_test(test_handler),	 cmocka_unit_test(test_seccomp),
		cmocka_unit_test(test_crash),	 cmocka_unit_test(test_pass_fd),
		cmocka_unit_test(test_splice),	 cmocka_unit_test(test_hang_spin),
		cmocka_unit_test(test_hang_syscalls), cmocka_unit_test(test_hang_blocked),
		cmocka_unit_test(test_per_thread), cmocka_unit_test(test_hang_in_thread),
	};

	compel_set_log(test_log, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
