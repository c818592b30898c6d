// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Open files whose last link is gone ("ghosts"). Each unlinked inode is
 * saved once, small ones only, in ghost-file-N.img (its owner, mode and
 * times, then its bytes: whole, or for a file with holes its data runs as
 * chunks); remap-fpath.img tells which REG entry of files.img is to be
 * opened through which ghost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
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

/* Copy bytes @off to @end of @rd into @img. */
static int copy_range(struct img_file *img, int rd, uint64_t off, uint64_t end)
{
	static char buf[65536];
	int ret = 0;
	ssize_t n;

	for (; off < end && !ret; off += n) {
		n = pread(rd, buf, end - off < sizeof(buf) ? end - off : sizeof(buf), off);
		if (n <= 0)
			ret = n ? -errno : -EIO;
		else
			ret = img_file_write_blob(img, buf, n);
	}
	return ret;
}

/* Whether the filesystem reports a hole in the @size bytes of @rd. */
static bool has_hole(int rd, uint64_t size)
{
	off_t hole = lseek(rd, 0, SEEK_HOLE);

	return hole >= 0 && (uint64_t)hole < size;
}

/* The data of the @size bytes of @rd as chunks (an entry, then its bytes), holes left out. */
static int copy_chunks(struct img_file *img, int rd, uint64_t size)
{
	GhostChunkEntry ce = GHOST_CHUNK_ENTRY__INIT;
	off_t data, hole;
	int ret = 0;

	for (uint64_t off = 0; off < size && !ret; off = hole) {
		data = lseek(rd, off, SEEK_DATA);
		if (data < 0)
			return errno == ENXIO ? 0 : -errno;
		if ((uint64_t)data >= size)
			break;
		hole = lseek(rd, data, SEEK_HOLE);
		if (hole < 0)
			return -errno;
		if ((uint64_t)hole > size)
			hole = size;
		ce.off = data;
		ce.len = hole - data;
		ret = img_file_write_entry(img, &ce.base);
		if (!ret)
			ret = copy_range(img, rd, data, hole);
	}
	return ret;
}

/* The ghost entry of @st, then the bytes of our @fd (through a read-only open of ours). */
static int ghost_fill_image(struct img_file *img, int fd, const struct stat *st,
			    GhostFileEntry *gfe)
{
	char link[32];
	int rd, ret;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	rd = open(link, O_RDONLY | O_CLOEXEC);
	if (rd < 0)
		return -errno;
	if (has_hole(rd, st->st_size)) {
		gfe->has_chunks = gfe->chunks = true;
		gfe->has_size = true;
		gfe->size = st->st_size;
	}
	ret = img_file_write_entry(img, &gfe->base);
	if (!ret && gfe->chunks)
		ret = copy_chunks(img, rd, st->st_size);
	else if (!ret)
		ret = copy_range(img, rd, 0, st->st_size);
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
	ret = ghost_fill_image(img, fd, st, &gfe);
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
