// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "lib-log.h"
#include "restore-anon-fds.h"
#include "restore-check.h"
#include "restore-epoll.h"
#include "restore-files.h"
#include "restore-ghost.h"
#include "restore-inet.h"
#include "restore-inherit.h"
#include "restore-pipes.h"
#include "restore-unix.h"

/* Service fds of other parts of the restore (e.g. one per shared memory object). */
#define KEPT_MAX (1u << 16)

struct rst_files {
	ProtobufCMessage **entries;	/* files.img */
	size_t nr;
	int *fds;			/* service fd of entries[i], -1 when unused */
	int *inherited;			/* the caller's fd entries[i] is taken from, or -1 */
	bool *used;			/* entries[i] is some task's fd */
	struct rst_pipes pipes, fifos;
	struct rst_unix unix_sks;
	struct rst_inet inet_sks;
	struct rst_ghosts *ghosts;
	int *kept;			/* service fds kept until the switch (rst_files_keep_fd) */
	size_t nr_kept, cap_kept;
};

static int cmp_file_id(const void *a, const void *b)
{
	uint32_t x = (*(const FileEntry *const *)a)->id, y = (*(const FileEntry *const *)b)->id;

	return (x > y) - (x < y);
}

/* The entry with @id (files.img's entries are sorted by id once loaded). */
static FileEntry *file_entry(struct rst_files *rf, uint32_t id, size_t *idx)
{
	FileEntry key = { .id = id }, *kp = &key, **found;

	if (!rf->nr)
		return NULL;
	found = bsearch(&kp, rf->entries, rf->nr, sizeof(*rf->entries), cmp_file_id);
	if (!found)
		return NULL;
	if (idx)
		*idx = found - (FileEntry **)rf->entries;
	return *found;
}

/* Sort the entries by id for file_entry(); two entries with one id are refused. */
static int index_entries(struct rst_files *rf)
{
	qsort(rf->entries, rf->nr, sizeof(*rf->entries), cmp_file_id);
	for (size_t i = 1; i < rf->nr; i++) {
		if (((FileEntry *)rf->entries[i])->id == ((FileEntry *)rf->entries[i - 1])->id) {
			pr_err("files.img: two entries have id %u",
			       ((FileEntry *)rf->entries[i])->id);
			return -EINVAL;
		}
	}
	return 0;
}

const FileEntry *rst_file_entry(const struct rst_files *rf, uint32_t id)
{
	return file_entry((struct rst_files *)rf, id, NULL);
}

/* The REG entry with the path and flags of FIFO @fe, NULL when missing. */
static const RegFileEntry *fifo_reg(struct rst_files *rf, const FileEntry *fe)
{
	const FileEntry *regf = NULL;

	if (fe->type == FD_TYPES__FIFO && fe->fifo && fe->fifo->has_regf_id)
		regf = file_entry(rf, fe->fifo->regf_id, NULL);
	return regf && regf->type == FD_TYPES__REG ? regf->reg : NULL;
}

/* Which files the caller hands in; every external one must be. */
static int find_inherited(struct rst_ctx *ctx)
{
	struct rst_files *rf = ctx->files;
	int ret = rst_inherit_check(ctx);

	for (size_t i = 0; i < rf->nr && !ret; i++) {
		FileEntry *fe = (FileEntry *)rf->entries[i];
		const RegFileEntry *reg = fifo_reg(rf, fe);

		rf->inherited[i] = -1;
		if (rf->used[i])
			ret = rst_inherit_lookup(ctx, fe, reg ? reg->name : NULL,
						 &rf->inherited[i]);
	}
	return ret;
}

static int load_fdinfo(struct rst_ctx *ctx, struct rst_task *t, int *max_fd)
{
	struct img_file *f;
	int ret;

	if (!t->ids)
		return 0;
	f = img_file_open(ctx->dir, "FDINFO", t->ids->files_id, IMG_READ);
	if (!f) {
		ret = -errno;
		pr_err("cannot open fdinfo-%u.img: %s", t->ids->files_id, strerror(-ret));
		return ret;
	}
	ret = img_file_read_all(f, (ProtobufCMessage ***)&t->fds, &t->nr_fds);
	img_file_close(f);
	if (ret < 0) {
		pr_err("cannot read fdinfo-%u.img: %s", t->ids->files_id, strerror(-ret));
		return ret;
	}
	for (size_t i = 0; i < t->nr_fds; i++) {
		FdinfoEntry *e = t->fds[i];
		size_t idx;

		if (e->fd > INT32_MAX / 2 || !file_entry(ctx->files, e->id, &idx)) {
			pr_err("fdinfo-%u.img: fd %u refers to file %u, which files.img lacks",
			       t->ids->files_id, e->fd, e->id);
			return -EINVAL;
		}
		ctx->files->used[idx] = true;
		if ((int)e->fd > *max_fd)
			*max_fd = e->fd;
	}
	return 0;
}

/* Before anything is created: every regular file to reopen is as dumped. */
static int check_unchanged(struct rst_ctx *ctx)
{
	struct rst_files *rf = ctx->files;
	int found = 0;

	for (size_t i = 0; i < rf->nr; i++) {
		const FileEntry *fe = (FileEntry *)rf->entries[i];

		if (rf->used[i] && rf->inherited[i] < 0 && fe->type == FD_TYPES__REG && fe->reg &&
		    !rst_ghost_of(rf->ghosts, fe->id))
			found += rst_check_unchanged(ctx, fe->reg,
						     rst_link_path(rf->ghosts, rf, fe->reg));
	}
	return found ? -ESTALE : 0;
}

int rst_files_load(struct rst_ctx *ctx)
{
	struct rst_files *rf = calloc(1, sizeof(*rf));
	struct img_file *f = NULL;
	int ret = 0, max_fd = 2;

	if (!rf)
		return -ENOMEM;
	ctx->files = rf;
	/* A tree without any file at all has no files.img. */
	if (!faccessat(img_dir_fd(ctx->dir), "files.img", F_OK, 0)) {
		f = img_file_open(ctx->dir, "FILES", 0, IMG_READ);
		ret = f ? img_file_read_all(f, &rf->entries, &rf->nr) : -errno;
		img_file_close(f);
	}
	if (ret < 0) {
		pr_err("cannot read files.img: %s", strerror(-ret));
		return ret;
	}
	rf->fds = malloc((rf->nr + 1) * sizeof(int));
	rf->inherited = malloc((rf->nr + 1) * sizeof(int));
	rf->used = calloc(rf->nr + 1, sizeof(bool));
	if (!rf->fds || !rf->inherited || !rf->used)
		return -ENOMEM;
	ret = index_entries(rf);
	if (ret)
		return ret;
	for (size_t i = 0; i < rf->nr; i++)
		rf->fds[i] = -1;
	ret = rst_ghosts_load(ctx->dir, &rf->ghosts);
	if (!ret)
		ret = rst_pipes_load(ctx->dir, "PIPES_DATA", "pipes-data.img", &rf->pipes);
	if (!ret)
		ret = rst_pipes_load(ctx->dir, "FIFO_DATA", "fifo-data.img", &rf->fifos);
	if (!ret)
		ret = rst_unix_load(ctx->dir, rf->entries, rf->nr, &rf->unix_sks);
	if (!ret)
		ret = rst_inet_load(ctx->dir, rf->entries, rf->nr,
				    ctx->flags & CR_RESTORE_TCP_ESTABLISHED, &rf->inet_sks);
	for (size_t i = 0; i < ctx->nr_tasks && !ret; i++)
		ret = load_fdinfo(ctx, &ctx->tasks[i], &max_fd);
	if (!ret)
		ret = find_inherited(ctx);
	if (!ret)
		ret = check_unchanged(ctx);
	/* Room for the images folder first, then one service fd per file. */
	ctx->service_fd_base = max_fd + 1;
	return ret;
}

/* Open @reg at @path (its name, or its ghost's) as dumped: flags, size, position. */
static int open_reg(const RegFileEntry *reg, const char *path)
{
	int flags = reg->flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY);
	struct stat st;
	int fd;

	if (!path)
		return -ENOENT;
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		pr_perror("cannot open %s", path);
		return -errno;
	}
	/* Again at open: rst_check_unchanged() ran before forking, and it may change since. */
	if (fstat(fd, &st) || (S_ISREG(st.st_mode) && reg->has_size && !rst_file_may_change(reg) &&
			       (uint64_t)st.st_size != reg->size)) {
		pr_err("%s has changed since the dump: %lld bytes, %llu then", reg->name,
		       (long long)st.st_size, (unsigned long long)reg->size);
		close(fd);
		return -ESTALE;
	}
	if (S_ISREG(st.st_mode) && !(flags & O_PATH) && lseek(fd, reg->pos, SEEK_SET) < 0) {
		pr_perror("cannot seek %s to %llu", reg->name, (unsigned long long)reg->pos);
		close(fd);
		return -errno;
	}
	return fd;
}

static int open_file(struct rst_files *rf, struct img_dir *dir, const FileEntry *fe)
{
	const RegFileEntry *reg;

	switch (fe->type) {
	case FD_TYPES__REG:
		if (!fe->reg)
			break;
		return open_reg(fe->reg, rst_ghost_path(rf->ghosts, rf, dir, fe->reg));
	case FD_TYPES__PIPE:
		if (!fe->pipe)
			break;
		return rst_pipe_open(&rf->pipes, fe->pipe);
	case FD_TYPES__FIFO:
		if (!fe->fifo)
			break;
		reg = fifo_reg(rf, fe);
		if (!reg) {
			pr_err("FIFO %u has no path in files.img", fe->id);
			return -EINVAL;
		}
		return rst_fifo_open(&rf->fifos, fe->fifo, reg);
	case FD_TYPES__EVENTFD:
	case FD_TYPES__SIGNALFD:
	case FD_TYPES__TIMERFD:
		return rst_anon_open(fe);
	case FD_TYPES__EVENTPOLL:
		if (!fe->epfd)
			break;
		return rst_epoll_open(fe->epfd);
	case FD_TYPES__UNIXSK:
		if (!fe->usk)
			break;
		return rst_unix_open(&rf->unix_sks, fe->usk);
	case FD_TYPES__INETSK:
		if (!fe->isk)
			break;
		return rst_inet_open(&rf->inet_sks, fe->isk);
	default:
		pr_err("file %u is of a kind crtool cannot restore yet (%d)", fe->id, fe->type);
		return -EOPNOTSUPP;
	}
	pr_err("file %u of kind %d has no description", fe->id, fe->type);
	return -EINVAL;
}

int rst_file_open_reg(const struct rst_files *rf, uint32_t id, int flags)
{
	const FileEntry *fe = file_entry((struct rst_files *)rf, id, NULL);
	int fd;

	if (!fe) {
		pr_err("file %u is not in files.img", id);
		return -ENOENT;
	}
	if (fe->type != FD_TYPES__REG || !fe->reg) {
		pr_err("file %u is not a regular file", id);
		return -EOPNOTSUPP;
	}
	fd = open(fe->reg->name, flags | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		pr_err("cannot open %s (file %u): %s", fe->reg->name, id, strerror(-fd));
	}
	return fd;
}

int rst_files_open(struct rst_ctx *ctx)
{
	struct rst_files *rf = ctx->files;
	int ret = 0;

	for (size_t i = 0; i < rf->nr && !ret; i++) {
		FileEntry *fe = (FileEntry *)rf->entries[i];
		int fd;

		if (!rf->used[i])
			continue;
		/* An inherited fd is the caller's: duplicated, never closed. */
		fd = rf->inherited[i] >= 0 ? rf->inherited[i] : open_file(rf, ctx->dir, fe);
		if (fd < 0) {
			ret = fd;
			break;
		}
		rf->fds[i] = fcntl(fd, F_DUPFD_CLOEXEC, ctx->service_fd_base + 1 + (int)i);
		if (rf->fds[i] < 0)
			ret = -errno;
		if (fd != rf->inherited[i])
			close(fd);
	}
	rst_pipes_close_ends(&rf->pipes);
	rst_unix_close_kept(&rf->unix_sks);
	rst_inet_close_kept(&rf->inet_sks);
	rst_ghosts_unlink(rf->ghosts);
	return ret;
}

int rst_files_keep_fd(struct rst_ctx *ctx, int fd)
{
	struct rst_files *rf = ctx->files;
	int kept = -1, ret;

	ret = array_grow((void **)&rf->kept, &rf->cap_kept, rf->nr_kept, sizeof(*rf->kept),
			 KEPT_MAX);
	if (!ret) {
		kept = fcntl(fd, F_DUPFD_CLOEXEC, ctx->service_fd_base);
		ret = kept < 0 ? -errno : 0;
	}
	close(fd);
	if (ret)
		return ret;
	rf->kept[rf->nr_kept++] = kept;
	return kept;
}

void rst_files_close_kept(struct rst_ctx *ctx)
{
	struct rst_files *rf = ctx->files;

	for (size_t i = 0; rf && i < rf->nr_kept; i++)
		close(rf->kept[i]);
	if (rf)
		rf->nr_kept = 0;
}

static const char *dir_path(struct rst_files *rf, uint32_t id)
{
	FileEntry *fe = file_entry(rf, id, NULL);

	return fe && fe->type == FD_TYPES__REG && fe->reg ? fe->reg->name : NULL;
}

static int restore_fs(struct rst_ctx *ctx, struct rst_task *t)
{
	ProtobufCMessage *msg;
	const char *cwd, *root;
	FsEntry *fs;
	int ret;

	ret = cr_img_read_one(ctx->dir, "FS", t->pe->pid, &fs_entry__descriptor, &msg);
	if (ret)
		return ret;
	fs = (FsEntry *)msg;
	cwd = dir_path(ctx->files, fs->cwd_id);
	root = dir_path(ctx->files, fs->root_id);
	ret = -EINVAL;
	if (!cwd || !root) {
		pr_err("fs-%d.img: cwd or root is not a known folder", t->pe->pid);
	} else if (chdir(cwd)) {
		ret = -errno;
		pr_perror("cannot change the cwd of %d to %s", t->pe->pid, cwd);
	} else {
		t->root = root;
		if (fs->has_umask)
			umask(fs->umask);
		ret = 0;
	}
	protobuf_c_message_free_unpacked(msg, NULL);
	return ret;
}

int rst_fs_enter_root(const struct rst_task *t)
{
	/* After the cwd: both are paths from our root, and a cwd may lie outside. */
	if (t->root && strcmp(t->root, "/") && chroot(t->root)) {
		pr_perror("cannot change the root of %d to %s", t->pe->pid, t->root);
		return -errno;
	}
	return 0;
}

int rst_files_install(struct rst_ctx *ctx, struct rst_task *t)
{
	struct rst_files *rf = ctx->files;
	int dirfd = img_dir_fd(ctx->dir);
	int top = (dirfd > ctx->log_wr ? dirfd : ctx->log_wr) + 1;
	bool *keep;

	for (size_t i = 0; i < t->nr_fds; i++) {
		FdinfoEntry *e = t->fds[i];
		size_t idx = 0;

		file_entry(rf, e->id, &idx);
		if (dup3(rf->fds[idx], e->fd, (e->flags & FD_CLOEXEC) ? O_CLOEXEC : 0) < 0) {
			pr_perror("cannot put file %u at fd %u", e->id, e->fd);
			return -errno;
		}
		if (rf->fds[idx] >= top)
			top = rf->fds[idx] + 1;
	}
	for (size_t i = 0; i < rf->nr_kept; i++)
		if (rf->kept[i] >= top)
			top = rf->kept[i] + 1;
	/* Which fds below @top stay: the task's own, the folder, the log, kept ones. */
	keep = calloc(top, sizeof(*keep));
	if (!keep)
		return -ENOMEM;
	for (size_t i = 0; i < t->nr_fds; i++)
		keep[t->fds[i]->fd] = true;
	for (size_t i = 0; i < rf->nr_kept; i++)
		keep[rf->kept[i]] = true;
	keep[dirfd] = true;
	if (ctx->log_wr >= 0)
		keep[ctx->log_wr] = true;
	for (int fd = 0; fd < top; fd++)
		if (!keep[fd])
			close(fd);
	free(keep);
	close_range(top, ~0U, 0);
	return restore_fs(ctx, t);
}

void rst_files_restored(struct rst_ctx *ctx)
{
	rst_links_unlink(ctx->files->ghosts, ctx->files);
}

void rst_files_free(struct rst_ctx *ctx)
{
	struct rst_files *rf = ctx->files;

	if (!rf)
		return;
	img_entries_free(rf->entries, rf->nr);
	rst_pipes_free(&rf->pipes);
	rst_pipes_free(&rf->fifos);
	rst_unix_free(&rf->unix_sks);
	rst_inet_free(&rf->inet_sks);
	rst_ghosts_free(rf->ghosts);
	free(rf->fds);
	free(rf->inherited);
	free(rf->used);
	free(rf->kept);
	free(rf);
	ctx->files = NULL;
}
