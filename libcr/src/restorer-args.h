/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The arguments of the restorer blob (libcr/pie/restorer.c), laid out by
 * restore_task_switch() in the task before it jumps into the blob. Both
 * sides compile this header: fixed-size types only, and every pointer is
 * an absolute address inside the argument area, valid after the switch.
 */
#ifndef CR_RESTORER_ARGS_H
#define CR_RESTORER_ARGS_H

#include <stdint.h>

#define RST_PAGE_SIZE 4096UL
#define RST_STACK_SIZE (32UL << 10) /* per thread, inside the argument area */
#define RST_MAX_SIGNALS 64	    /* queued siginfos per thread or task */
#define RST_MAX_GROUPS 64
#define RST_NR_SIGNALS 64
#define RST_NR_RLIMITS 16
#define RST_AUXV_WORDS 128
#define RST_NR_KEEP 2	 /* the hole (with the shared page), the special areas */
#define RST_NR_SPECIAL 4 /* [vvar] [vvar_vclock] [vdso] and a spare */
#define RST_MAX_TIMERS 32
#define RST_MAX_SECCOMP 512 /* seccomp filters a thread installs */

/* x86_64 ucontext flags of rt_sigreturn. */
#define RST_UC_FP_XSTATE 0x1
#define RST_UC_SIGCONTEXT_SS 0x2
#define RST_UC_STRICT_RESTORE_SS 0x4

/* The xsave software-reserved markers the kernel checks on rt_sigreturn. */
#define RST_FP_XSTATE_MAGIC1 0x46505853U
#define RST_FP_XSTATE_MAGIC2 0x46505845U
#define RST_FXSAVE_SW_OFF 464

/* The kernel's x86_64 struct sigcontext. */
struct rst_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};

/* The kernel's x86_64 struct rt_sigframe, up to the fpstate it points at. */
struct rst_sigframe {
	uint64_t pretcode;
	struct {
		uint64_t uc_flags;
		uint64_t uc_link;
		struct {
			uint64_t ss_sp;
			int32_t ss_flags;
			int32_t pad;
			uint64_t ss_size;
		} uc_stack;
		struct rst_sigcontext uc_mcontext;
		uint64_t uc_sigmask;
	} uc;
	uint8_t info[128];
};

/* One dumped area: premapped at @premap, moved to @start by the blob. */
struct rst_vma {
	uint64_t start, end;
	uint64_t premap;
	uint64_t madv;	/* bit N set: madvise(N) */
	uint32_t mlock; /* RST_VMA_LOCK*: mlock2() it once in place */
	uint32_t pad;
};

#define RST_VMA_LOCKED 1
#define RST_VMA_LOCK_ONFAULT 2

/* One area of the current process moved to a dumped address, via @scratch. */
struct rst_move {
	uint64_t from, scratch, to, len;
};

struct rst_range {
	uint64_t start, end;
};

struct rst_creds {
	uint32_t uid, gid, euid, egid, suid, sgid, fsuid, fsgid;
	uint32_t cap_inh[2], cap_prm[2], cap_eff[2];
	uint64_t cap_amb;
	uint64_t cap_bnd;
	uint32_t secbits;
	uint32_t no_new_privs;
	uint32_t nr_groups;
	uint32_t groups[RST_MAX_GROUPS];
};

struct rst_ksigaction {
	uint64_t handler, flags, restorer, mask;
};

struct rst_siginfo {
	uint8_t data[128];
};

/*
 * One page mapped MAP_SHARED before the first fork, so every restored task
 * and crtool see it. The restorer keeps it mapped until the very end.
 */
struct rst_shared {
	uint32_t nr_ready;	/* threads waiting at the final barrier (futex) */
	uint32_t go;		/* 0 wait, 1 return into the dumped state, 2 die (futex) */
	int32_t error;		/* first negative errno a task met */
	int32_t error_pid;	/* the task that met it */
};

/* One POSIX timer, created again with its id (PR_TIMER_CREATE_RESTORE_IDS). */
struct rst_posix_timer {
	int32_t id, clock_id, signo, notify, notify_tid, pad;
	uint64_t sival;
	uint64_t it[4]; /* interval s/ns, value s/ns */
};

struct rst_task_args;

/* One seccomp filter a thread installs: @len struct sock_filter at @insns. */
struct rst_seccomp_filter {
	uint64_t insns;
	uint32_t len;
	uint32_t flags; /* SECCOMP_FILTER_FLAG_* */
};

/* What one thread restores on its own, then the frame it returns through. */
struct rst_thread_args {
	int32_t tid;
	uint32_t nr_signals;
	uint32_t has_creds;
	uint32_t pdeath_sig;
	char comm[16]; /* "" keeps the current name */
	uint64_t clear_tid;
	uint64_t fs_base, gs_base;
	uint64_t robust_list, robust_len;
	uint64_t rseq, rseq_len, rseq_sig;
	uint64_t stack_top;
	uint64_t frame; /* struct rst_sigframe, 64-byte aligned fpstate after it */
	uint64_t task;	/* struct rst_task_args */
	uint32_t seccomp_mode; /* SECCOMP_MODE_*, set last */
	uint32_t nr_seccomp;
	uint64_t seccomp; /* struct rst_seccomp_filter[nr_seccomp], the oldest first */
	uint32_t has_policy, has_nice;
	uint32_t policy; /* SCHED_*, with SCHED_RESET_ON_FORK */
	uint32_t rt_prio;
	int32_t nice;
	uint32_t pad;
	struct rst_creds creds;
	struct rst_siginfo signals[RST_MAX_SIGNALS];
};

/* The kernel's struct prctl_mm_map. */
struct rst_mm_map {
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t start_brk, brk, start_stack;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t auxv;
	uint32_t auxv_size;
	uint32_t exe_fd;
};

struct rst_task_args {
	int32_t pid;
	int32_t exe_fd; /* -1: keep the current exe link */
	uint32_t personality;
	uint32_t child_subreaper;
	int32_t dumpable;	       /* -1: leave as the credentials make it */
	int32_t thp_disabled;	       /* -1: leave as is */
	uint64_t shared;	       /* struct rst_shared */
	uint64_t hole_start, hole_len; /* blob, arguments, premapped areas */
	struct rst_range keep[RST_NR_KEEP];
	uint32_t nr_keep;
	uint32_t nr_special;
	struct rst_move special[RST_NR_SPECIAL];
	uint32_t nr_vmas;
	uint32_t nr_threads;
	uint64_t vmas;	  /* struct rst_vma[nr_vmas] */
	uint64_t threads; /* uint64_t[nr_threads], the main thread first */
	struct rst_mm_map mm;
	uint64_t auxv[RST_AUXV_WORDS];
	uint64_t sig_set; /* bit N-1: set the action of signal N */
	struct rst_ksigaction sigactions[RST_NR_SIGNALS];
	uint64_t itimers[3][4]; /* real, virt, prof: interval s/us, value s/us */
	uint32_t nr_posix_timers;
	uint32_t pad;
	struct rst_posix_timer posix_timers[RST_MAX_TIMERS];
	uint32_t nr_rlimits;
	uint32_t nr_signals; /* process-wide pending signals */
	uint64_t rlimits[RST_NR_RLIMITS][2];
	struct rst_siginfo signals[RST_MAX_SIGNALS];
};

#endif
