// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libcompel on tasks it must refuse or that die under it: a clear errno,
 * nothing leaked on our side, the task (when alive) untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compel/compel.h"
#include "victim-run.h"

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void expect_refused(pid_t pid, int err)
{
	errno = 0;
	assert_null(compel_task_seize(pid));
	assert_int_equal(errno, err);
}

static void test_refusals(void **state)
{
	int fds = count_fds();
	pid_t zombie;

	expect_refused(getpid(), EDEADLK);
	expect_refused(0x3ffffff, ESRCH);
	expect_refused(2, EPERM); /* kthreadd */
	zombie = fork();
	if (!zombie)
		_exit(0);
	assert_int_equal(victim_wait_state(zombie, 'Z'), 0);
	expect_refused(zombie, ESRCH);
	waitpid(zombie, NULL, 0);
	assert_int_equal(count_fds(), fds);
}

static void test_already_traced(void **state)
{
	struct compel_task *t;
	struct victim v;

	assert_int_equal(victim_start(&v, "read"), 0);
	t = compel_task_seize(v.pid);
	assert_non_null(t);
	expect_refused(v.pid, EBUSY);
	assert_int_equal(compel_task_release(t), 0);
	assert_int_equal(victim_finish(&v), 0);
	victim_kill(&v);
}

static void test_not_a_leader(void **state)
{
	struct victim v;
	pid_t tid = 0;

	assert_int_equal(victim_start(&v, "threads"), 0);
	/* Any thread but the leader: its id is a few above the pid. */
	for (pid_t i = v.pid + 1; i < v.pid + 64 && !tid; i++)
		if (!tgkill(v.pid, i, 0))
			tid = i;
	assert_true(tid > 0);
	expect_refused(tid, ESRCH);
	assert_int_equal(victim_finish(&v), 0);
	victim_kill(&v);
}

static void test_killed_while_held(void **state)
{
	const long args[6] = { 0 };
	struct compel_task *t;
	struct victim v;
	int fds = count_fds();
	long ret;

	assert_int_equal(victim_start(&v, "threads"), 0);
	t = compel_task_seize(v.pid);
	assert_non_null(t);
	assert_int_equal(compel_task_map_shared(t, 4096), 0);
	kill(v.pid, SIGKILL);
	assert_int_equal(compel_task_syscall(t, SYS_getpid, args, &ret), -ESRCH);
	/* Release reports the failures but frees everything. */
	assert_true(compel_task_release(t) < 0);
	victim_kill(&v);
	assert_int_equal(count_fds(), fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_already_traced),
		cmocka_unit_test(test_not_a_leader),
		cmocka_unit_test(test_killed_while_held),
	};

	compel_set_log(test_log, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
