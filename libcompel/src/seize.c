// SPDX-License-Identifier: LGPL-2.1-or-later
/* Seize every thread of a task, and let them all go again. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

static int task_has_thread(const struct compel_task *task, pid_t tid)
{
	int i;

	for (i = 0; i < task->nr_threads; i++)
		if (task->threads[i].tid == tid)
			return 1;
	return 0;
}

static int task_add_thread(struct compel_task *task, pid_t tid)
{
	if (task->nr_threads == task->cap_threads) {
		int cap = task->cap_threads ? task->cap_threads * 2 : 8;
		struct compel_thread *t = realloc(task->threads, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		task->threads = t;
		task->cap_threads = cap;
	}
	memset(&task->threads[task->nr_threads], 0, sizeof(task->threads[0]));
	task->threads[task->nr_threads++].tid = tid;
	return 0;
}

/* 0 seized and stopped, 1 the thread is gone, or a negative errno. */
static int thread_seize(struct compel_task *task, pid_t tid, long options)
{
	int group_stop = 0, ret;

	if (ptrace(PTRACE_SEIZE, tid, 0, options)) {
		if (errno == ESRCH)
			return 1;
		ret = -errno;
		pr_perror("cannot seize thread %d", tid);
		return ret;
	}
	if (ptrace(PTRACE_INTERRUPT, tid, 0, 0)) {
		ret = -errno;
		ptrace(PTRACE_DETACH, tid, 0, 0);
		return ret == -ESRCH ? 1 : ret;
	}
	ret = stop_wait_interrupt(tid, &group_stop);
	if (ret == -ESRCH) {
		pr_debug("thread %d exited while we seized it", tid);
		return 1;
	}
	if (ret) {
		ptrace(PTRACE_DETACH, tid, 0, 0);
		return ret;
	}
	if (group_stop)
		task->was_stopped = 1;
	ret = task_add_thread(task, tid);
	if (ret)
		ptrace(PTRACE_DETACH, tid, 0, 0);
	return ret;
}

/* Seize the threads of /proc/PID/task we do not hold yet; count the new ones. */
static int seize_new_threads(struct compel_task *task, long options)
{
	char path[64];
	struct dirent *de;
	int added = 0, ret = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", task->pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		pid_t tid = atoi(de->d_name);

		if (tid <= 0 || task_has_thread(task, tid))
			continue;
		ret = thread_seize(task, tid, options);
		if (ret < 0)
			break;
		added += !ret;
		ret = 0;
	}
	closedir(d);
	return ret < 0 ? ret : added;
}

/* Why @pid cannot be seized, as a negative errno, or 0. */
static int seize_refusal(pid_t pid, const struct proc_status *st)
{
	if (pid == getpid())
		return pr_err("%d is ourselves", pid), -EDEADLK;
	if (st->tgid != pid)
		return pr_err("%d is a thread, not a thread group leader", pid), -ESRCH;
	if (st->kthread)
		return pr_err("%d is a kernel thread", pid), -EPERM;
	if (st->state == 'Z' || st->state == 'X')
		return pr_err("%d is a zombie", pid), -ESRCH;
	if (st->tracer)
		return pr_err("%d is already traced by %d", pid, st->tracer), -EBUSY;
	return 0;
}

/*
 * Detach every thread, the leader last. A thread we cannot detach was
 * killed (SIGKILL wakes even a traced thread): as its tracer we must reap
 * it, or its parent could never reap the task.
 */
static void task_detach_all(struct compel_task *task)
{
	int i, status;

	for (i = task->nr_threads - 1; i >= 0; i--) {
		pid_t tid = task->threads[i].tid;

		if (!ptrace(PTRACE_DETACH, tid, 0, 0) || errno != ESRCH)
			continue;
		pr_debug("thread %d died while we held it", tid);
		while (waitpid(tid, &status, __WALL) < 0 && errno == EINTR)
			;
	}
}

static void task_free(struct compel_task *task)
{
	if (task->mem_fd >= 0)
		close(task->mem_fd);
	free(task->threads);
	free(task);
}

static int task_check_native(struct compel_task *task)
{
	struct arch_regs regs;
	int ret = arch_regs_get(task->pid, &regs);

	if (ret)
		return ret;
	if (!arch_regs_native(&regs)) {
		pr_err("%d does not run in the native 64-bit mode", task->pid);
		return -EOPNOTSUPP;
	}
	return 0;
}

COMPEL_API struct compel_task *compel_task_seize(pid_t pid)
{
	long options = PTRACE_O_TRACESYSGOOD;
	struct compel_task *task;
	struct proc_status st;
	char path[64];
	int ret;

	ret = proc_status_read(pid, &st);
	if (ret) {
		pr_err("no task %d", pid);
		errno = -ret;
		return NULL;
	}
	ret = seize_refusal(pid, &st);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	if (st.seccomp)
		options |= PTRACE_O_SUSPEND_SECCOMP;

	task = calloc(1, sizeof(*task));
	if (!task)
		return NULL;
	task->pid = pid;
	task->mem_fd = -1;
	task->timeout_ms = COMPEL_DEFAULT_TIMEOUT_MS;

	ret = thread_seize(task, pid, options);
	if (ret == 1) {
		pr_err("%d exited while we seized it", pid);
		ret = -ESRCH;
	}
	/* Threads may be born while we seize the others: go on until none is. */
	if (!ret) {
		do
			ret = seize_new_threads(task, options);
		while (ret > 0);
	}
	if (!ret)
		ret = task_check_native(task);
	if (!ret) {
		snprintf(path, sizeof(path), "/proc/%d/mem", pid);
		task->mem_fd = open(path, O_RDWR | O_CLOEXEC);
		if (task->mem_fd < 0)
			ret = -errno;
	}
	if (ret) {
		task_detach_all(task);
		task_free(task);
		errno = -ret;
		return NULL;
	}
	pr_info("seized %d: %d threads%s", pid, task->nr_threads,
		task->was_stopped ? ", stopped" : "");
	return task;
}

COMPEL_API int compel_task_release(struct compel_task *task)
{
	int ret = 0, err, i;

	if (!task)
		return 0;
	parasite_remove(task);
	if (task->shared_local)
		ret = shmem_unmap(task);
	for (i = 0; i < task->nr_threads; i++) {
		err = thread_restore(&task->threads[i]);
		if (err && !ret)
			ret = err;
	}
	task_detach_all(task);
	/*
	 * A task seized in group stop goes back to it by itself on detach;
	 * one whose SIGSTOP we swallowed is sent a new one.
	 */
	if (task->stop_pending && !task->was_stopped)
		kill(task->pid, SIGSTOP);
	pr_info("released %d", task->pid);
	task_free(task);
	return ret;
}

COMPEL_API int compel_task_kill(struct compel_task *task)
{
	int ret = 0;

	if (!task)
		return 0;
	if (kill(task->pid, SIGKILL) && errno != ESRCH)
		ret = -errno;
	parasite_forget(task);
	if (task->shared_local)
		munmap(task->shared_local, task->shared_size);
	/* Each thread's exit is reaped here: it is ours while traced. */
	task_detach_all(task);
	pr_info("killed %d", task->pid);
	task_free(task);
	return ret;
}

COMPEL_API pid_t compel_task_pid(const struct compel_task *task)
{
	return task->pid;
}

COMPEL_API int compel_task_nr_threads(const struct compel_task *task)
{
	return task->nr_threads;
}

COMPEL_API pid_t compel_task_thread_id(const struct compel_task *task, int i)
{
	if (i < 0 || i >= task->nr_threads)
		return -EINVAL;
	return task->threads[i].tid;
}

COMPEL_API int compel_task_was_stopped(const struct compel_task *task)
{
	return task->was_stopped;
}
