// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The restorer: freestanding code that runs in the task after
 * restore_task_switch() jumped into it. It replaces the task's memory with
 * the premapped areas, restores the state only the task itself can set,
 * starts the other threads and waits with them at the shared barrier;
 * then each thread returns into its dumped registers with rt_sigreturn.
 * Any failure is reported in the shared page and kills the task.
 */
#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/securebits.h>
#include <asm/prctl.h>
#include <sys/syscall.h>

#include "restorer-args.h"

#define HIDDEN __attribute__((visibility("hidden")))
#define TASK_SIZE 0x7ffffffff000UL
#define THREAD_FLAGS                                                                               \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)

HIDDEN long rst_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
HIDDEN long rst_clone_thread(struct clone_args *ca, unsigned long size, void (*fn)(void *),
			     void *arg);
HIDDEN void rst_sigreturn(uint64_t uc, uint64_t hole, uint64_t hole_len) __attribute__((noreturn));
HIDDEN void rst_main(struct rst_task_args *a) __attribute__((noreturn));

#define sys6(nr, a, b, c, d, e, f)                                                                 \
	rst_syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#define sys(nr, a, b, c) sys6(nr, a, b, c, 0, 0, 0)

/* The compiler may emit calls to these for struct copies. */
HIDDEN void *memcpy(void *dst, const void *src, unsigned long n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

HIDDEN void *memset(void *dst, int c, unsigned long n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

static struct rst_shared *shared(struct rst_task_args *a)
{
	return (struct rst_shared *)a->shared;
}

static void __attribute__((noreturn)) fail(struct rst_task_args *a, long err)
{
	struct rst_shared *s = shared(a);
	int32_t none = 0;

	if (__atomic_compare_exchange_n(&s->error, &none, (int32_t)err, 0, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		s->error_pid = (int32_t)sys(__NR_gettid, 0, 0, 0);
	/* Whoever waits for the threads to get ready must look again. */
	sys(__NR_futex, &s->nr_ready, FUTEX_WAKE, 0x7fffffff);
	for (;;)
		sys(__NR_exit_group, 1, 0, 0);
}

#define check(a, call)                                                                             \
	do {                                                                                       \
		long __r = (call);                                                                 \
		if (__r < 0)                                                                       \
			fail(a, __r);                                                              \
	} while (0)

/* Unmap every user address outside the kept ranges (sorted by address). */
static void unmap_others(struct rst_task_args *a)
{
	uint64_t cur = 0;
	uint32_t i;

	for (i = 0; i < a->nr_keep; i++) {
		if (a->keep[i].start > cur)
			check(a, sys(__NR_munmap, cur, a->keep[i].start - cur, 0));
		if (a->keep[i].end > cur)
			cur = a->keep[i].end;
	}
	if (cur < TASK_SIZE)
		check(a, sys(__NR_munmap, cur, TASK_SIZE - cur, 0));
}

static long move(uint64_t from, uint64_t len, uint64_t to)
{
	if (from == to)
		return 0;
	return sys6(__NR_mremap, from, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to, 0);
}

/* vvar/vdso: first all aside into the hole, then into place: they may overlap. */
static void move_special(struct rst_task_args *a)
{
	uint32_t i;

	for (i = 0; i < a->nr_special; i++)
		if (a->special[i].from != a->special[i].to)
			check(a,
			      move(a->special[i].from, a->special[i].len, a->special[i].scratch));
	for (i = 0; i < a->nr_special; i++)
		if (a->special[i].from != a->special[i].to)
			check(a, move(a->special[i].scratch, a->special[i].len, a->special[i].to));
}

static void move_vmas(struct rst_task_args *a)
{
	struct rst_vma *v = (struct rst_vma *)a->vmas;
	uint32_t i;
	int adv;

	for (i = 0; i < a->nr_vmas; i++) {
		check(a, move(v[i].premap, v[i].end - v[i].start, v[i].start));
		for (adv = 0; adv < 64; adv++)
			if (v[i].madv & (1ULL << adv))
				check(a, sys(__NR_madvise, v[i].start, v[i].end - v[i].start, adv));
	}
}

/* After the rlimits: RLIMIT_MEMLOCK bounds what a task without CAP_IPC_LOCK locks. */
static void lock_vmas(struct rst_task_args *a)
{
	struct rst_vma *v = (struct rst_vma *)a->vmas;
	uint32_t i;

	for (i = 0; i < a->nr_vmas; i++)
		if (v[i].mlock & RST_VMA_LOCKED)
			check(a, sys(__NR_mlock2, v[i].start, v[i].end - v[i].start,
				     v[i].mlock & RST_VMA_LOCK_ONFAULT ? MLOCK_ONFAULT : 0));
}

static void restore_task_state(struct rst_task_args *a)
{
	uint32_t i;

	check(a, sys6(__NR_prctl, PR_SET_MM, PR_SET_MM_MAP, &a->mm, sizeof(a->mm), 0, 0));
	check(a, sys(__NR_personality, a->personality, 0, 0));
	check(a, sys(__NR_prctl, PR_SET_CHILD_SUBREAPER, a->child_subreaper, 0));
	if (a->thp_disabled >= 0)
		check(a, sys6(__NR_prctl, PR_SET_THP_DISABLE, a->thp_disabled, 0, 0, 0, 0));
	if (a->exe_fd >= 0)
		sys(__NR_close, a->exe_fd, 0, 0);
	for (i = 1; i <= RST_NR_SIGNALS; i++)
		if (a->sig_set & (1ULL << (i - 1)))
			check(a, sys6(__NR_rt_sigaction, i, &a->sigactions[i - 1], 0, 8, 0, 0));
	for (i = 0; i < 3; i++)
		check(a, sys(__NR_setitimer, i, a->itimers[i], 0));
	for (i = 0; i < a->nr_rlimits; i++)
		check(a, sys6(__NR_prlimit64, 0, i, a->rlimits[i], 0, 0, 0));
	for (i = 0; i < a->nr_signals; i++)
		check(a, sys(__NR_rt_sigqueueinfo, a->pid, *(int32_t *)a->signals[i].data,
			     a->signals[i].data));
}

/* Per thread, after the rlimits; before the credentials, which may take CAP_SYS_NICE. */
static void restore_sched(struct rst_task_args *a, const struct rst_thread_args *t)
{
	int32_t prio = (int32_t)t->rt_prio; /* struct sched_param */

	if (t->has_policy)
		check(a, sys(__NR_sched_setscheduler, 0, t->policy, &prio));
	if (t->has_nice)
		check(a, sys(__NR_setpriority, PRIO_PROCESS, 0, t->nice));
}

/* Credentials come last: they may take away what the steps before need. */
static void restore_creds(struct rst_task_args *a, const struct rst_creds *c)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2];
	int cap, i;

	for (cap = 0; cap < 64; cap++) {
		if (c->cap_bnd & (1ULL << cap))
			continue;
		if (sys(__NR_prctl, PR_CAPBSET_READ, cap, 0) <= 0)
			continue;
		check(a, sys(__NR_prctl, PR_CAPBSET_DROP, cap, 0));
	}
	check(a, sys(__NR_prctl, PR_SET_SECUREBITS, c->secbits | SECBIT_KEEP_CAPS, 0));
	check(a, sys(__NR_setgroups, c->nr_groups, c->groups, 0));
	check(a, sys(__NR_setresgid, c->gid, c->egid, c->sgid));
	check(a, sys(__NR_setresuid, c->uid, c->euid, c->suid));
	sys(__NR_setfsgid, c->fsgid, 0, 0);
	sys(__NR_setfsuid, c->fsuid, 0, 0);
	for (i = 0; i < 2; i++) {
		data[i].effective = c->cap_eff[i];
		data[i].permitted = c->cap_prm[i];
		data[i].inheritable = c->cap_inh[i];
	}
	check(a, sys(__NR_capset, &hdr, data, 0));
	/* ambient capabilities need their final permitted and inheritable bits */
	check(a, sys6(__NR_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0, 0));
	for (cap = 0; cap < 64; cap++)
		if (c->cap_amb & (1ULL << cap))
			check(a,
			      sys6(__NR_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0, 0));
	check(a, sys(__NR_prctl, PR_SET_KEEPCAPS, !!(c->secbits & SECBIT_KEEP_CAPS), 0));
	if (c->no_new_privs)
		check(a, sys6(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0));
}

/* The kernel's struct sock_fprog. */
struct rst_fprog {
	uint16_t len;
	uint64_t filter;
};

/*
 * Last, once crtool follows the thread with its seccomp suspended: only
 * rt_sigreturn runs after, and the filters apply once crtool lets go.
 */
static void restore_seccomp(struct rst_task_args *a, const struct rst_thread_args *t)
{
	const struct rst_seccomp_filter *f = (const struct rst_seccomp_filter *)t->seccomp;
	struct rst_fprog prog;
	uint32_t i;

	for (i = 0; i < t->nr_seccomp; i++) {
		prog.len = (uint16_t)f[i].len;
		prog.filter = f[i].insns;
		check(a, sys(__NR_seccomp, SECCOMP_SET_MODE_FILTER, f[i].flags, &prog));
	}
	if (t->seccomp_mode == SECCOMP_MODE_STRICT)
		check(a, sys(__NR_seccomp, SECCOMP_SET_MODE_STRICT, 0, 0));
}

static void __attribute__((noreturn)) thread_finish(struct rst_thread_args *t)
{
	struct rst_task_args *a = (struct rst_task_args *)t->task;
	struct rst_shared *s = shared(a);
	uint32_t i, go;

	if (t->robust_len)
		check(a, sys(__NR_set_robust_list, t->robust_list, t->robust_len, 0));
	sys(__NR_set_tid_address, t->clear_tid, 0, 0);
	if (t->rseq_len)
		check(a, sys6(__NR_rseq, t->rseq, t->rseq_len, 0, t->rseq_sig, 0, 0));
	check(a, sys(__NR_arch_prctl, ARCH_SET_FS, t->fs_base, 0));
	check(a, sys(__NR_arch_prctl, ARCH_SET_GS, t->gs_base, 0));
	for (i = 0; i < t->nr_signals; i++)
		check(a, sys6(__NR_rt_tgsigqueueinfo, a->pid, t->tid,
			      *(int32_t *)t->signals[i].data, t->signals[i].data, 0, 0));
	if (t->comm[0])
		check(a, sys(__NR_prctl, PR_SET_NAME, t->comm, 0));
	check(a, sys(__NR_prctl, PR_SET_PDEATHSIG, t->pdeath_sig, 0));
	restore_sched(a, t);
	if (t->has_creds)
		restore_creds(a, &t->creds);
	/* after the credentials, which reset it */
	if (t->tid == a->pid && a->dumpable >= 0)
		check(a, sys(__NR_prctl, PR_SET_DUMPABLE, a->dumpable, 0));

	__atomic_add_fetch(&s->nr_ready, 1, __ATOMIC_SEQ_CST);
	sys(__NR_futex, &s->nr_ready, FUTEX_WAKE, 0x7fffffff);
	while ((go = __atomic_load_n(&s->go, __ATOMIC_SEQ_CST)) == 0)
		sys6(__NR_futex, &s->go, FUTEX_WAIT, 0, 0, 0, 0);
	if (go != 1)
		for (;;)
			sys(__NR_exit_group, 0, 0, 0);
	restore_seccomp(a, t);
	rst_sigreturn(t->frame + 8, a->hole_start, a->hole_len);
}

/* The kernel's struct sigevent. */
struct ksigevent {
	uint64_t value;
	int32_t signo, notify;
	int32_t tid;
	int32_t pad[11];
};

#define PR_TIMER_CREATE_RESTORE_IDS 77

/* After the threads: a timer may signal one of them. */
static void restore_posix_timers(struct rst_task_args *a)
{
	uint32_t i;

	if (!a->nr_posix_timers)
		return;
	/* timer_create() takes the id it is given */
	check(a, sys(__NR_prctl, PR_TIMER_CREATE_RESTORE_IDS, 1, 0));
	for (i = 0; i < a->nr_posix_timers; i++) {
		const struct rst_posix_timer *pt = &a->posix_timers[i];
		struct ksigevent sev;
		int32_t id = pt->id;

		memset(&sev, 0, sizeof(sev));
		sev.value = pt->sival;
		sev.signo = pt->signo;
		sev.notify = pt->notify;
		sev.tid = pt->notify_tid;
		check(a, sys(__NR_timer_create, pt->clock_id, &sev, &id));
		if (id != pt->id)
			fail(a, -EEXIST);
		check(a, sys6(__NR_timer_settime, id, 0, pt->it, 0, 0, 0));
	}
	check(a, sys(__NR_prctl, PR_TIMER_CREATE_RESTORE_IDS, 0, 0));
}

static void thread_start(void *arg)
{
	thread_finish(arg);
}

static void start_threads(struct rst_task_args *a)
{
	uint64_t *threads = (uint64_t *)a->threads;
	uint32_t i;

	for (i = 1; i < a->nr_threads; i++) {
		struct rst_thread_args *t = (struct rst_thread_args *)threads[i];
		int32_t tid = t->tid;
		struct clone_args ca;

		memset(&ca, 0, sizeof(ca));
		ca.flags = THREAD_FLAGS;
		ca.stack = t->stack_top - RST_STACK_SIZE;
		ca.stack_size = RST_STACK_SIZE;
		ca.set_tid = (uint64_t)&tid;
		ca.set_tid_size = 1;
		check(a, rst_clone_thread(&ca, sizeof(ca), thread_start, t));
	}
}

void rst_main(struct rst_task_args *a)
{
	unmap_others(a);
	move_special(a);
	move_vmas(a);
	restore_task_state(a);
	lock_vmas(a);
	start_threads(a);
	restore_posix_timers(a);
	thread_finish((struct rst_thread_args *)((uint64_t *)a->threads)[0]);
}
