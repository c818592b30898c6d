// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * restore_task_switch(): premap the task's memory, lay out the restorer's
 * arguments from the task's images, map the restorer and jump into it.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib-log.h"
#include "restore-mem.h"
#include "restore-seccomp.h"
#include "restore.h"
#include "restorer-args.h"
#include "restorer-blob.h"
#include "sigframe-x86.h"

#define ALIGN(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))

static size_t thread_block_size(void)
{
	return ALIGN(sizeof(struct rst_thread_args), 64) + RST_STACK_SIZE + rst_sigframe_size();
}

/* The seccomp filters of every thread of @t, after the thread blocks. */
static size_t seccomp_size(const struct rst_ctx *ctx, const struct rst_task *t)
{
	size_t len = 0;

	for (size_t i = 0; t->cores && i < t->pe->n_threads; i++)
		len += rst_seccomp_size(ctx, t->cores[i]);
	return len;
}

static size_t args_size(const struct rst_ctx *ctx, const MmEntry *mm, const struct rst_task *t)
{
	size_t nr_threads = t->pe->n_threads;

	return ALIGN(sizeof(struct rst_task_args), 64) +
	       ALIGN(mm->n_vmas * sizeof(struct rst_vma), 64) +
	       ALIGN(nr_threads * sizeof(uint64_t), 64) + nr_threads * thread_block_size() +
	       ALIGN(seccomp_size(ctx, t), 64);
}

static int put_signals(const SignalQueueEntry *q, struct rst_siginfo *out, uint32_t *nr)
{
	size_t i;

	*nr = 0;
	if (!q)
		return 0;
	if (q->n_signals > RST_MAX_SIGNALS) {
		pr_err("%zu pending signals: at most %d are supported", q->n_signals,
		       RST_MAX_SIGNALS);
		return -EOPNOTSUPP;
	}
	for (i = 0; i < q->n_signals; i++) {
		if (!q->signals[i] || q->signals[i]->siginfo.len != sizeof(out[i].data)) {
			pr_err("bad pending siginfo in the image");
			return -EINVAL;
		}
		memcpy(out[i].data, q->signals[i]->siginfo.data, sizeof(out[i].data));
	}
	*nr = (uint32_t)q->n_signals;
	return 0;
}

static int put_creds(const CredsEntry *c, struct rst_creds *o)
{
	size_t i;

	if (c->n_groups > RST_MAX_GROUPS || c->n_cap_inh > 2 || c->n_cap_prm > 2 ||
	    c->n_cap_eff > 2 || c->n_cap_bnd > 2 || c->n_cap_amb > 2) {
		pr_err("bad credentials in the image");
		return -EINVAL;
	}
	*o = (struct rst_creds){.uid = c->uid,
				.gid = c->gid,
				.euid = c->euid,
				.egid = c->egid,
				.suid = c->suid,
				.sgid = c->sgid,
				.fsuid = c->fsuid,
				.fsgid = c->fsgid,
				.secbits = c->secbits,
				.no_new_privs = c->has_no_new_privs && c->no_new_privs};
	for (i = 0; i < c->n_cap_inh; i++)
		o->cap_inh[i] = c->cap_inh[i];
	for (i = 0; i < c->n_cap_prm; i++)
		o->cap_prm[i] = c->cap_prm[i];
	for (i = 0; i < c->n_cap_eff; i++)
		o->cap_eff[i] = c->cap_eff[i];
	for (i = 0; i < c->n_cap_bnd; i++)
		o->cap_bnd |= (uint64_t)c->cap_bnd[i] << (32 * i);
	for (i = 0; i < c->n_cap_amb; i++)
		o->cap_amb |= (uint64_t)c->cap_amb[i] << (32 * i);
	for (i = 0; i < c->n_groups; i++)
		o->groups[i] = c->groups[i];
	o->nr_groups = (uint32_t)c->n_groups;
	return 0;
}

static int put_thread(struct rst_thread_args *t, uint8_t *block, pid_t tid, const CoreEntry *core,
		      const CoreEntry *main_core)
{
	const ThreadCoreEntry *tc = core->thread_core;
	const UserX86RegsEntry *r;
	uint64_t blocked;
	int ret;

	if (!core || !core->thread_info || !core->thread_info->gpregs) {
		pr_err("core of thread %d has no registers", tid);
		return -EINVAL;
	}
	r = core->thread_info->gpregs;
	t->tid = tid;
	if (tc && tc->comm)
		strncpy(t->comm, tc->comm, sizeof(t->comm) - 1);
	else if (main_core->tc->comm)
		strncpy(t->comm, main_core->tc->comm, sizeof(t->comm) - 1);
	t->clear_tid = core->thread_info->clear_tid_addr;
	t->fs_base = r->fs_base;
	t->gs_base = r->gs_base;
	t->stack_top = (uint64_t)(uintptr_t)block + ALIGN(sizeof(*t), 64) + RST_STACK_SIZE;
	t->frame = t->stack_top;
	blocked = main_core->tc ? main_core->tc->blk_sigset : 0;
	if (tc) {
		t->pdeath_sig = tc->has_pdeath_sig ? tc->pdeath_sig : 0;
		/* rst_check_limits() checked them */
		t->has_policy = tc->has_sched_policy;
		t->policy = tc->sched_policy;
		t->rt_prio = tc->has_sched_prio ? tc->sched_prio : 0;
		t->has_nice = tc->has_sched_nice;
		t->nice = tc->sched_nice;
		t->robust_list = tc->futex_rla;
		t->robust_len = tc->futex_rla_len;
		if (tc->has_blk_sigset)
			blocked = tc->blk_sigset;
		if (tc->rseq_entry && tc->rseq_entry->rseq_abi_pointer) {
			t->rseq = tc->rseq_entry->rseq_abi_pointer;
			t->rseq_len = tc->rseq_entry->rseq_abi_size;
			t->rseq_sig = tc->rseq_entry->signature;
		}
		ret = put_signals(tc->signals_p, t->signals, &t->nr_signals);
		if (!ret && tc->creds) {
			t->has_creds = 1;
			ret = put_creds(tc->creds, &t->creds);
		}
		if (ret)
			return ret;
	}
	return rst_sigframe_build((void *)(uintptr_t)t->frame, core, blocked, tc ? tc->sas : NULL);
}

static int put_task_core(struct rst_task_args *a, const TaskCoreEntry *tc)
{
	const TaskTimersEntry *tm = tc->timers;
	size_t i, sig;

	if (tc->n_sigactions > RST_NR_SIGNALS - 2 ||
	    (tc->rlimits && tc->rlimits->n_rlimits > RST_NR_RLIMITS)) {
		pr_err("bad sigactions or rlimits in the image");
		return -EINVAL;
	}
	a->personality = tc->personality;
	a->child_subreaper = tc->has_child_subreaper && tc->child_subreaper;
	/* one entry per signal from 1 up, SIGKILL and SIGSTOP left out */
	for (i = 0, sig = 1; i < tc->n_sigactions; i++, sig++) {
		const SaEntry *sa = tc->sigactions[i];

		if (sig == SIGKILL || sig == SIGSTOP)
			sig++;
		if (sa->has_compat_sigaction && sa->compat_sigaction) {
			pr_err("32-bit signal actions are not supported");
			return -EOPNOTSUPP;
		}
		a->sigactions[sig - 1] =
			(struct rst_ksigaction){sa->sigaction, sa->flags, sa->restorer, sa->mask};
		a->sig_set |= 1ULL << (sig - 1);
	}
	if (tm) {
		const ItimerEntry *it[3] = {tm->real, tm->virt, tm->prof};

		if (tm->n_posix > RST_MAX_TIMERS) {
			pr_err("%zu POSIX timers: at most %d are supported", tm->n_posix,
			       RST_MAX_TIMERS);
			return -EOPNOTSUPP;
		}
		for (i = 0; i < tm->n_posix; i++) {
			const PosixTimerEntry *pt = tm->posix[i];

			a->posix_timers[i] = (struct rst_posix_timer){
				.id = (int32_t)pt->it_id,
				.clock_id = (int32_t)pt->clock_id,
				.signo = (int32_t)pt->si_signo,
				.notify = (int32_t)pt->it_sigev_notify,
				.notify_tid = pt->has_notify_thread_id ? pt->notify_thread_id : 0,
				.sival = pt->sival_ptr,
				.it = {pt->isec, pt->insec, pt->vsec, pt->vnsec},
			};
		}
		a->nr_posix_timers = (uint32_t)tm->n_posix;
		for (i = 0; i < 3; i++) {
			if (!it[i])
				continue;
			a->itimers[i][0] = it[i]->isec;
			a->itimers[i][1] = it[i]->iusec;
			a->itimers[i][2] = it[i]->vsec;
			a->itimers[i][3] = it[i]->vusec;
		}
	}
	if (tc->rlimits) {
		for (i = 0; i < tc->rlimits->n_rlimits; i++) {
			a->rlimits[i][0] = tc->rlimits->rlimits[i]->cur;
			a->rlimits[i][1] = tc->rlimits->rlimits[i]->max;
		}
		a->nr_rlimits = (uint32_t)tc->rlimits->n_rlimits;
	}
	return put_signals(tc->signals_s, a->signals, &a->nr_signals);
}

static bool same_file(int fd, const char *path)
{
	struct stat a, b;

	return !fstat(fd, &a) && !stat(path, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int put_mm(struct rst_task_args *a, const MmEntry *mm, const struct rst_files *files)
{
	size_t i;

	if (mm->n_mm_saved_auxv > RST_AUXV_WORDS || mm->n_mm_saved_auxv % 2) {
		pr_err("bad auxv in the image");
		return -EINVAL;
	}
	for (i = 0; i < mm->n_mm_saved_auxv; i++)
		a->auxv[i] = mm->mm_saved_auxv[i];
	a->mm = (struct rst_mm_map){
		.start_code = mm->mm_start_code,
		.end_code = mm->mm_end_code,
		.start_data = mm->mm_start_data,
		.end_data = mm->mm_end_data,
		.start_brk = mm->mm_start_brk,
		.brk = mm->mm_brk,
		.start_stack = mm->mm_start_stack,
		.arg_start = mm->mm_arg_start,
		.arg_end = mm->mm_arg_end,
		.env_start = mm->mm_env_start,
		.env_end = mm->mm_env_end,
		.auxv = (uint64_t)(uintptr_t)a->auxv,
		.auxv_size = (uint32_t)(mm->n_mm_saved_auxv * sizeof(uint64_t)),
		.exe_fd = (uint32_t)-1,
	};
	/* 2 (root-only core dumps) cannot be set with prctl */
	a->dumpable =
		mm->has_dumpable && (mm->dumpable == 0 || mm->dumpable == 1) ? mm->dumpable : -1;
	a->thp_disabled = mm->has_thp_disabled ? mm->thp_disabled : -1;
	if (mm->exe_file_id) {
		int fd = rst_file_open_reg(files, mm->exe_file_id, O_RDONLY);

		if (fd < 0)
			return fd;
		/* The kernel refuses to replace an exe link that stays mapped: keep ours. */
		if (same_file(fd, "/proc/self/exe")) {
			close(fd);
			return 0;
		}
		/* the blob closes it; it must survive until then */
		fcntl(fd, F_SETFD, 0);
		a->exe_fd = fd;
		a->mm.exe_fd = (uint32_t)fd;
	}
	return 0;
}

static void put_keep(struct rst_task_args *a, const struct rst_mem *m)
{
	struct rst_range r[RST_NR_KEEP] = {
		{m->hole, m->hole + m->hole_len},
		m->cur_special,
	};
	size_t i, j;

	a->nr_keep = 0;
	for (i = 0; i < RST_NR_KEEP; i++) {
		if (r[i].start == r[i].end)
			continue;
		for (j = a->nr_keep; j > 0 && a->keep[j - 1].start > r[i].start; j--)
			a->keep[j] = a->keep[j - 1];
		a->keep[j] = r[i];
		a->nr_keep++;
	}
}

static int map_fixed(uint64_t addr, size_t len, int prot)
{
	if (mmap((void *)(uintptr_t)addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0) == MAP_FAILED) {
		int ret = -errno;

		pr_err("cannot map the restorer at %#" PRIx64 ": %s", addr, strerror(-ret));
		return ret;
	}
	return 0;
}

static int load_blob(uint64_t at)
{
	uint8_t *p = (uint8_t *)(uintptr_t)at;
	size_t i;
	int ret;

	ret = map_fixed(at, ALIGN(restorer_blob.size, RST_PAGE_SIZE), PROT_READ | PROT_WRITE);
	if (ret)
		return ret;
	memcpy(p, restorer_blob.image, restorer_blob.size);
	for (i = 0; i < restorer_blob.nr_relocs; i++) {
		uint64_t v;

		memcpy(&v, p + restorer_blob.relocs[i], sizeof(v));
		v += at;
		memcpy(p + restorer_blob.relocs[i], &v, sizeof(v));
	}
	if (mprotect(p, ALIGN(restorer_blob.size, RST_PAGE_SIZE),
		     PROT_READ | PROT_WRITE | PROT_EXEC)) {
		ret = -errno;
		pr_err("cannot make the restorer executable: %s", strerror(-ret));
		return ret;
	}
	return 0;
}

/* Main thread first, then the others in pstree order. */
static int put_threads(const struct rst_ctx *ctx, struct rst_task_args *a, uint8_t *at,
		       const struct rst_task *t)
{
	const PstreeEntry *pe = t->pe;
	uint8_t *filters = at + pe->n_threads * thread_block_size();
	uint64_t *slots = (uint64_t *)(uintptr_t)a->threads;
	const CoreEntry *main_core = NULL;
	size_t i, n = 1;
	int ret;

	for (i = 0; i < pe->n_threads; i++)
		if (pe->threads[i] == pe->pid)
			main_core = t->cores[i];
	if (!main_core || !main_core->tc) {
		pr_err("task %d: no core image of its main thread", pe->pid);
		return -EINVAL;
	}
	ret = put_task_core(a, main_core->tc);
	for (i = 0; i < pe->n_threads && !ret; i++) {
		struct rst_thread_args *th = (struct rst_thread_args *)at;
		size_t slot = pe->threads[i] == pe->pid ? 0 : n++;

		if (slot >= pe->n_threads) {
			pr_err("task %d: its main thread is listed twice", pe->pid);
			return -EINVAL;
		}
		th->task = (uint64_t)(uintptr_t)a;
		slots[slot] = (uint64_t)(uintptr_t)th;
		ret = put_thread(th, at, (pid_t)pe->threads[i], t->cores[i], main_core);
		rst_seccomp_put(ctx, t->cores[i], th, filters);
		filters += rst_seccomp_size(ctx, t->cores[i]);
		at += thread_block_size();
	}
	return ret;
}

/*
 * glibc registered an rseq area for this thread; the kernel lets a thread
 * have one, and the restorer registers the dumped one.
 */
static void unregister_rseq(void)
{
	void *area = (char *)__builtin_thread_pointer() + __rseq_offset;

	if (__rseq_size && syscall(SYS_rseq, area, __rseq_size, RSEQ_FLAG_UNREGISTER, RSEQ_SIG))
		syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
}

static __attribute__((noreturn)) void jump(uint64_t entry, uint64_t stack, struct rst_task_args *a)
{
	uint64_t all = ~0ULL;

	/* Nothing may be delivered into the restorer: the frames restore the masks. */
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, sizeof(all));
	unregister_rseq();
	__asm__ volatile("movq %0, %%rsp\n\tjmp *%1" : : "r"(stack), "r"(entry), "D"(a) : "memory");
	__builtin_unreachable();
}

/* The premapped memory of @t's parent, NULL if it has none (the root). */
static const struct rst_mem *parent_premap(const struct rst_ctx *ctx, const struct rst_task *t)
{
	for (size_t i = 0; i < ctx->nr_tasks; i++)
		if (ctx->tasks[i].pe->pid == t->pe->ppid)
			return ctx->tasks[i].premap;
	return NULL;
}

int restore_task_premap(struct rst_ctx *ctx, struct rst_task *t)
{
	struct rst_mem *m = malloc(sizeof(*m));
	MmEntry *mm = NULL;
	size_t tail_len;
	int ret;

	if (!m)
		return -ENOMEM;
	ret = rst_task_mm(ctx, t, &mm);
	if (ret) {
		free(m);
		return ret;
	}
	/* After the areas: the blob, its arguments, the shared page. */
	tail_len = ALIGN(restorer_blob.size, RST_PAGE_SIZE) + args_size(ctx, mm, t) +
		   ALIGN(ctx->shared_size, RST_PAGE_SIZE);
	ret = rst_mem_prepare(ctx, (int)t->pe->pid, mm, tail_len, parent_premap(ctx, t), m);
	if (ret) {
		free(m);
		return ret;
	}
	t->premap = m;
	return 0;
}

int restore_task_switch(struct rst_ctx *ctx, struct rst_task *t)
{
	int pid = (int)t->pe->pid;
	size_t blob_len = ALIGN(restorer_blob.size, RST_PAGE_SIZE), shared_len;
	void *shared;
	struct rst_task_args *a = NULL;
	struct rst_thread_args *main_thread;
	struct rst_mem m;
	MmEntry *mm = NULL;
	uint8_t *at;
	int ret = 0;

	/* A task with children premapped its memory before it forked them. */
	if (!t->premap)
		ret = restore_task_premap(ctx, t);
	/* The shared memory objects are mapped where they belong: no fd of them stays. */
	rst_files_close_kept(ctx);
	if (ret)
		goto out;
	m = *t->premap;
	free(t->premap);
	t->premap = NULL;
	mm = t->mm;
	shared_len = ALIGN(ctx->shared_size, RST_PAGE_SIZE);
	ret = load_blob(m.tail);
	if (!ret)
		ret = map_fixed(m.tail + blob_len, m.tail_len - blob_len - shared_len,
				PROT_READ | PROT_WRITE);
	if (ret)
		goto out_mem;

	a = (struct rst_task_args *)(uintptr_t)(m.tail + blob_len);
	at = (uint8_t *)a + ALIGN(sizeof(*a), 64);
	a->pid = pid;
	a->exe_fd = -1;
	/*
	 * The shared page moves to the end of the hole: where crtool has it may
	 * be taken in the dumped layout. Futexes on it still work (shared).
	 */
	a->shared = m.tail + m.tail_len - shared_len;
	a->hole_start = m.hole;
	a->hole_len = m.hole_len;
	a->nr_special = (uint32_t)m.nr_special;
	memcpy(a->special, m.special, sizeof(m.special));
	a->vmas = (uint64_t)(uintptr_t)at;
	a->nr_vmas = (uint32_t)m.nr_vmas;
	memcpy(at, m.vmas, m.nr_vmas * sizeof(*m.vmas));
	at += ALIGN(mm->n_vmas * sizeof(struct rst_vma), 64);
	a->threads = (uint64_t)(uintptr_t)at;
	a->nr_threads = (uint32_t)t->pe->n_threads;
	at += ALIGN(t->pe->n_threads * sizeof(uint64_t), 64);
	put_keep(a, &m);
	ret = put_threads(ctx, a, at, t);
	if (!ret)
		ret = put_mm(a, mm, ctx->files);
	/* Last: all of the above reads /proc, which a chroot may not have. */
	if (!ret)
		ret = rst_fs_enter_root(t);
	if (ret)
		goto out_mem;

	shared = mremap(ctx->shared, shared_len, shared_len, MREMAP_MAYMOVE | MREMAP_FIXED,
			(void *)(uintptr_t)a->shared);
	if (shared == MAP_FAILED) {
		ret = -errno;
		pr_err("task %d: cannot move the shared page: %s", pid, strerror(-ret));
		goto out_mem;
	}
	ctx->shared = shared;
	pr_info("task %d: switching to the restorer at %#" PRIx64, pid, m.tail);
	main_thread = (struct rst_thread_args *)(uintptr_t)((uint64_t *)(uintptr_t)a->threads)[0];
	rst_mem_release(&m);
	/* Nothing is read from the images from here on: the task must not keep the folder. */
	img_dir_close(ctx->dir);
	ctx->dir = NULL;
	if (ctx->log_wr >= 0)
		close(ctx->log_wr);
	jump(m.tail + restorer_blob.entry, main_thread->stack_top, a);
out_mem:
	if (a && a->exe_fd >= 0)
		close(a->exe_fd);
	munmap((void *)(uintptr_t)m.hole, m.hole_len);
	rst_mem_release(&m);
out:
	return ret;
}
