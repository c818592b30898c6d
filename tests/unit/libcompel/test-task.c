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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compel/compel.h"
#include "victim-run.h"

struct mode {
	const char *name;
	int threads;
	/* Blocked in the kernel at a fixed place: registers can be compared. */
	int stable_regs;
	/* Its sleep is restarted through restart_syscall: orig_rax differs. */
	int restarts_by_block;
};

static char *read_text(const char *fmt, pid_t pid)
{
	char path[64];
	char *buf = NULL;
	size_t len = 0;
	FILE *f, *out;
	int c;

	snprintf(path, sizeof(path), fmt, pid);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	out = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, out);
	fclose(out);
	fclose(f);
	return buf;
}

/*
 * The signal lines of /proc/PID/status: pending, blocked, ignored, caught
 * (not SigQ: it counts the signals queued for the whole user).
 */
static char *signal_state(pid_t pid)
{
	char *status = read_text("/proc/%d/status", pid), *line, *save = NULL;
	char *out = calloc(1, strlen(status) + 1);

	for (line = strtok_r(status, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if ((!strncmp(line, "Sig", 3) && strncmp(line, "SigQ", 4)) ||
		    !strncmp(line, "ShdPnd", 6))
			strcat(strcat(out, line), "\n");
	free(status);
	return out;
}

/* The registers of @pid's main thread, read under our own brief ptrace. */
static void raw_regs(pid_t pid, struct user_regs_struct *regs)
{
	int status;

	assert_int_equal(ptrace(PTRACE_SEIZE, pid, 0, 0), 0);
	assert_int_equal(ptrace(PTRACE_INTERRUPT, pid, 0, 0), 0);
	assert_int_equal(waitpid(pid, &status, __WALL), pid);
	assert_true(WIFSTOPPED(status));
	assert_int_equal(ptrace(PTRACE_GETREGS, pid, 0, regs), 0);
	assert_int_equal(ptrace(PTRACE_DETACH, pid, 0, 0), 0);
}

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
	char cwd[4096], *maps;
	size_t size;
	char *local;
	long addr;

	assert_int_equal(remote(t, SYS_getpid, 0, 0, 0), v->pid);
	assert_int_equal(remote(t, SYS_getppid, 0, 0, 0), getpid());
	assert_int_equal(remote(t, SYS_close, 1000, 0, 0), -EBADF);

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

static void run_mode(const struct mode *m)
{
	struct user_regs_struct before, after;
	char *maps_before, *maps_after, *sig_before, *sig_after;
	struct compel_task *t;
	struct victim v;

	assert_int_equal(victim_start(&v, m->name), 0);
	if (!strcmp(m->name, "stopped")) {
		kill(v.pid, SIGSTOP);
		assert_int_equal(victim_wait_state(v.pid, 'T'), 0);
	} else if (m->stable_regs) {
		assert_int_equal(victim_wait_state(v.pid, 'S'), 0);
		raw_regs(v.pid, &before);
	}
	maps_before = read_text("/proc/%d/maps", v.pid);
	sig_before = signal_state(v.pid);

	t = compel_task_seize(v.pid);
	assert_non_null(t);
	assert_int_equal(compel_task_pid(t), v.pid);
	assert_int_equal(compel_task_nr_threads(t), m->threads);
	assert_int_equal(compel_task_thread_id(t, 0), v.pid);
	assert_int_equal(compel_task_was_stopped(t), !strcmp(m->name, "stopped"));
	exercise(t, &v);
	assert_int_equal(compel_task_release(t), 0);

	maps_after = read_text("/proc/%d/maps", v.pid);
	sig_after = signal_state(v.pid);
	assert_string_equal(maps_after, maps_before);
	assert_string_equal(sig_after, sig_before);
	if (!strcmp(m->name, "stopped")) {
		assert_int_equal(victim_wait_state(v.pid, 'T'), 0);
		kill(v.pid, SIGCONT);
	} else if (m->stable_regs) {
		assert_int_equal(victim_wait_state(v.pid, 'S'), 0);
		raw_regs(v.pid, &after);
		if (m->restarts_by_block)
			after.orig_rax = before.orig_rax;
		assert_memory_equal(&after, &before, sizeof(before));
	}
	if (!strcmp(m->name, "pause"))
		kill(v.pid, SIGUSR1);
	assert_int_equal(victim_finish(&v), 0);
	victim_kill(&v);
	free(maps_before);
	free(maps_after);
	free(sig_before);
	free(sig_after);
}

#define MODE_TEST(fn, ...)                                      \
	static void fn(void **state)                            \
	{                                                       \
		static const struct mode m = { __VA_ARGS__ };   \
		run_mode(&m);                                   \
	}

MODE_TEST(test_busy, "busy", 1, 0, 0)
MODE_TEST(test_read, "read", 1, 1, 0)
MODE_TEST(test_nanosleep, "nanosleep", 1, 1, 1)
MODE_TEST(test_pause, "pause", 1, 1, 0)
MODE_TEST(test_stopped, "stopped", 1, 0, 0)
MODE_TEST(test_threads, "threads", 9, 1, 0)
MODE_TEST(test_pending, "pending", 1, 1, 0)
MODE_TEST(test_handler, "handler", 1, 1, 0)
MODE_TEST(test_seccomp, "seccomp", 1, 1, 0)

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_busy),	  cmocka_unit_test(test_read),
		cmocka_unit_test(test_nanosleep), cmocka_unit_test(test_pause),
		cmocka_unit_test(test_stopped),	  cmocka_unit_test(test_threads),
		cmocka_unit_test(test_pending),	  cmocka_unit_test(test_handler),
		cmocka_unit_test(test_seccomp),	  cmocka_unit_test(test_stop_while_held),
	};

	compel_set_log(test_log, NULL);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
