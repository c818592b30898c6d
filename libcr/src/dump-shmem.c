// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Shared anonymous memory (MAP_SHARED | MAP_ANONYMOUS, also after fork):
 * one shmem object that areas of one or many tasks map. Its id is the
 * object's inode number; its pages, the whole object's that exist, go once
 * to pagemap-shmem-ID.img, each run at its offset in the object.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "cr/cr.h"
#include "dump-pages.h"
#include "dump-shmem.h"
#include "img/pagemap.h"
#include "lib-log.h"
#include "proc-maps.h"

/* Distinct objects one dump takes: far more than any tree maps. */
#define SHMEM_MAX_OBJECTS (1u << 16)

#define PAGE_DOWN(x) ((x) & ~((uint64_t)IMG_PAGE_SIZE - 1))
#define PAGE_UP(x) PAGE_DOWN((x) + IMG_PAGE_SIZE - 1)

/* Copy [@start, @end) of the object open as @fd through @buf into @w. */
static int copy_range(struct img_pagemap_writer *w, int fd, uint64_t start, uint64_t end,
		      unsigned char *buf)
{
	uint64_t len, got;
	ssize_t n;
	int ret;

	for (; start < end; start += len) {
		len = end - start < DUMP_PAGES_BUF ? end - start : DUMP_PAGES_BUF;
		for (got = 0; got < len; got += n) {
			n = pread(fd, buf + got, len - got, start + got);
			if (n <= 0)
				return n < 0 ? -errno : -EIO;
		}
		ret = img_pagemap_writer_add_data(w, start, len / IMG_PAGE_SIZE, IMG_PE_PRESENT,
						  buf);
		if (ret)
			return ret;
	}
	return 0;
}

/* The pages the object holds (in memory or swapped out): its data ranges. */
static int dump_object(struct dump_ctx *ctx, int fd, uint64_t shmid, uint64_t size)
{
	struct img_pagemap_writer *w;
	unsigned char *buf = malloc(DUMP_PAGES_BUF);
	off_t data, hole;
	uint64_t off;
	int ret = 0, ret2;

	if (!buf)
		return -ENOMEM;
	w = img_pagemap_writer_open_shmem(ctx->dir, shmid, ctx->next_pages_id);
	if (!w) {
		ret = -errno;
		pr_err("cannot create the pagemap of shared memory %llu: %s",
		       (unsigned long long)shmid, strerror(-ret));
		free(buf);
		return ret;
	}
	ctx->next_pages_id++;
	size = PAGE_UP(size);
	for (off = 0; off < size && !ret; off = hole) {
		data = lseek(fd, off, SEEK_DATA);
		if (data < 0 && errno == ENXIO)
			break;
		hole = data < 0 ? -1 : lseek(fd, data, SEEK_HOLE);
		if (hole < 0) {
			ret = -errno;
			break;
		}
		data = PAGE_DOWN(data);
		hole = PAGE_UP(hole) < size ? PAGE_UP(hole) : size;
		/* check-only: the runs without their data, as dump-pages.c does */
		if (ctx->flags & CR_DUMP_CHECK_ONLY)
			ret = img_pagemap_writer_add_hole(w, data, (hole - data) / IMG_PAGE_SIZE, 0);
		else
			ret = copy_range(w, fd, data, hole, buf);
	}
	if (ret)
		pr_err("cannot dump the pages of shared memory %llu: %s", (unsigned long long)shmid,
		       strerror(-ret));
	ret2 = img_pagemap_writer_close(w);
	free(buf);
	return ret ?: ret2;
}

static bool shmem_seen(const struct dump_ctx *ctx, uint64_t shmid)
{
	for (size_t i = 0; i < ctx->nr_shmem; i++)
		if (ctx->shmem_ids[i] == shmid)
			return true;
	return false;
}

int dump_shmem(struct dump_ctx *ctx, pid_t pid, const struct proc_vma *vma, uint64_t *shmid)
{
	struct stat st;
	int fd, ret;

	fd = proc_vma_open_file(pid, vma, O_RDONLY);
	if (fd < 0) {
		pr_err("%d: cannot open the shared memory at %#llx: %s", pid,
		       (unsigned long long)vma->start, strerror(-fd));
		return fd;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out;
	}
	*shmid = st.st_ino;
	ret = 0;
	if (shmem_seen(ctx, st.st_ino))
		goto out;
	/* pagemap-shmem-ID.img names hold 32 bits, as shmem inode numbers do. */
	ret = st.st_ino > UINT32_MAX ? -EOVERFLOW : 0;
	if (!ret)
		ret = array_grow((void **)&ctx->shmem_ids, &ctx->cap_shmem, ctx->nr_shmem,
				 sizeof(*ctx->shmem_ids), SHMEM_MAX_OBJECTS);
	if (ret) {
		pr_err("%d: cannot dump the shared memory at %#llx: %s", pid,
		       (unsigned long long)vma->start, strerror(-ret));
		goto out;
	}
	ctx->shmem_ids[ctx->nr_shmem++] = st.st_ino;
	ret = dump_object(ctx, fd, st.st_ino, st.st_size);
out:
	close(fd);
	return ret;
}
