// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "array.h"
#include "img/pagemap.h"
#include "img/vma.h"
#include "lib-log.h"
#include "proc-maps.h"
#include "restore-files.h"
#include "restore-mem.h"
#include "restore-shmem.h"
#include "restore-tree.h"

#define PAGE IMG_PAGE_SIZE
/* Bounds on what an image may ask for: objects, and the size of one. */
#define SHMEM_MAX_OBJECTS (1u << 16)
#define SHMEM_MAX_SIZE (1ULL << 47)

struct rst_shmem_obj {
	uint64_t shmid;
	uint64_t size; /* the furthest pgoff + length an area maps */
	int fd;	       /* from rst_shmem_open() on, -1 before */
};

struct rst_shmem {
	struct rst_shmem_obj *objs;
	size_t nr, cap;
};

static struct rst_shmem_obj *find_obj(const struct rst_shmem *sh, uint64_t shmid)
{
	for (size_t i = 0; sh && i < sh->nr; i++)
		if (sh->objs[i].shmid == shmid)
			return &sh->objs[i];
	return NULL;
}

static int note_area(struct rst_shmem *sh, const VmaEntry *v)
{
	uint64_t len = v->end - v->start;
	struct rst_shmem_obj *o;
	int ret;

	if (v->start >= v->end || len % PAGE || v->pgoff % PAGE || v->shmid > UINT32_MAX ||
	    len > SHMEM_MAX_SIZE || v->pgoff > SHMEM_MAX_SIZE - len) {
		pr_err("mm: bad shared memory area %#" PRIx64 "-%#" PRIx64 " (shmid %" PRIu64
		       ", offset %#" PRIx64 ")",
		       v->start, v->end, v->shmid, v->pgoff);
		return -EINVAL;
	}
	o = find_obj(sh, v->shmid);
	if (!o) {
		ret = array_grow((void **)&sh->objs, &sh->cap, sh->nr, sizeof(*sh->objs),
				 SHMEM_MAX_OBJECTS);
		if (ret)
			return ret;
		o = &sh->objs[sh->nr++];
		*o = (struct rst_shmem_obj){.shmid = v->shmid, .fd = -1};
	}
	if (v->pgoff + len > o->size)
		o->size = v->pgoff + len;
	return 0;
}

static int load_task(struct rst_ctx *ctx, struct rst_task *t)
{
	MmEntry *mm;
	int ret;

	ret = rst_task_mm(ctx, t, &mm);
	for (size_t i = 0; !ret && i < mm->n_vmas; i++)
		if (mm->vmas[i]->status & IMG_VMA_ANON_SHARED)
			ret = note_area(ctx->shmem, mm->vmas[i]);
	return ret;
}

int rst_shmem_load(struct rst_ctx *ctx)
{
	int ret = 0;

	ctx->shmem = calloc(1, sizeof(*ctx->shmem));
	if (!ctx->shmem)
		return -ENOMEM;
	for (size_t i = 0; i < ctx->nr_tasks && !ret; i++)
		if (!rst_task_is_zombie(&ctx->tasks[i]))
			ret = load_task(ctx, &ctx->tasks[i]);
	return ret;
}

/* Put the dumped pages of @o into its memory at @mem. */
static int fill(struct img_dir *dir, const struct rst_shmem_obj *o, uint8_t *mem)
{
	struct img_pagemap *pm = img_pagemap_open_shmem(dir, o->shmid);
	struct img_page_run run;
	int ret;

	if (!pm) {
		ret = -errno;
		pr_err("cannot open the pagemap of shared memory %" PRIu64 ": %s", o->shmid,
		       strerror(-ret));
		return ret;
	}
	while ((ret = img_pagemap_next(pm, &run)) > 0) {
		ret = rst_page_run_check(&run, SHMEM_MAX_SIZE, "shared memory");
		if (ret)
			break;
		/* Pages past the end of every area: no restored task could see them. */
		if (!(run.flags & IMG_PE_PRESENT) || run.vaddr >= o->size)
			continue;
		if (run.nr_pages > (o->size - run.vaddr) / PAGE)
			run.nr_pages = (o->size - run.vaddr) / PAGE;
		ret = img_pagemap_read_run(pm, &run, mem + run.vaddr);
		if (ret)
			break;
	}
	img_pagemap_close(pm);
	return ret;
}

/*
 * A MAP_SHARED | MAP_ANONYMOUS area of our own makes the object, so the
 * restored areas are what the dumped ones were ("/dev/zero (deleted)" in
 * maps); its fd comes from map_files, as the dump's did.
 */
static int open_obj(struct rst_ctx *ctx, struct rst_shmem_obj *o)
{
	struct proc_vma area = {0};
	void *mem;
	int fd, ret;

	mem = mmap(NULL, o->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		ret = -errno;
		goto fail;
	}
	ret = ctx->flags & CR_RESTORE_CHECK_ONLY ? 0 : fill(ctx->dir, o, mem);
	area.start = (uintptr_t)mem;
	area.end = area.start + o->size;
	fd = ret ? ret : proc_vma_open_file(getpid(), &area, O_RDWR);
	munmap(mem, o->size);
	ret = fd < 0 ? fd : rst_files_keep_fd(ctx, fd);
	if (ret < 0)
		goto fail;
	o->fd = ret;
	return 0;
fail:
	pr_err("cannot restore shared memory %" PRIu64 " (%" PRIu64 " bytes): %s", o->shmid,
	       o->size, strerror(-ret));
	return ret;
}

int rst_shmem_open(struct rst_ctx *ctx)
{
	int ret = 0;

	for (size_t i = 0; ctx->shmem && i < ctx->shmem->nr && !ret; i++)
		ret = open_obj(ctx, &ctx->shmem->objs[i]);
	return ret;
}

int rst_shmem_fd(const struct rst_ctx *ctx, uint64_t shmid)
{
	const struct rst_shmem_obj *o = find_obj(ctx->shmem, shmid);

	if (!o || o->fd < 0) {
		pr_err("shared memory %" PRIu64 " was not restored", shmid);
		return -ENOENT;
	}
	return o->fd;
}

void rst_shmem_free(struct rst_ctx *ctx)
{
	if (!ctx->shmem)
		return;
	free(ctx->shmem->objs);
	free(ctx->shmem);
	ctx->shmem = NULL;
}
