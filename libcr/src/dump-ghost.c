// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Open files whose last link is gone ("ghosts"). Each unlinked inode is
 * saved once, small ones only, in ghost-file-N.img (its owner, mode and
 * times, then its bytes); remap-fpath.img tells which REG entry of
 * files.img is to be opened through which ghost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "array.h"
#include "dump-ghost.h"
#include "lib-log.h"

/* The kernel's own dev_t layout, as CRIU's ghost images record it. */
#define KDEV(dev) ((major(dev) << 20) | minor(dev))

struct ghost {
	dev_t dev;
	ino_t ino;
	uint32_t id;
};

struct dump_ghosts {
	struct ghost *v;
	size_t nr, cap;
	struct img_file *remap;	/* remap-fpath.img */
};

/* Copy the @size bytes of our @fd into @img (through a read-only open of ours). */
static int ghost_copy(struct img_file *img, int fd, uint64_t size)
{
	static char buf[65536];
	char link[32];
	uint64_t off;
	int rd, ret = 0;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	rd = open(link, O_RDONLY | O_CLOEXEC);
	if (rd < 0)
		return -errno;
	for (off = 0; off < size && !ret; off += n) {
		n = pread(rd, buf, size - off < sizeof(buf) ? size - off : sizeof(buf), off);
		if (n <= 0)
			ret = n ? -errno : -EIO;
		else
			ret = img_file_write_blob(img, buf, n);
	}
	close(rd);
	return ret;
}

static int ghost_write(struct dump_ctx *ctx, int fd, const struct stat *st, uint32_t id)
{
	GhostFileEntry gfe = GHOST_FILE_ENTRY__INIT;
	Timeval atim = TIMEVAL__INIT, mtim = TIMEVAL__INIT;
	struct img_file *img;
	int ret, ret2;

	gfe.uid = st->st_uid;
	gfe.gid = st->st_gid;
	gfe.mode = st->st_mode;
	gfe.has_dev = gfe.has_ino = true;
	gfe.dev = KDEV(st->st_dev);
	gfe.ino = st->st_ino;
	atim.tv_sec = st->st_atim.tv_sec;
	atim.tv_usec = st->st_atim.tv_nsec / 1000;
	mtim.tv_sec = st->st_mtim.tv_sec;
	mtim.tv_usec = st->st_mtim.tv_nsec / 1000;
	gfe.atim = &atim;
	gfe.mtim = &mtim;
	img = img_file_open(ctx->dir, "GHOST_FILE", id, IMG_WRITE);
	if (!img)
		return -errno;
	ret = img_file_write_entry(img, &gfe.base);
	if (!ret)
		ret = ghost_copy(img, fd, st->st_size);
	ret2 = img_file_close(img);
	return ret ? ret : ret2;
}

/* The ghost id of the inode of @st, its image written the first time. */
static int ghost_id(struct dump_ctx *ctx, int fd, const struct stat *st, uint32_t *id)
{
	struct dump_ghosts *g = ctx->ghosts;
	int ret;

	for (size_t i = 0; i < g->nr; i++) {
		if (g->v[i].dev == st->st_dev && g->v[i].ino == st->st_ino) {
			*id = g->v[i].id;
			return 0;
		}
	}
	ret = array_grow((void **)&g->v, &g->cap, g->nr, sizeof(*g->v), GHOSTS_MAX);
	if (ret)
		return ret;
	*id = g->nr + 1;
	ret = ghost_write(ctx, fd, st, *id);
	if (!ret)
		g->v[g->nr++] = (struct ghost){ st->st_dev, st->st_ino, *id };
	return ret;
}

/* ctx->ghosts, made the first time. */
static int ghosts_get(struct dump_ctx *ctx)
{
	if (!ctx->ghosts)
		ctx->ghosts = calloc(1, sizeof(*ctx->ghosts));
	return ctx->ghosts ? 0 : -ENOMEM;
}

int dump_ghost(struct dump_ctx *ctx, int fd, const struct stat *st, const char *path,
	       uint32_t reg_id)
{
	uint32_t ghost;
	int ret;

	if (!S_ISREG(st->st_mode) || st->st_nlink) {
		pr_err("%s is deleted: only open unlinked regular files are supported", path);
		return -EOPNOTSUPP;
	}
	if ((unsigned long long)st->st_size > ctx->ghost_limit) {
		pr_err("%s is deleted and holds %lld bytes, over the limit of %llu bytes on the "
		       "deleted files a dump saves (raise it with --ghost-limit)",
		       path, (long long)st->st_size, ctx->ghost_limit);
		return -EFBIG;
	}
	ret = ghosts_get(ctx);
	if (!ret)
		ret = ghost_id(ctx, fd, st, &ghost);
	if (!ret)
		ret = dump_remap_write(ctx, reg_id, ghost, REMAP_TYPE__GHOST);
	if (ret) {
		pr_err("cannot save the deleted file %s: %s", path, strerror(-ret));
		return ret;
	}
	pr_debug("%s (file %u) is deleted: ghost %u", path, reg_id, ghost);
	return 0;
}

int dump_remap_write(struct dump_ctx *ctx, uint32_t orig_id, uint32_t remap_id, RemapType type)
{
	RemapFilePathEntry rfe = REMAP_FILE_PATH_ENTRY__INIT;
	int ret = ghosts_get(ctx);

	if (!ret && !ctx->ghosts->remap) {
		ctx->ghosts->remap = img_file_open(ctx->dir, "REMAP_FPATH", 0, IMG_WRITE);
		if (!ctx->ghosts->remap)
			ret = -errno;
	}
	if (ret)
		return ret;
	rfe.orig_id = orig_id;
	rfe.remap_id = remap_id;
	rfe.has_remap_type = true;
	rfe.remap_type = type;
	return img_file_write_entry(ctx->ghosts->remap, &rfe.base);
}

int dump_ghosts_finish(struct dump_ctx *ctx)
{
	struct dump_ghosts *g = ctx->ghosts;
	int ret;

	if (!g)
		return 0;
	ret = img_file_close(g->remap);
	free(g->v);
	free(g);
	ctx->ghosts = NULL;
	return ret;
}
