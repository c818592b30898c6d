/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pieces of core-TID.img: registers (dump-regs-x86.c), signals
 * (dump-signals.c) and syscalls run in the task (dump-core.c).
 */
#ifndef CR_DUMP_CORE_H
#define CR_DUMP_CORE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "images.h"

struct compel_task;

/* Bytes of the buffer: enough for any one struct the core asks for. */
#define REMOTE_BUF 256

/*
 * Syscalls in the seized task with a small buffer: scratch memory below the
 * main thread's stack pointer (past the red zone), saved first and put back
 * by remote_close(). After each call the buffer is copied here.
 */
struct remote {
	struct compel_task *ct;
	unsigned long addr;			/* the buffer in the task */
	unsigned char local[REMOTE_BUF];	/* its bytes after the last call */
	unsigned char saved[REMOTE_BUF];	/* what the task had there */
};

/* Set up the buffer below @sp, the main thread's stack pointer. 0 or -errno. */
int remote_open(struct compel_task *ct, unsigned long sp, struct remote *r);

/* Put the task's bytes back. 0 or a negative errno. */
int remote_close(struct remote *r);

/*
 * Syscall @nr in thread @thread (an index of compel_task_thread_id()).
 * 0 with its result in *@res (may be NULL), or a negative errno: the
 * syscall's own error or one of running it.
 */
int remote_call(struct remote *r, int thread, long nr, long a0, long a1, long a2, long a3,
		long *res);

/* The registers of one thread and every message and array they fill. */
struct regs_img {
	ThreadInfoX86 ti;
	UserX86RegsEntry gp;
	UserX86FpregsEntry fp;
	UserX86XsaveEntry xs;
	UserDescT tls[3];
	UserDescT *tls_ptrs[3];
	uint32_t st_space[32], xmm_space[64], ymmh_space[64], pkru[2];
	uint64_t bndreg[8], bndcsr[2], opmask[8], zmm_upper[64], hi16_zmm[128];
};

/*
 * Read the registers of the stopped thread @tid into @r (r->ti and what it
 * points to; clear_tid_addr is left 0). An interrupted syscall is set up to
 * run again, as the kernel would have done. Must run before any remote
 * syscall in @tid changed them. 0 or a negative errno.
 */
int regs_dump(pid_t tid, struct regs_img *r);

/* A queue of pending signals, raw siginfo_t each. */
struct sig_queue {
	SignalQueueEntry q;
	SiginfoEntry *entries;
	SiginfoEntry **ptrs;
	unsigned char *data;
};

/*
 * The signals pending for thread @tid alone, or for its whole process
 * when @shared (PTRACE_PEEKSIGINFO). 0 or a negative errno; release @sq with
 * sig_queue_free() either way.
 */
int sig_queue_read(pid_t tid, bool shared, struct sig_queue *sq);
void sig_queue_free(struct sig_queue *sq);

/* Every signal but SIGKILL and SIGSTOP. */
#define NR_SIGACTIONS 62

struct sigactions {
	SaEntry sa[NR_SIGACTIONS];
	SaEntry *ptrs[NR_SIGACTIONS];
};

/* The actions of signals 1..64 but SIGKILL and SIGSTOP. 0 or a negative errno. */
int sigactions_dump(struct remote *r, struct sigactions *s);

/* The alternate signal stack of thread @thread. 0 or a negative errno. */
int sas_dump(struct remote *r, int thread, ThreadSasEntry *sas);

#endif
