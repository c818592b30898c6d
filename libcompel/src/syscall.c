// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Remote syscalls: point the main thread at a syscall instruction with our
 * arguments, let it run from syscall entry to syscall exit under
 * PTRACE_SYSCALL (no breakpoint, no signal), read the result.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

#include "internal.h"

int thread_take(struct compel_thread *th)
{
	uint64_t all = ~0ULL;
	int ret;

	if (th->taken)
		return 0;
	ret = arch_regs_get(th->tid, &th->regs);
	if (ret)
		return ret;
	if (ptrace(PTRACE_GETSIGMASK, th->tid, sizeof(th->sigmask), &th->sigmask) ||
	    ptrace(PTRACE_SETSIGMASK, th->tid, sizeof(all), &all))
		return -errno;
	th->taken = 1;
	return 0;
}

int thread_restore(struct compel_thread *th)
{
	struct arch_regs regs;
	int ret;

	if (!th->taken)
		return 0;
	/*
	 * The thread now sits at the exit of our last syscall, past the point
	 * where the kernel would have restarted the syscall we interrupted:
	 * do that ourselves.
	 */
	regs = th->regs;
	arch_regs_restart_syscall(&regs);
	ret = arch_regs_set(th->tid, &regs);
	if (!ret && ptrace(PTRACE_SETSIGMASK, th->tid, sizeof(th->sigmask), &th->sigmask))
		ret = -errno;
	if (ret)
		pr_err("cannot restore thread %d: %s", th->tid, strerror(-ret));
	th->taken = 0;
	return ret;
}

COMPEL_API int compel_task_mem_read(struct compel_task *task, unsigned long addr, void *buf,
				    size_t len)
{
	ssize_t n = pread(task->mem_fd, buf, len, addr);

	if (n < 0)
		return errno == EIO ? -EFAULT : -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

COMPEL_API int compel_task_mem_write(struct compel_task *task, unsigned long addr,
				     const void *buf, size_t len)
{
	ssize_t n = pwrite(task->mem_fd, buf, len, addr);

	if (n < 0)
		return errno == EIO ? -EFAULT : -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

/*
 * Any executable syscall instruction will do: the vDSO has one (its
 * fallback paths), so the task's own code is never written to.
 */
static int find_vdso_syscall(struct compel_task *task)
{
	unsigned long start, end;
	unsigned char *buf;
	void *hit;
	int ret;

	ret = proc_vma_find(task->pid, "[vdso]", &start, &end);
	if (ret)
		return ret;
	buf = malloc(end - start);
	if (!buf)
		return -ENOMEM;
	ret = compel_task_mem_read(task, start, buf, end - start);
	if (!ret) {
		hit = memmem(buf, end - start, arch_syscall_insn, arch_syscall_insn_len);
		if (hit)
			task->vdso_syscall = start + ((unsigned char *)hit - buf);
		else
			ret = -ENOENT;
	}
	free(buf);
	return ret;
}

/*
 * Without a vDSO (vdso=0, or a task that unmapped it), a main thread
 * stopped in a syscall has the instruction right before its ip.
 */
static int find_syscall_before_ip(struct compel_task *task, unsigned long *ip)
{
	struct compel_thread *th = &task->threads[0];
	unsigned char insn[16];
	struct arch_regs regs;
	unsigned long at;
	int ret;

	if (th->taken)
		regs = th->regs;
	else if ((ret = arch_regs_get(th->tid, &regs)))
		return ret;
	at = arch_regs_ip(&regs) - arch_syscall_insn_len;
	ret = compel_task_mem_read(task, at, insn, arch_syscall_insn_len);
	if (ret)
		return ret;
	if (memcmp(insn, arch_syscall_insn, arch_syscall_insn_len))
		return -ENOENT;
	*ip = at;
	return 0;
}

static int syscall_site(struct compel_task *task, unsigned long *ip)
{
	if (task->shared_local) {
		*ip = task->shared_remote;
		return 0;
	}
	if (task->vdso_syscall || !find_vdso_syscall(task)) {
		*ip = task->vdso_syscall;
		return 0;
	}
	if (!find_syscall_before_ip(task, ip))
		return 0;
	pr_err("no syscall instruction to use in %d (no vDSO, not stopped in a syscall)",
	       task->pid);
	return -EFAULT;
}

COMPEL_API int compel_task_thread_syscall(struct compel_task *task, int i, long nr,
					  const long args[6], long *result)
{
	/* The parasite lives in the main thread. */
	int parasite = task->parasite && i == 0;
	struct arch_regs regs, parasite_regs;
	struct compel_thread *th;
	unsigned long ip;
	int ret;

	if (i < 0 || i >= task->nr_threads)
		return -EINVAL;
	th = &task->threads[i];

	ret = syscall_site(task, &ip);
	if (ret)
		return ret;
	ret = thread_take(th);
	if (ret)
		return ret;
	/* A parasite's own registers are put back after the syscall. */
	if (parasite) {
		ret = arch_regs_get(th->tid, &parasite_regs);
		if (ret)
			return ret;
	}
	regs = th->regs;
	arch_regs_prepare_syscall(&regs, ip, nr, args);
	ret = arch_regs_set(th->tid, &regs);
	if (!ret)
		ret = stop_run_to_syscall(task, th->tid, 0);
	if (!ret)
		ret = stop_run_to_syscall(task, th->tid, 1);
	if (!ret)
		ret = arch_regs_get(th->tid, &regs);
	if (!ret && parasite)
		ret = arch_regs_set(th->tid, &parasite_regs);
	if (ret) {
		pr_err("remote syscall %ld in thread %d failed: %s", nr, th->tid, strerror(-ret));
		return ret;
	}
	*result = arch_regs_result(&regs);
	pr_debug("remote syscall %ld in thread %d returned %ld", nr, th->tid, *result);
	return 0;
}

COMPEL_API int compel_task_syscall(struct compel_task *task, long nr, const long args[6],
				   long *result)
{
	return compel_task_thread_syscall(task, 0, nr, args, result);
}

COMPEL_API long compel_syscall_nr(const char *name)
{
	return arch_syscall_lookup(name);
}

int task_remote(struct compel_task *task, long nr, long a0, long a1, long a2, long a3, long a4,
		long a5, long *result)
{
	const long args[6] = { a0, a1, a2, a3, a4, a5 };
	int ret = compel_task_syscall(task, nr, args, result);

	if (ret)
		return ret;
	return *result < 0 && *result > -4096 ? (int)*result : 0;
}
