// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One full cycle on a victim: start it, note its maps, signal state and
 * registers, seize it, let the test do its work, release it, and check
 * that all of that is back as it was and that the victim finds nothing
 * wrong itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <unistd.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "cycle.h"

char *read_text(const char *fmt, pid_t pid)
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

/* "fd -> target" for every open fd of @pid, in fd order. */
static char *fd_table(pid_t pid)
{
	char path[64], target[512], *buf = NULL;
	struct dirent *de;
	size_t len = 0;
	FILE *out;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	assert_non_null(d);
	out = open_memstream(&buf, &len);
	while ((de = readdir(d))) {
		char link[600];
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", path, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		fprintf(out, "%s -> %s\n", de->d_name, target);
	}
	closedir(d);
	fclose(out);
	return buf;
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

void cycle_run(const struct mode *m, cycle_fn exercise)
{
	struct user_regs_struct before, after;
	char *maps_before, *maps_after, *sig_before, *sig_after, *fds_before, *fds_after;
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
	fds_before = fd_table(v.pid);

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
	fds_after = fd_table(v.pid);
	assert_string_equal(fds_after, fds_before);
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
	free(fds_before);
	free(fds_after);
}

