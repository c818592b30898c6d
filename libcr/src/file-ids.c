// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Ids of files.img and the entries of regular files. Two fds name the same
 * open file when kcmp(KCMP_FILE) says so; only files on the same inode are
 * compared, so kcmp runs rarely.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "array.h"
#include "dump-link-remap.h"
#include "dump.h"
#include "file-ids.h"
#include "file-print.h"
#include "lib-log.h"

#define DELETED_SUFFIX " (deleted)"

#ifndef F_GETOWNER_UIDS
/* The uid and euid of a file's owner (<asm-generic/fcntl.h>; glibc lacks it). */
#define F_GETOWNER_UIDS 17
#endif

struct file_ids *file_ids_new(void)
{
	return calloc(1, sizeof(struct file_ids));
}

void file_ids_free(struct file_ids *ids)
{
	size_t i;

	if (!ids)
		return;
	for (i = 0; i < ids->nr; i++)
		if (ids->files[i].fd >= 0)
			close(ids->files[i].fd);
	free(ids->files);
	free(ids->mapped);
	free(ids);
}

uint32_t file_ids_next(struct file_ids *ids)
{
	if (ids->last == UINT32_MAX)
		return 0;
	return ++ids->last;
}

static int same_file(int a, int b)
{
	pid_t self = getpid();

	return syscall(SYS_kcmp, self, self, KCMP_FILE, a, b) == 0;
}

uint32_t file_ids_find(const struct file_ids *ids, int fd, dev_t dev, ino_t ino)
{
	const struct file_id *f;
	size_t i;

	for (i = 0; i < ids->nr; i++) {
		f = &ids->files[i];
		if (f->dev == dev && f->ino == ino && f->fd >= 0 && same_file(fd, f->fd))
			return f->id;
	}
	return 0;
}

int file_ids_add(struct file_ids *ids, int fd, dev_t dev, ino_t ino, uint32_t id)
{
	struct file_id *f;
	int ret;

	ret = array_grow((void **)&ids->files, &ids->cap, ids->nr, sizeof(*ids->files),
			 FILE_IDS_MAX);
	if (ret) {
		pr_err("cannot remember file %u: %s", id, strerror(-ret));
		return ret;
	}
	f = &ids->files[ids->nr++];
	f->id = id;
	f->dev = dev;
	f->ino = ino;
	/* Without a duplicate (out of fds) the file only loses its sharing. */
	f->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (f->fd < 0)
		pr_warn("cannot keep file %u for comparisons: %m", id);
	return 0;
}

int file_ids_claim(struct file_ids *ids, int fd, uint32_t *id, FownEntry *fown)
{
	struct stat st;
	int ret;

	if (fstat(fd, &st))
		return -errno;
	*id = file_ids_find(ids, fd, st.st_dev, st.st_ino);
	if (*id)
		return 1;
	ret = dump_fown(fd, fown);
	if (!ret)
		ret = file_ids_assign(ids, fd, st.st_dev, st.st_ino, id);
	return ret;
}

int file_ids_assign(struct file_ids *ids, int fd, dev_t dev, ino_t ino, uint32_t *id)
{
	*id = file_ids_next(ids);
	if (!*id)
		return -E2BIG;
	return file_ids_add(ids, fd, dev, ino, *id);
}

/*
 * The path of our @fd from crtool's root, which is how CRIU's images name
 * files: a task's own root (chroot) is itself such a path, in fs-PID.img.
 * 1 (" (deleted)" taken off the path) for a file whose link is gone,
 * -EOPNOTSUPP for a file that never had a path.
 */
static int fd_path(int fd, char *path, size_t size)
{
	char link[32];
	ssize_t n;
	size_t len;
	int deleted;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, size);
	if (n < 0)
		return -errno;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	path[n] = '\0';
	len = n;
	if (path[0] != '/')
		return -EOPNOTSUPP;
	deleted = len > strlen(DELETED_SUFFIX) &&
		  !strcmp(path + len - strlen(DELETED_SUFFIX), DELETED_SUFFIX);
	if (deleted)
		path[len - strlen(DELETED_SUFFIX)] = '\0';
	return deleted;
}

int dump_fown(int fd, FownEntry *fown)
{
	struct f_owner_ex owner;
	uint32_t uids[2];
	int sig;

	if (fcntl(fd, F_GETOWN_EX, &owner) < 0 || fcntl(fd, F_GETOWNER_UIDS, uids) < 0)
		return -errno;
	sig = fcntl(fd, F_GETSIG);
	if (sig < 0)
		return -errno;
	fown->uid = uids[0];
	fown->euid = uids[1];
	fown->pid_type = owner.type;
	fown->pid = owner.pid;
	fown->signum = sig;
	return 0;
}

/*
 * @ghost_ok: a file whose path is gone is saved as a ghost or through a new
 * link (dump-link-remap.c), else a deleted one is refused.
 */
static int write_reg_entry(struct dump_ctx *ctx, pid_t pid, int fd, const struct stat *st,
			   uint32_t id, bool ghost_ok)
{
	FileEntry fe = FILE_ENTRY__INIT;
	RegFileEntry reg = REG_FILE_ENTRY__INIT;
	FownEntry fown = FOWN_ENTRY__INIT;
	struct file_print print;
	char path[PATH_MAX];
	off_t pos;
	int flags, ret;

	flags = fcntl(fd, F_GETFL);
	if (flags < 0)
		return -errno;
	/* Not every file has a position (character devices, ...): 0 then. */
	pos = lseek(fd, 0, SEEK_CUR);
	ret = fd_path(fd, path, sizeof(path));
	if (ret >= 0 && ghost_ok)
		ret = dump_path_gone(ctx, pid, fd, st, path, ret == 1, id);
	else if (ret == 1)
		pr_err("%s is deleted: crtool saves deleted regular files open as fds only", path);
	if (ret == 1)
		ret = -EOPNOTSUPP;
	/* An O_PATH file has no owner to ask about (fcntl() refuses it). */
	if (!ret && !(flags & O_PATH))
		ret = dump_fown(fd, &fown);
	if (ret >= 0)
		ret = file_print_read(fd, st, &print);
	if (ret >= 0 && S_ISREG(st->st_mode))
		file_print_put(&print, &reg);
	if (ret < 0) {
		pr_err("cannot describe file %u of %d: %s", id, pid, strerror(-ret));
		return ret;
	}
	reg.id = id;
	reg.flags = flags;
	reg.pos = pos < 0 ? 0 : pos;
	reg.fown = &fown;
	reg.name = path;
	reg.has_mode = true;
	reg.mode = st->st_mode;
	fe.type = FD_TYPES__REG;
	fe.id = id;
	fe.reg = &reg;
	ret = img_file_write_entry(ctx->files, &fe.base);
	if (ret)
		pr_err("cannot write file %u (%s) to files.img: %s", id, path, strerror(-ret));
	return ret;
}

/* A new id for our @fd, and its entry in files.img. */
static int reg_file_new(struct dump_ctx *ctx, pid_t pid, int fd, const struct stat *st,
			uint32_t *id, bool ghost_ok)
{
	uint32_t new_id = file_ids_next(ctx->file_ids);
	int ret;

	if (!new_id)
		return -E2BIG;
	ret = write_reg_entry(ctx, pid, fd, st, new_id, ghost_ok);
	if (!ret)
		*id = new_id;
	return ret;
}

int dump_reg_entry(struct dump_ctx *ctx, pid_t pid, int fd, uint32_t *id)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	return reg_file_new(ctx, pid, fd, &st, id, false);
}

int dump_reg_file(struct dump_ctx *ctx, pid_t pid, int fd, uint32_t *id)
{
	struct stat st;
	uint32_t new_id;
	int ret;

	if (fstat(fd, &st))
		return -errno;
	*id = file_ids_find(ctx->file_ids, fd, st.st_dev, st.st_ino);
	if (*id)
		return 0;
	ret = reg_file_new(ctx, pid, fd, &st, &new_id, true);
	if (!ret)
		ret = file_ids_add(ctx->file_ids, fd, st.st_dev, st.st_ino, new_id);
	if (!ret)
		*id = new_id;
	return ret;
}

int dump_mapped_file(struct dump_ctx *ctx, pid_t pid, int fd, unsigned int flags, uint32_t *id)
{
	struct file_ids *ids = ctx->file_ids;
	struct mapped_file *m;
	struct stat st;
	size_t i;
	int ret;

	if (fstat(fd, &st))
		return -errno;
	for (i = 0; i < ids->nr_mapped; i++) {
		m = &ids->mapped[i];
		if (m->dev == st.st_dev && m->ino == st.st_ino && m->flags == flags) {
			*id = m->id;
			return 0;
		}
	}
	ret = array_grow((void **)&ids->mapped, &ids->cap_mapped, ids->nr_mapped,
			 sizeof(*ids->mapped), FILE_IDS_MAX);
	if (!ret)
		ret = reg_file_new(ctx, pid, fd, &st, id, false);
	if (ret)
		return ret;
	ids->mapped[ids->nr_mapped++] = (struct mapped_file){ st.st_dev, st.st_ino, flags, *id };
	return 0;
}
