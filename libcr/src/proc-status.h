/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/PID/status: credentials, capabilities, signals, pid numbers. */
#ifndef CR_PROC_STATUS_H
#define CR_PROC_STATUS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Supplementary groups kept; a task with more is refused (-E2BIG). */
#define PROC_GROUPS_MAX 1024
/* Pid namespace levels (the kernel's MAX_PID_NS_LEVEL is 32, plus init). */
#define PROC_NS_LEVELS_MAX 33

/* Which optional lines were there (bits of proc_status.have). */
enum proc_status_have {
	PROC_STATUS_UMASK = 1 << 0,
	PROC_STATUS_CAP_AMB = 1 << 1,
	PROC_STATUS_NO_NEW_PRIVS = 1 << 2,
	PROC_STATUS_SECCOMP = 1 << 3,
	PROC_STATUS_SECCOMP_FILTERS = 1 << 4,
	PROC_STATUS_NS_PIDS = 1 << 5,	/* NStgid, NSpid, NSpgid, NSsid */
	PROC_STATUS_SIGQ = 1 << 6,
	PROC_STATUS_GROUPS = 1 << 7,
	PROC_STATUS_SIGNALS = 1 << 8,	/* SigPnd ShdPnd SigBlk SigIgn SigCgt */
	PROC_STATUS_CAPS = 1 << 9,	/* CapInh CapPrm CapEff CapBnd */
};

/* A pid seen from each pid namespace, outermost (the reader's) first. */
struct proc_ns_pids {
	unsigned int nr;
	int pid[PROC_NS_LEVELS_MAX];
};

struct proc_status {
	unsigned int have;		/* enum proc_status_have */
	char state;			/* the letter of "State:" */
	unsigned int umask;
	int tgid, pid, ppid, tracer_pid;
	uint32_t uid[4], gid[4];	/* real, effective, saved, fs */
	unsigned int ngroups;
	uint32_t groups[PROC_GROUPS_MAX];
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	int no_new_privs;
	int seccomp;			/* SECCOMP_MODE_* */
	int seccomp_filters;
	uint64_t sigq_queued, sigq_limit;
	uint64_t sig_pnd, shd_pnd, sig_blk, sig_ign, sig_cgt;
	struct proc_ns_pids ns_tgid, ns_pid, ns_pgid, ns_sid;
};

/*
 * Parse the text of a status file (@buf, @len bytes). State, Tgid, Pid,
 * PPid, TracerPid, Uid and Gid must be there; other lines are optional
 * (see @have) and unknown ones ignored. 0, -EINVAL on malformed text,
 * -E2BIG on more than PROC_GROUPS_MAX groups (-EINVAL when the Groups line
 * is even longer than PROC_LINE_MAX). Suitable as a fuzz entry point.
 */
int proc_status_parse(const char *buf, size_t len, struct proc_status *st);

/* Read /proc/@pid/status, or /proc/@pid/task/@tid/status when @tid > 0. */
int proc_status_read(pid_t pid, pid_t tid, struct proc_status *st);

#endif
