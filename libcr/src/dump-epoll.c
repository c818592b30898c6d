// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * epoll: one EventpollFileEntry in files.img per open epoll, its targets
 * (fd number, events, data) read from the fdinfo of the task that is met
 * with it first. Only targets that are still that task's own fds are
 * supported: kcmp(KCMP_EPOLL_TFD) tells each is the file at its number;
 * any other target is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "array.h"
#include "dump-files.h"
#include "file-ids.h"
#include "images.h"
#include "lib-log.h"
#include "proc-dir.h"

/* The targets of one epoll being dumped. */
struct epoll_targets {
	pid_t pid;
	int epfd; /* the epoll's fd number in task pid */
	EventpollTfdEntry *tfds;
	size_t nr, cap;
};

bool dump_is_epoll(pid_t pid, int fd)
{
	char what[32];

	dump_describe_fd(pid, fd, what, sizeof(what));
	return !strcmp(what, "anon_inode:[eventpoll]");
}

/* Whether the target @tfd of epoll @t->epfd is the file open at fd @tfd. */
static bool target_is_own_fd(const struct epoll_targets *t, int tfd)
{
	struct kcmp_epoll_slot slot = {.efd = t->epfd, .tfd = tfd, .toff = 0};

	return syscall(SYS_kcmp, t->pid, t->pid, KCMP_EPOLL_TFD, tfd, &slot) == 0;
}

static int add_target(const struct proc_fdinfo_entry *e, void *arg)
{
	struct epoll_targets *t = arg;
	EventpollTfdEntry *tfd;
	int ret;

	if (e->kind != PROC_FDE_EPOLL_TFD)
		return 0;
	if (!target_is_own_fd(t, e->epoll.tfd)) {
		pr_err("epoll fd %d of task %d watches a file no longer open at fd %d, which "
		       "crtool cannot dump yet",
		       t->epfd, t->pid, e->epoll.tfd);
		return -EOPNOTSUPP;
	}
	ret = array_grow((void **)&t->tfds, &t->cap, t->nr, sizeof(*t->tfds), PROC_FDS_MAX);
	if (ret)
		return ret;
	tfd = &t->tfds[t->nr++];
	eventpoll_tfd_entry__init(tfd);
	tfd->tfd = e->epoll.tfd;
	tfd->events = e->epoll.events;
	tfd->data = e->epoll.data;
	tfd->has_dev = true;
	tfd->dev = e->epoll.sdev;
	tfd->has_inode = true;
	tfd->inode = e->epoll.ino;
	tfd->has_pos = true;
	tfd->pos = e->epoll.pos;
	return 0;
}

int dump_epoll(struct dump_ctx *ctx, pid_t pid, int fd, int ours, unsigned int flags, uint32_t *id)
{
	struct epoll_targets t = {.pid = pid, .epfd = fd};
	EventpollFileEntry ep = EVENTPOLL_FILE_ENTRY__INIT;
	FileEntry fe = FILE_ENTRY__INIT;
	FownEntry fown = FOWN_ENTRY__INIT;
	EventpollTfdEntry **ptrs = NULL;
	struct proc_fdinfo fi;
	int ret;

	ret = file_ids_claim(ctx->file_ids, ours, id, &fown);
	if (ret)
		return ret < 0 ? ret : 0;
	ret = proc_fdinfo_read(pid, fd, &fi, add_target, &t);
	if (!ret && t.nr && !(ptrs = malloc(t.nr * sizeof(*ptrs))))
		ret = -ENOMEM;
	if (ret)
		goto out;
	for (size_t i = 0; i < t.nr; i++)
		ptrs[i] = &t.tfds[i];
	ep.id = *id;
	ep.flags = flags & ~O_CLOEXEC;
	ep.fown = &fown;
	ep.n_tfd = t.nr;
	ep.tfd = ptrs;
	fe.type = FD_TYPES__EVENTPOLL;
	fe.id = *id;
	fe.epfd = &ep;
	pr_debug("file %u: epoll with %zu targets", *id, t.nr);
	ret = img_file_write_entry(ctx->files, &fe.base);
out:
	free(ptrs);
	free(t.tfds);
	return ret;
}
