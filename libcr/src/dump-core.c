// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * core-TID.img for every thread of a seized task. What changes once we run
 * code in the task (registers, the blocked mask) is read first, from every
 * thread; then /proc, then syscalls in the task for what only it can tell.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "compel/compel.h"
#include "dump-core.h"
#include "dump-seccomp.h"
#include "dump.h"
#include "lib-log.h"
#include "proc-file.h"
#include "proc-limits.h"
#include "proc-parse.h"
#include "proc-stat.h"
#include "proc-status.h"

/* CRIU's task states. */
#define TASK_ALIVE 1
#define TASK_STOPPED 3
/* The SysV ABI's red zone below the stack pointer. */
#define RED_ZONE 128

struct thread_img {
	pid_t tid;
	CoreEntry core;
	ThreadCoreEntry th;
	CredsEntry creds;
	ThreadSasEntry sas;
	RseqEntry rseq;
	struct regs_img regs;
	struct sig_queue pending;
	struct proc_stat stat;
	struct proc_status status;
	uint32_t caps[5][2];
};

struct task_img {
	TaskCoreEntry tc;
	struct task_timers timers;
	TaskRlimitsEntry rlimits;
	RlimitEntry rlim[PROC_NR_LIMITS];
	RlimitEntry *rlim_ptrs[PROC_NR_LIMITS];
	struct sigactions sa;
	struct sig_queue shared;
	struct proc_stat stat;
	int dumpable, thp_disabled;	/* for MmEntry, which dump_mm() writes */
};

int remote_open(struct compel_task *ct, unsigned long sp, struct remote *r)
{
	r->ct = ct;
	r->addr = (sp - RED_ZONE - REMOTE_BUF) & ~15UL;
	return compel_task_mem_read(ct, r->addr, r->saved, REMOTE_BUF);
}

int remote_close(struct remote *r)
{
	return compel_task_mem_write(r->ct, r->addr, r->saved, REMOTE_BUF);
}

int remote_call(struct remote *r, int thread, long nr, long a0, long a1, long a2, long a3,
		long *res)
{
	const long args[6] = { a0, a1, a2, a3 };
	long ret;
	int err;

	err = compel_task_thread_syscall(r->ct, thread, nr, args, &ret);
	if (err)
		return err;
	if (ret < 0 && ret > -4096)
		return ret;
	if (res)
		*res = ret;
	return compel_task_mem_read(r->ct, r->addr, r->local, REMOTE_BUF);
}

/* What must be read before any code of ours runs in the thread. */
static int thread_capture(struct thread_img *th)
{
	struct __ptrace_rseq_configuration rseq;
	uint64_t mask;
	long n;
	int ret;

	ret = regs_dump(th->tid, &th->regs);
	if (ret)
		return ret;
	thread_core_entry__init(&th->th);
	if (ptrace(PTRACE_GETSIGMASK, th->tid, sizeof(mask), &mask))
		return -errno;
	th->th.has_blk_sigset = true;
	th->th.blk_sigset = mask;
	ret = sig_queue_read(th->tid, false, &th->pending);
	if (ret)
		return ret;
	th->th.signals_p = &th->pending.q;
	n = ptrace(PTRACE_GET_RSEQ_CONFIGURATION, th->tid, sizeof(rseq), &rseq);
	if (n < 0)
		return -errno;
	if (rseq.rseq_abi_pointer) {
		rseq_entry__init(&th->rseq);
		th->rseq.rseq_abi_pointer = rseq.rseq_abi_pointer;
		th->rseq.rseq_abi_size = rseq.rseq_abi_size;
		th->rseq.signature = rseq.signature;
		th->th.rseq_entry = &th->rseq;
	}
	return 0;
}

static void caps_split(uint64_t caps, uint32_t *words, uint32_t **field, size_t *n)
{
	words[0] = caps;
	words[1] = caps >> 32;
	*field = words;
	*n = 2;
}

static int creds_fill(struct thread_img *th, struct remote *r, int i)
{
	struct proc_status *st = &th->status;
	CredsEntry *c = &th->creds;
	long secbits;
	int ret;

	ret = proc_status_read(compel_task_pid(r->ct), th->tid, st);
	if (ret)
		return ret;
	ret = remote_call(r, i, SYS_prctl, PR_GET_SECUREBITS, 0, 0, 0, &secbits);
	if (ret)
		return ret;
	creds_entry__init(c);
	c->uid = st->uid[0];
	c->euid = st->uid[1];
	c->suid = st->uid[2];
	c->fsuid = st->uid[3];
	c->gid = st->gid[0];
	c->egid = st->gid[1];
	c->sgid = st->gid[2];
	c->fsgid = st->gid[3];
	caps_split(st->cap_inh, th->caps[0], &c->cap_inh, &c->n_cap_inh);
	caps_split(st->cap_prm, th->caps[1], &c->cap_prm, &c->n_cap_prm);
	caps_split(st->cap_eff, th->caps[2], &c->cap_eff, &c->n_cap_eff);
	caps_split(st->cap_bnd, th->caps[3], &c->cap_bnd, &c->n_cap_bnd);
	caps_split(st->cap_amb, th->caps[4], &c->cap_amb, &c->n_cap_amb);
	c->secbits = secbits;
	c->groups = st->groups;
	c->n_groups = st->ngroups;
	c->has_no_new_privs = true;
	c->no_new_privs = st->no_new_privs;
	th->th.creds = c;
	if (st->have & PROC_STATUS_SECCOMP) {
		th->th.has_seccomp_mode = true;
		th->th.seccomp_mode = st->seccomp;
	}
	return 0;
}

/* An int the task writes through a pointer (prctl's PR_GET_*). */
static int remote_get_int(struct remote *r, int i, long option, int *val)
{
	int ret = remote_call(r, i, SYS_prctl, option, r->addr, 0, 0, NULL);

	if (!ret)
		memcpy(val, r->local, sizeof(*val));
	return ret;
}

/* Everything of thread @i besides what thread_capture() took. */
static int thread_fill(struct thread_img *th, struct remote *r, int i)
{
	ThreadCoreEntry *tc = &th->th;
	uint64_t tid_addr;
	void *head;
	size_t len;
	int pdeath, policy, ret;

	ret = proc_stat_read(compel_task_pid(r->ct), th->tid, &th->stat);
	if (!ret)
		ret = creds_fill(th, r, i);
	if (!ret)
		ret = sas_dump(r, i, &th->sas);
	if (!ret)
		ret = remote_get_int(r, i, PR_GET_PDEATHSIG, &pdeath);
	if (!ret)
		ret = remote_call(r, i, SYS_prctl, PR_GET_TID_ADDRESS, r->addr, 0, 0, NULL);
	if (ret)
		return ret;
	memcpy(&tid_addr, r->local, sizeof(tid_addr));
	th->regs.ti.clear_tid_addr = tid_addr;
	if (syscall(SYS_get_robust_list, th->tid, &head, &len))
		return -errno;
	tc->futex_rla = (uintptr_t)head;
	tc->futex_rla_len = len;
	tc->sas = &th->sas;
	if (pdeath) {
		tc->has_pdeath_sig = true;
		tc->pdeath_sig = pdeath;
	}
	/* unlike /proc/PID/stat, with SCHED_RESET_ON_FORK */
	policy = sched_getscheduler(th->tid);
	if (policy < 0)
		return -errno;
	tc->has_sched_nice = true;
	tc->sched_nice = th->stat.nice;
	tc->has_sched_policy = true;
	tc->sched_policy = policy;
	if (th->stat.policy == SCHED_FIFO || th->stat.policy == SCHED_RR) {
		tc->has_sched_prio = true;
		tc->sched_prio = th->stat.rt_priority;
	}
	tc->comm = th->stat.comm;
	return 0;
}

/* A number alone in /proc/@pid/@name, in @base. */
static int proc_read_number(pid_t pid, const char *name, int base, int64_t *v)
{
	char buf[64], *s = buf;
	uint64_t u;
	long n;
	int ret;

	n = proc_read_all(pid, name, buf, sizeof(buf) - 1);
	if (n < 0)
		return n;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	if (base == 10)
		ret = proc_parse_s64(&s, v);
	else if (!(ret = proc_parse_u64(&s, base, &u)))
		*v = u;
	if (!ret)
		ret = proc_expect_end(s);
	if (ret)
		pr_err("/proc/%d/%s: not a number: %s", pid, name, buf);
	return ret;
}

static int rlimits_fill(struct task_img *t, pid_t pid)
{
	struct proc_limits l;
	int i, ret;

	ret = proc_limits_read(pid, &l);
	if (ret)
		return ret;
	task_rlimits_entry__init(&t->rlimits);
	for (i = 0; i < PROC_NR_LIMITS; i++) {
		rlimit_entry__init(&t->rlim[i]);
		t->rlim[i].cur = l.lim[i].rlim_cur;
		t->rlim[i].max = l.lim[i].rlim_max;
		t->rlim_ptrs[i] = &t->rlim[i];
	}
	t->rlimits.rlimits = t->rlim_ptrs;
	t->rlimits.n_rlimits = PROC_NR_LIMITS;
	return 0;
}

/* A prctl() that returns its value rather than storing it. */
static int remote_prctl_value(struct remote *r, long option, int *val)
{
	long v;
	int ret = remote_call(r, 0, SYS_prctl, option, 0, 0, 0, &v);

	if (!ret)
		*val = v;
	return ret;
}

/* What the threads of the task share; @main was captured already. */
static int task_fill(struct task_img *t, struct thread_img *main, struct remote *r)
{
	pid_t pid = compel_task_pid(r->ct);
	TaskCoreEntry *tc = &t->tc;
	int64_t personality, loginuid, oom;
	int subreaper, ret;

	task_core_entry__init(tc);
	ret = proc_stat_read(pid, 0, &t->stat);
	if (!ret)
		ret = proc_read_number(pid, "personality", 16, &personality);
	if (!ret) {
		/* Only kernels with audit have it. */
		ret = proc_read_number(pid, "loginuid", 10, &loginuid);
		tc->has_loginuid = !ret;
		if (ret == -ENOENT)
			ret = 0;
	}
	if (!ret)
		ret = proc_read_number(pid, "oom_score_adj", 10, &oom);
	if (!ret)
		ret = rlimits_fill(t, pid);
	if (!ret)
		ret = timers_dump(r, &t->timers);
	if (!ret)
		ret = sigactions_dump(r, &t->sa);
	if (!ret)
		ret = remote_get_int(r, 0, PR_GET_CHILD_SUBREAPER, &subreaper);
	if (!ret)
		ret = remote_prctl_value(r, PR_GET_DUMPABLE, &t->dumpable);
	if (!ret)
		ret = remote_prctl_value(r, PR_GET_THP_DISABLE, &t->thp_disabled);
	if (ret)
		return ret;
	tc->task_state = compel_task_was_stopped(r->ct) ? TASK_STOPPED : TASK_ALIVE;
	tc->exit_code = 0;
	tc->personality = personality;
	tc->flags = t->stat.flags;
	tc->blk_sigset = main->th.blk_sigset;
	tc->comm = t->stat.comm;
	tc->timers = &t->timers.entry;
	tc->rlimits = &t->rlimits;
	tc->signals_s = &t->shared.q;
	tc->loginuid = tc->has_loginuid ? loginuid : 0;
	tc->has_oom_score_adj = true;
	tc->oom_score_adj = oom;
	tc->sigactions = t->sa.ptrs;
	tc->n_sigactions = NR_SIGACTIONS;
	tc->has_child_subreaper = true;
	tc->child_subreaper = subreaper;
	return 0;
}

static int threads_write(struct dump_ctx *ctx, struct thread_img *ths, int nr,
			 struct task_img *task)
{
	CoreEntry *c;
	int i, ret;

	for (i = 0; i < nr; i++) {
		c = &ths[i].core;
		core_entry__init(c);
		c->mtype = CORE_ENTRY__MARCH__X86_64;
		c->thread_info = &ths[i].regs.ti;
		c->thread_core = &ths[i].th;
		if (i == 0)
			c->tc = &task->tc;
		ret = cr_img_write_one(ctx->dir, "CORE", ths[i].tid, &c->base);
		if (ret)
			return ret;
	}
	return 0;
}

/* Fill every thread and the task, running syscalls in it. */
static int task_query(struct thread_img *ths, int nr, struct task_img *task,
		      struct compel_task *ct)
{
	struct remote r;
	int i, ret, ret2;

	ret = remote_open(ct, ths[0].regs.gp.sp, &r);
	if (ret) {
		pr_err("no scratch memory below the stack of %d: %s", ths[0].tid, strerror(-ret));
		return ret;
	}
	for (i = 0; i < nr && !ret; i++) {
		ret = thread_fill(&ths[i], &r, i);
		if (ret)
			pr_err("cannot dump thread %d: %s", ths[i].tid, strerror(-ret));
	}
	if (!ret) {
		ret = task_fill(task, &ths[0], &r);
		if (ret)
			pr_err("cannot dump task %d: %s", ths[0].tid, strerror(-ret));
	}
	ret2 = remote_close(&r);
	return ret ?: ret2;
}

int dump_core(struct dump_ctx *ctx, struct dump_task *t)
{
	int nr = compel_task_nr_threads(t->ct), i, ret = 0;
	struct thread_img *ths;
	struct task_img *task;

	if (compel_task_shared_size(t->ct)) {
		pr_err("%d: dump_core() must run before libcompel runs code in the task",
		       t->pt->pid);
		return -EBUSY;
	}
	ths = calloc(nr, sizeof(*ths));
	task = calloc(1, sizeof(*task));
	if (!ths || !task) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nr && !ret; i++) {
		ths[i].tid = compel_task_thread_id(t->ct, i);
		ret = thread_capture(&ths[i]);
		if (ret)
			pr_err("cannot read the state of thread %d: %s", ths[i].tid,
			       strerror(-ret));
	}
	if (!ret)
		ret = sig_queue_read(t->pt->pid, true, &task->shared);
	if (!ret)
		ret = task_query(ths, nr, task, t->ct);
	for (i = 0; i < nr && !ret; i++) {
		ThreadCoreEntry *th = &ths[i].th;

		if (th->seccomp_mode != SECCOMP_MODE__filter)
			continue;
		th->has_seccomp_filter = true;
		ret = dump_seccomp_thread(ctx, ths[i].tid, &th->seccomp_filter);
	}
	if (!ret)
		ret = threads_write(ctx, ths, nr, task);
	if (!ret) {
		t->dumpable = task->dumpable;
		t->thp_disabled = task->thp_disabled;
	}
out:
	for (i = 0; ths && i < nr; i++)
		sig_queue_free(&ths[i].pending);
	if (task) {
		sig_queue_free(&task->shared);
		timers_free(&task->timers);
	}
	free(ths);
	free(task);
	return ret;
}
