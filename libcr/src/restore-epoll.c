// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * epoll on restore: the root task creates each epoll empty with the other
 * files; its targets are added once every fd of a task is in place, by the
 * first task (in pstree.img's order, the dump's) that holds it, as they
 * were that task's fds at the dump.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "lib-log.h"
#include "restore-epoll.h"
#include "restore-files.h"

int rst_epoll_open(const EventpollFileEntry *e)
{
	int fd = epoll_create1(EPOLL_CLOEXEC);

	if (fd < 0) {
		pr_perror("cannot create epoll %u", e->id);
		return -errno;
	}
	if (fcntl(fd, F_SETFL, e->flags & O_NONBLOCK))
		pr_warn("cannot set the flags of epoll %u: %m", e->id);
	return fd;
}

static bool task_has_fd(const struct rst_task *t, uint32_t fd)
{
	for (size_t i = 0; i < t->nr_fds; i++)
		if (t->fds[i]->fd == fd)
			return true;
	return false;
}

/* Whether fd @idx of @t is the first fd of its file in the tree (tasks in order, fds in order). */
static bool first_fd_of_file(const struct rst_ctx *ctx, const struct rst_task *t, size_t idx)
{
	uint32_t id = t->fds[idx]->id;

	for (const struct rst_task *o = ctx->tasks; o <= t; o++)
		for (size_t i = 0; i < (o == t ? idx : o->nr_fds); i++)
			if (o->fds[i]->id == id)
				return false;
	return true;
}

static int add_targets(const struct rst_task *t, int epfd, const EventpollFileEntry *e)
{
	for (size_t i = 0; i < e->n_tfd; i++) {
		const EventpollTfdEntry *tfd = e->tfd[i];
		struct epoll_event ev = {.events = tfd->events, .data.u64 = tfd->data};

		if (!task_has_fd(t, tfd->tfd)) {
			pr_err("epoll %u watches fd %u, which task %d lacks", e->id, tfd->tfd,
			       t->pe->pid);
			return -EINVAL;
		}
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, tfd->tfd, &ev)) {
			pr_perror("cannot add fd %u to epoll %u", tfd->tfd, e->id);
			return -errno;
		}
	}
	return 0;
}

int rst_epoll_install(struct rst_ctx *ctx, struct rst_task *t)
{
	for (size_t i = 0; i < t->nr_fds; i++) {
		const FdinfoEntry *fd = t->fds[i];
		const FileEntry *fe = rst_file_entry(ctx->files, fd->id);
		int ret;

		if (!fe || fe->type != FD_TYPES__EVENTPOLL || !fe->epfd ||
		    !first_fd_of_file(ctx, t, i))
			continue;
		ret = add_targets(t, fd->fd, fe->epfd);
		if (ret)
			return ret;
	}
	return 0;
}
