/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libcompel's private view of a seized task. */
#ifndef COMPEL_INTERNAL_H
#define COMPEL_INTERNAL_H

#include <stdint.h>
#include <sys/types.h>

#include "arch.h"
#include "compel/compel.h"
#include "lib-log.h"

struct compel_thread {
	pid_t tid;
	/*
	 * Set once we resumed the thread to run our code: @regs and @sigmask
	 * then hold what release must put back.
	 */
	int taken;
	struct arch_regs regs;
	uint64_t sigmask;
};

struct compel_task {
	pid_t pid;
	struct compel_thread *threads;
	int nr_threads;
	int cap_threads;
	int mem_fd;			/* /proc/PID/mem, for reads and writes */
	int was_stopped;		/* in group stop at seize */
	int stop_pending;		/* a SIGSTOP we swallowed while running our code */
	unsigned long vdso_syscall;	/* a syscall instruction in [vdso], 0 if none */
	void *shared_local;		/* whole shared area: code page, then user pages */
	unsigned long shared_remote;
	size_t shared_size;
	struct parasite *parasite;	/* NULL when none is loaded */
	unsigned int timeout_ms;	/* for one parasite command; 0: no limit */
	uint64_t deadline;		/* stop_clock_ns() time a wait gives up at, 0: never */
};

/* /proc helpers (proc.c). */
struct proc_status {
	char state;		/* 'R', 'S', 'T', 'Z', ... */
	pid_t tgid;
	pid_t tracer;
	int seccomp;		/* 0 none, 1 strict, 2 filter */
	int kthread;
};
int proc_status_read(pid_t pid, struct proc_status *st);
int proc_vma_find(pid_t pid, const char *name, unsigned long *start, unsigned long *end);

/* Ptrace stops (stop.c). */
int stop_wait_interrupt(pid_t tid, int *group_stop);
int stop_run_to_syscall(struct compel_task *task, pid_t tid, int want_exit);
int stop_run_to_ip(struct compel_task *task, pid_t tid, unsigned long ip);
int stop_interrupt(struct compel_task *task, pid_t tid);
/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t stop_clock_ns(void);

/*
 * compel_task_syscall() with the arguments spelled out; 0, or a negative
 * errno whether the syscall could not run or ran and failed.
 */
int task_remote(struct compel_task *task, long nr, long a0, long a1, long a2, long a3, long a4,
		long a5, long *result);

/*
 * Before we run code in a thread: save what it had and block every signal
 * (once; later calls do nothing). thread_restore() puts it back as it was.
 * (syscall.c)
 */
int thread_take(struct compel_thread *th);
int thread_restore(struct compel_thread *th);

/* Parasite (parasite.c): close its socket in the task and here, forget it. */
/* Free what the parasite holds here, without touching the task (a dead one). */
void parasite_forget(struct compel_task *task);
void parasite_remove(struct compel_task *task);

/* Shared area (shmem.c). */
int shmem_unmap(struct compel_task *task);
/* Our own copy of fd @remote_fd of task @pid (pidfd_getfd), or -errno. */
int task_fetch_fd(pid_t pid, int remote_fd);

#endif
