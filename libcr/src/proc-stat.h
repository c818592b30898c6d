/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/PID/stat (or /proc/PID/task/TID/stat): every field, by name. */
#ifndef CR_PROC_STAT_H
#define CR_PROC_STAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The longest comm the kernel prints (kernel threads may exceed 16). */
#define PROC_COMM_MAX 64
/* Longer than any stat line: 52 fields of at most 20 digits and the comm. */
#define PROC_STAT_MAX 2048

struct proc_stat {
	int pid;
	char comm[PROC_COMM_MAX + 1];	/* between the outer parentheses, raw */
	char state;
	int ppid, pgid, sid;
	int tty_nr, tpgid;
	unsigned int flags;		/* PF_* */
	uint64_t minflt, cminflt, majflt, cmajflt;
	uint64_t utime, stime;
	int64_t cutime, cstime;
	int64_t priority, nice;
	int64_t num_threads;
	uint64_t starttime;		/* clock ticks after boot */
	uint64_t vsize;			/* bytes */
	uint64_t rss;			/* pages */
	uint64_t rsslim;
	uint64_t start_code, end_code, start_stack;
	uint64_t kstkesp, kstkeip;
	uint64_t signal, blocked, sigignore, sigcatch;	/* obsolete bitmaps */
	uint64_t wchan, nswap, cnswap;
	int exit_signal;
	int processor;
	unsigned int rt_priority, policy;
	uint64_t delayacct_blkio_ticks;
	uint64_t guest_time;
	int64_t cguest_time;
	uint64_t start_data, end_data, start_brk;
	uint64_t arg_start, arg_end, env_start, env_end;
	int exit_code;			/* as waitpid() would report it */
};

/*
 * Parse the text of a stat file (@buf, @len bytes). The comm is whatever
 * lies between the first '(' and the last ')', so a comm holding ") (" or
 * spaces is read right. 0 or -EINVAL (also for text of PROC_STAT_MAX bytes
 * or more). Suitable as a fuzz entry point.
 */
int proc_stat_parse(const char *buf, size_t len, struct proc_stat *st);

/* Read /proc/@pid/stat, or /proc/@pid/task/@tid/stat when @tid > 0. */
int proc_stat_read(pid_t pid, pid_t tid, struct proc_stat *st);

#endif
