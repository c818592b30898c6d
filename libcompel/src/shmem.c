// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One memory area mapped both here and in the task. The task creates a
 * memfd (so nothing depends on which /proc or mount namespace it sees), we
 * take a copy of that fd with pidfd_getfd(), both sides map it, and the
 * task's fd is closed again. The first page holds a syscall instruction
 * that later remote syscalls run from; the pages after it are the caller's.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

static const char memfd_name[] = "crtool-compel";

/* memfd_create() in the task, its name written below the stack pointer. */
static int remote_memfd(struct compel_task *task, long *fd)
{
	struct arch_regs regs;
	unsigned long addr;
	char saved[sizeof(memfd_name)];
	int ret, err;

	ret = arch_regs_get(task->threads[0].tid, &regs);
	if (ret)
		return ret;
	if (task->threads[0].taken)
		regs = task->threads[0].regs;
	addr = arch_regs_scratch(&regs, sizeof(memfd_name));
	ret = compel_task_mem_read(task, addr, saved, sizeof(saved));
	if (ret)
		return ret;
	ret = compel_task_mem_write(task, addr, memfd_name, sizeof(memfd_name));
	if (ret)
		return ret;
	ret = task_remote(task, SYS_memfd_create, addr, MFD_CLOEXEC, 0, 0, 0, 0, fd);
	err = compel_task_mem_write(task, addr, saved, sizeof(saved));
	return ret ? ret : err;
}

int task_fetch_fd(pid_t pid, int remote_fd)
{
	int pidfd, fd, ret;

	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	fd = syscall(SYS_pidfd_getfd, pidfd, remote_fd, 0);
	ret = fd < 0 ? -errno : fd;
	close(pidfd);
	return ret;
}

COMPEL_API int compel_task_map_shared(struct compel_task *task, size_t size)
{
	long page = sysconf(_SC_PAGESIZE), rfd = -1, raddr = 0, unused;
	void *local = MAP_FAILED;
	int ret, fd = -1;

	if (task->shared_local)
		return -EEXIST;
	if (!size)
		return -EINVAL;
	size = (size + page - 1) / page * page + page;

	ret = remote_memfd(task, &rfd);
	if (!ret)
		ret = task_remote(task, SYS_ftruncate, rfd, size, 0, 0, 0, 0, &unused);
	if (!ret)
		ret = task_remote(task, SYS_mmap, 0, size, PROT_READ | PROT_WRITE | PROT_EXEC,
			     MAP_SHARED, rfd, 0, &raddr);
	if (!ret) {
		fd = task_fetch_fd(task->pid, rfd);
		ret = fd < 0 ? fd : 0;
	}
	if (!ret) {
		local = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		ret = local == MAP_FAILED ? -errno : 0;
	}
	if (fd >= 0)
		close(fd);
	if (rfd >= 0)
		task_remote(task, SYS_close, rfd, 0, 0, 0, 0, 0, &unused);
	if (ret) {
		pr_err("cannot map a shared area in %d: %s", task->pid, strerror(-ret));
		if (raddr > 0)
			task_remote(task, SYS_munmap, raddr, size, 0, 0, 0, 0, &unused);
		return ret;
	}
	memcpy(local, arch_syscall_insn, arch_syscall_insn_len);
	task->shared_local = local;
	task->shared_remote = raddr;
	task->shared_size = size;
	pr_debug("shared area of %zu bytes: here %p, in %d at %#lx", size, local, task->pid,
		 (unsigned long)raddr);
	return 0;
}

int shmem_unmap(struct compel_task *task)
{
	long res;
	int ret;

	/* Remote syscalls must not run from the area we are removing. */
	munmap(task->shared_local, task->shared_size);
	task->shared_local = NULL;
	ret = task_remote(task, SYS_munmap, task->shared_remote, task->shared_size, 0, 0, 0, 0, &res);
	if (ret)
		pr_err("cannot unmap the shared area from %d: %s", task->pid, strerror(-ret));
	task->shared_remote = 0;
	task->shared_size = 0;
	return ret;
}

COMPEL_API void *compel_task_shared_local(const struct compel_task *task)
{
	if (!task->shared_local)
		return NULL;
	return (char *)task->shared_local + sysconf(_SC_PAGESIZE);
}

COMPEL_API unsigned long compel_task_shared_remote(const struct compel_task *task)
{
	if (!task->shared_local)
		return 0;
	return task->shared_remote + sysconf(_SC_PAGESIZE);
}

COMPEL_API size_t compel_task_shared_size(const struct compel_task *task)
{
	if (!task->shared_local)
		return 0;
	return task->shared_size - sysconf(_SC_PAGESIZE);
}
