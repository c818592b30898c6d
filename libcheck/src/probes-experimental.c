// SPDX-License-Identifier: LGPL-2.1-or-later
/* Category 3: features crtool does not rely on yet. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <linux/openat2.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probes.h"

enum check_result probe_kcmp_epoll(struct probe_out *out)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct kcmp_epoll_slot slot = { 0 };
	enum check_result r;
	int ep, efd = -1;
	long ret;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return probe_errno(out, errno, -1, "epoll_create1");
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev)) {
		r = probe_errno(out, errno, -1, "watch an eventfd with epoll");
		goto out;
	}
	slot.efd = ep;
	slot.tfd = efd;
	ret = syscall(SYS_kcmp, getpid(), getpid(), KCMP_EPOLL_TFD, efd, (unsigned long)&slot);
	if (ret < 0)
		r = probe_errno(out, errno, CAP_SYS_PTRACE, "kcmp(KCMP_EPOLL_TFD)");
	else if (ret != 0)
		r = probe_missing(out, "KCMP_EPOLL_TFD does not match an epoll's target to its file");
	else
		r = probe_supported(out, "kcmp finds the files an epoll watches");
out:
	if (efd >= 0)
		close(efd);
	close(ep);
	return r;
}

enum check_result probe_openat2(struct probe_out *out)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_NO_MAGICLINKS | RESOLVE_BENEATH,
	};
	int fd;

	fd = syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof(how));
	if (fd < 0)
		return probe_errno(out, errno, -1, "openat2");
	close(fd);
	return probe_supported(out, "openat2 resolves paths with RESOLVE_* restrictions");
}
