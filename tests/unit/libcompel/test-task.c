// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libcompel against real victims: for each kind of victim, seize it, run
 * remote syscalls, map a shared area and move bytes through it both ways,
 * release it; then check that its maps, signal state and registers are
 * what they were before, and that the victim itself finds nothing wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cycle.h"

static long remote(struct compel_task *t, long nr, long a0, long a1, long a2)
{
	const long args[6] = { a0, a1, a2 };
	long ret = -1;

	assert_int_equal(compel_task_syscall(t, nr, args, &ret), 0);
	return ret;
}

/* Everything we do inside a seized victim. */
static void exercise(struct compel_task *t, struct victim *v)
{
	static const char msg[] = "said from inside\n";
	const long args[6] = { 0 };
	long ret;
	int i;
	char cwd[4096], *maps;
	size_t size;
	char *local;
	long addr;

	assert_int_equal(remote(t, SYS_getpid, 0, 0, 0), v->pid);
	assert_int_equal(remote(t, SYS_getppid, 0, 0, 0), getpid());
	assert_int_equal(remote(t, SYS_close, 1000, 0, 0), -EBADF);
	/* Every thread runs syscalls of its own. */
	for (i = 0; i < compel_task_nr_threads(t); i++) {
		assert_int_equal(compel_task_thread_syscall(t, i, SYS_gettid, args, &ret), 0);
		assert_int_equal(ret, compel_task_thread_id(t, i));
	}
	assert_int_equal(compel_task_thread_syscall(t, i, SYS_gettid, args, &ret), -EINVAL);

	assert_int_equal(compel_task_map_shared(t, 8192), 0);
	assert_int_equal(compel_task_map_shared(t, 8192), -EEXIST);
	local = compel_task_shared_local(t);
	addr = compel_task_shared_remote(t);
	size = compel_task_shared_size(t);
	assert_non_null(local);
	assert_true(size >= 8192);
	maps = read_text("/proc/%d/maps", v->pid);
	assert_non_null(strstr(maps, "memfd:crtool-compel"));
	free(maps);

	/* The task writes into the area, we read it here... */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(remote(t, SYS_getcwd, addr, size, 0), strlen(cwd) + 1);
	assert_string_equal(local, cwd);
	/* ...and it reads what we put there. */
	memcpy(local, msg, sizeof(msg));
	assert_int_equal(remote(t, SYS_write, 1, addr, sizeof(msg) - 1), sizeof(msg) - 1);
	assert_int_equal(victim_expect(v, msg), 0);
}

CYCLE_TEST(test_busy, exercise, "busy", 1, 0, 0)
CYCLE_TEST(test_read, exercise, "read", 1, 1, 0)
CYCLE_TEST(test_nanosleep, exercise, "nanosleep", 1, 1, 1)
CYCLE_TEST(test_pause, exercise, "pause", 1, 1, 0)
CYCLE_TEST(test_stopped, exercise, "stopped", 1, 0, 0)
CYCLE_TEST(test_threads, exercise, "threads", 9, 1, 0)
CYCLE_TEST(test_pending, exercise, "pending", 1, 1, 0)
CYCLE_TEST(test_handler, exercise, "handler", 1, 1, 0)
CYCLE_TEST(test_seccomp, exercise, "seccomp", 1, 1, 0)
CYCLE_TEST(test_novdso, exercise, "novdso", 1, 1, 0)

/* A SIGSTOP that comes while we hold the task is not lost: it stops the task after release. */
static void test_stop_while_held(void **state)
{
	struct compel_task *t;
	struct victim v;

	assert_int_equal(victim_start(&v, "read"), 0);
	assert_int_equal(victim_wait_state(v.pid, 'S'), 0);
	t = compel_task_seize(v.pid);
	assert_non_null(t);
	kill(v.pid, SIGSTOP);
	assert_int_equal(remote(t, SYS_getpid, 0, 0, 0), v.pid);
	assert_int_equal(compel_task_was_stopped(t), 0);
	assert_int_equal(compel_task_release(t), 0);
	assert_int_equal(victim_wait_state(v.pid, 'T'), 0);
	kill(v.pid, SIGCONT);
	assert_int_equal(victim_finish(&v), 0);
	victim_kill(&v);
}

/* A task killed while held dies by SIGKILL at once, with nothing cured first. */
static void test_kill_while_held(void **state)
{
	struct compel_task *t;
	struct victim v;
	int status;

	assert_int_equal(victim_start(&v, "threads"), 0);
	t = compel_task_seize(v.pid);
	assert_non_null(t);
	assert_int_equal(compel_task_map_shared(t, 4096), 0);
	assert_int_equal(compel_task_kill(t), 0);
	/* As its tracer, libcompel may have reaped our child already. */
	if (waitpid(v.pid, &status, 0) == v.pid)
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	else
		assert_int_equal(errno, ECHILD);
	assert_int_equal(kill(v.pid, 0), -1);
	close(v.ctl);
	close(v.report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_busy),	  cmocka_unit_test(test_read),
		cmocka_unit_test(test_nanosleep), cmocka_unit_test(test_pause),
		cmocka_unit_test(test_stopped),	  cmocka_unit_test(test_threads),
		cmocka_unit_test(test_pending),	  cmocka_unit_test(test_handler),
		cmocka_unit_test(test_seccomp),	  cmocka_unit_test(test_stop_while_held),
		cmocka_unit_test(test_novdso),	  cmocka_unit_test(test_kill_while_held),
	};

	compel_set_log(test_log, NULL);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
