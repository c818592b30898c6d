// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A task's descriptors: fdinfo-N.img (fd number, close-on-exec, file id)
 * and, once per open file, its entry in files.img. The open files are taken
 * from the task with pidfd_getfd(), so flags and position are those of the
 * task's own open file, and two fds sharing one open file are recognised.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dump-files.h"
#include "dump-inet.h"
#include "dump-unix.h"
#include "file-ids.h"
#include "images.h"
#include "lib-log.h"
#include "proc-dir.h"
#include "proc-fdinfo.h"
#include "proc-status.h"

static int pidfd_open_task(pid_t pid)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		pr_perror("cannot open a pidfd for %d", pid);
	return fd < 0 ? -errno : fd;
}

static int dump_one_fd(struct dump_ctx *ctx, pid_t pid, int pidfd, int fd, struct img_file *fdinfo)
{
	FdinfoEntry fe = FDINFO_ENTRY__INIT;
	struct proc_fdinfo fi;
	char key[PATH_MAX];
	struct stat st;
	uint32_t id = 0;
	int ret, ours;

	ret = proc_fdinfo_read(pid, fd, &fi, NULL, NULL);
	if (ret) {
		pr_err("cannot read fdinfo %d of task %d: %s", fd, pid, strerror(-ret));
		return ret;
	}
	ours = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	if (ours < 0) {
		pr_perror("cannot take fd %d of task %d", fd, pid);
		return -errno;
	}
	if (fstat(ours, &st)) {
		ret = -errno;
		goto out;
	}
	if (dump_is_external(ctx, pid, fd, key, sizeof(key))) {
		fe.type = FD_TYPES__EXT;
		ret = dump_ext_file(ctx, ours, key, &id);
	} else if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISCHR(st.st_mode)) {
		fe.type = FD_TYPES__REG;
		ret = dump_reg_file(ctx, pid, ours, &id);
	} else if (S_ISFIFO(st.st_mode) && dump_is_pipe(ours)) {
		fe.type = FD_TYPES__PIPE;
		ret = dump_pipe(ctx, ours, fi.flags, &id);
	} else if (S_ISFIFO(st.st_mode)) {
		fe.type = FD_TYPES__FIFO;
		ret = dump_fifo(ctx, pid, ours, &id);
	} else if (dump_anon_kind(&fi) != FD_TYPES__UND) {
		fe.type = dump_anon_kind(&fi);
		ret = dump_anon_fd(ctx, ours, &fi, &id);
	} else if (S_ISSOCK(st.st_mode) && dump_is_unix(ours)) {
		fe.type = FD_TYPES__UNIXSK;
		ret = dump_unix(ctx, pid, fd, ours, fi.flags, &id);
	} else if (S_ISSOCK(st.st_mode) && dump_is_inet(ours)) {
		fe.type = FD_TYPES__INETSK;
		ret = dump_inet(ctx, pid, fd, ours, fi.flags, &id);
	} else if (dump_is_epoll(pid, fd)) {
		fe.type = FD_TYPES__EVENTPOLL;
		ret = dump_epoll(ctx, pid, fd, ours, fi.flags, &id);
	} else {
		char what[64];

		dump_describe_fd(pid, fd, what, sizeof(what));
		pr_err("fd %d of task %d is %s, which crtool cannot dump yet", fd, pid, what);
		ret = -EOPNOTSUPP;
	}
	if (ret)
		goto out;
	fe.id = id;
	fe.fd = fd;
	fe.flags = (fi.flags & O_CLOEXEC) ? FD_CLOEXEC : 0;
	ret = img_file_write_entry(fdinfo, &fe.base);
out:
	close(ours);
	return ret;
}

int dump_files(struct dump_ctx *ctx, struct dump_task *t)
{
	pid_t pid = t->pt->pid;
	struct img_file *fdinfo;
	int *fds = NULL, pidfd, ret, ret2;
	size_t nr = 0;

	ret = proc_dir_numbers(pid, "fd", PROC_FDS_MAX, &fds, &nr);
	if (ret) {
		pr_err("cannot list the fds of task %d: %s", pid, strerror(-ret));
		return ret;
	}
	pidfd = pidfd_open_task(pid);
	if (pidfd < 0) {
		free(fds);
		return pidfd;
	}
	fdinfo = img_file_open(ctx->dir, "FDINFO", t->ids_base, IMG_WRITE);
	if (!fdinfo) {
		ret = -errno;
		pr_err("cannot create fdinfo-%u.img: %s", t->ids_base, strerror(-ret));
		goto out;
	}
	for (size_t i = 0; i < nr && !ret; i++)
		ret = dump_one_fd(ctx, pid, pidfd, fds[i], fdinfo);
	ret2 = img_file_close(fdinfo);
	if (!ret)
		ret = ret2;
out:
	close(pidfd);
	free(fds);
	return ret;
}

/* cwd or root of @pid as an id in files.img. */
static int dump_fs_path(struct dump_ctx *ctx, pid_t pid, const char *which, uint32_t *id)
{
	char path[64];
	int fd, ret;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, which);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		pr_perror("cannot open %s", path);
		return -errno;
	}
	ret = dump_reg_file(ctx, pid, fd, id);
	close(fd);
	return ret;
}

int dump_fs(struct dump_ctx *ctx, struct dump_task *t)
{
	FsEntry fe = FS_ENTRY__INIT;
	struct proc_status st;
	int ret;

	ret = proc_status_read(t->pt->pid, 0, &st);
	if (ret)
		return ret;
	ret = dump_fs_path(ctx, t->pt->pid, "cwd", &fe.cwd_id);
	if (!ret)
		ret = dump_fs_path(ctx, t->pt->pid, "root", &fe.root_id);
	if (ret)
		return ret;
	if (st.have & PROC_STATUS_UMASK) {
		fe.has_umask = 1;
		fe.umask = st.umask;
	}
	return cr_img_write_one(ctx->dir, "FS", t->pt->pid, &fe.base);
}
