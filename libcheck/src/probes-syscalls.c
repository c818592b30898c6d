// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Probes of system calls that dump and restore need on any tree: kcmp,
 * F_GETOWNER_UIDS, rt_tgsigqueueinfo, pidfds, process_vm_readv, clone3.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clone3.h"
#include "probes.h"

#ifndef F_GETOWNER_UIDS
#define F_GETOWNER_UIDS 17
#endif

#define SIGINFO_MAGIC 0x5eed1234

static long kcmp(pid_t pid1, pid_t pid2, int type, unsigned long idx1, unsigned long idx2)
{
	return syscall(SYS_kcmp, pid1, pid2, type, idx1, idx2);
}

/* Make a pipe, hand it to @use, close it. */
static enum check_result with_pipe(struct probe_out *out,
				   enum check_result (*use)(struct probe_out *out, int p[2]))
{
	enum check_result r;
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return probe_errno(out, errno, -1, "pipe");
	r = use(out, p);
	close(p[0]);
	close(p[1]);
	return r;
}

/* The read end against a dup of itself, then against the write end. */
static enum check_result compare_pipe_ends(struct probe_out *out, int p[2])
{
	pid_t self = getpid();
	long same, other;
	int dup_fd;

	dup_fd = fcntl(p[0], F_DUPFD_CLOEXEC, 0);
	if (dup_fd < 0)
		return probe_errno(out, errno, -1, "dup");
	same = kcmp(self, self, KCMP_FILE, p[0], dup_fd);
	other = kcmp(self, self, KCMP_FILE, p[0], p[1]);
	close(dup_fd);
	if (same < 0 || other < 0)
		return probe_errno(out, errno, CAP_SYS_PTRACE, "kcmp(KCMP_FILE)");
	if (same != 0 || other == 0)
		return probe_missing(out, "kcmp does not tell files apart (%ld, %ld)", same, other);
	return probe_supported(out, "kcmp compares kernel objects of tasks");
}

enum check_result probe_kcmp(struct probe_out *out)
{
	return with_pipe(out, compare_pipe_ends);
}

static enum check_result owner_uids(struct probe_out *out, int p[2])
{
	unsigned int uids[2] = { ~0u, ~0u };

	if (fcntl(p[0], F_SETOWN, getpid()))
		return probe_errno(out, errno, -1, "fcntl(F_SETOWN)");
	if (fcntl(p[0], F_GETOWNER_UIDS, uids))
		return probe_errno(out, errno, -1, "fcntl(F_GETOWNER_UIDS)");
	if (uids[0] != getuid() || uids[1] != geteuid())
		return probe_missing(out, "F_GETOWNER_UIDS gives %u/%u, not the owner's %u/%u",
				     uids[0], uids[1], getuid(), geteuid());
	return probe_supported(out, "F_GETOWNER_UIDS gives the owner's uids");
}

enum check_result probe_f_getowner_uids(struct probe_out *out)
{
	return with_pipe(out, owner_uids);
}

/* In a child: queue a signal with a payload to itself and take it back. */
static int sigqueue_self(void *arg)
{
	siginfo_t got;
	sigset_t set;
	int err = probe_queue_own_signal(SIGUSR1, SIGINFO_MAGIC);

	if (err)
		return err;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigwaitinfo(&set, &got) != SIGUSR1)
		return errno;
	return got.si_value.sival_int == SIGINFO_MAGIC ? 0 : EPROTO;
}

enum check_result probe_sigqueueinfo(struct probe_out *out)
{
	int err = probe_in_child(0, sigqueue_self, NULL);

	return probe_answer(out, err, -1, "rt_tgsigqueueinfo",
			    "rt_tgsigqueueinfo loses the signal's payload",
			    "rt_tgsigqueueinfo queues signals with their siginfo");
}

/* Copy the pipe's read end through a pidfd of our own process. */
static enum check_result copy_through_pidfd(struct probe_out *out, int p[2])
{
	enum check_result r;
	struct stat a, b;
	int pidfd, fd;

	pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0)
		return probe_errno(out, errno, -1, "pidfd_open");
	fd = syscall(SYS_pidfd_getfd, pidfd, p[0], 0);
	if (fd < 0)
		r = probe_errno(out, errno, CAP_SYS_PTRACE, "pidfd_getfd");
	else if (fstat(fd, &a) || fstat(p[0], &b) || a.st_ino != b.st_ino)
		r = probe_missing(out, "pidfd_getfd gives another file than the one asked for");
	else
		r = probe_supported(out, "pidfd_open and pidfd_getfd work");
	if (fd >= 0)
		close(fd);
	close(pidfd);
	return r;
}

enum check_result probe_pidfd_getfd(struct probe_out *out)
{
	return with_pipe(out, copy_through_pidfd);
}

enum check_result probe_process_vm_readv(struct probe_out *out)
{
	static const char src[] = "crtool process_vm_readv";
	char dst[sizeof(src)] = "";
	struct iovec local = { dst, sizeof(dst) };
	struct iovec remote = { (void *)src, sizeof(src) };

	if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != sizeof(src))
		return probe_errno(out, errno, CAP_SYS_PTRACE, "process_vm_readv");
	if (memcmp(dst, src, sizeof(src)))
		return probe_missing(out, "process_vm_readv copies the wrong bytes");
	return probe_supported(out, "process_vm_readv reads another task's memory");
}

/* Wait for @pid and turn its exit into 0 or a positive errno. */
static int reap_exit(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return errno;
	if (!WIFEXITED(status))
		return EINTR;
	return WEXITSTATUS(status);
}

enum check_result probe_clone3_set_tid(struct probe_out *out)
{
	/* In a new pid namespace the chosen pid 1 is free: no race. */
	pid_t tid = 1;
	struct clone_args args = {
		.flags = CLONE_NEWPID,
		.exit_signal = SIGCHLD,
		.set_tid = (unsigned long)&tid,
		.set_tid_size = 1,
	};
	pid_t pid = clone3_fork(&args);
	int err;

	if (pid == 0)
		_exit(syscall(SYS_getpid) == tid ? 0 : EPROTO);
	if (pid < 0) {
		if (errno == E2BIG)
			return probe_missing(out, "clone3 has no set_tid field");
		/* CLONE_NEWPID needs CAP_SYS_ADMIN, which also lets set_tid choose. */
		return probe_errno(out, errno, CAP_SYS_ADMIN, "clone3 with set_tid in a new pid namespace");
	}
	err = reap_exit(pid);
	if (err == EPROTO)
		return probe_missing(out, "clone3 ignores set_tid");
	if (err)
		return probe_errno(out, err, -1, "clone3 child");
	return probe_supported(out, "clone3 creates tasks with the pids asked for");
}

/*
 * In a child: create a sibling (CLONE_PARENT) in a new pid namespace and
 * write its pid to @arg, a pipe, so that the parent can reap it.
 */
static int clone_parent_newpid(void *arg)
{
	int *p = arg;
	struct clone_args args = {
		.flags = CLONE_PARENT | CLONE_NEWPID,
	};
	pid_t pid = clone3_fork(&args);

	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return errno;
	if (write(p[1], &pid, sizeof(pid)) != sizeof(pid))
		return EPIPE;
	return 0;
}

enum check_result probe_clone_parent_vs_pid(struct probe_out *out)
{
	pid_t sibling;
	int p[2], err;

	if (pipe2(p, O_CLOEXEC))
		return probe_errno(out, errno, -1, "pipe");
	err = probe_in_child(0, clone_parent_newpid, p);
	close(p[1]);
	if (!err && read(p[0], &sibling, sizeof(sibling)) == sizeof(sibling))
		err = reap_exit(sibling);
	close(p[0]);
	return probe_answer(out, err, CAP_SYS_ADMIN, "clone(CLONE_PARENT | CLONE_NEWPID)", NULL,
			    "CLONE_PARENT works with CLONE_NEWPID");
}
