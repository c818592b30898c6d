// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "compel/compel.h"
#include "cr/cr.h"
#include "dump-pages.h"
#include "lib-log.h"
#include "page-pipe.h"
#include "proc-file.h"

/* Runs found per PAGEMAP_SCAN call. */
#define SCAN_REGIONS 512

struct page_dumper {
	struct img_pagemap_writer *w;
	struct compel_task *ct;
	pid_t pid;
	int pagemap_fd;
	bool runs_only;		/* check-only: record the runs, copy no data */
	struct page_pipe *pp;	/* NULL: copies go through buf */
	void *buf;
	struct page_region regions[SCAN_REGIONS];
};

/* The pipe from the task, or else a buffer for /proc/PID/mem. */
static void start_copying(struct page_dumper *pd)
{
	int ret = 0;

	if (!compel_task_shared_size(pd->ct))
		ret = compel_task_map_shared(pd->ct, page_pipe_room(SCAN_REGIONS));
	if (!ret) {
		pd->pp = page_pipe_open(pd->ct, pd->w, SCAN_REGIONS);
		ret = pd->pp ? 0 : -errno;
	}
	if (ret)
		pr_info("pages of %d copied through /proc: no page pipe (%s)", pd->pid,
			strerror(-ret));
}

struct page_dumper *page_dumper_open(struct dump_ctx *ctx, struct dump_task *t)
{
	struct page_dumper *pd = calloc(1, sizeof(*pd));
	int err;

	if (!pd)
		return NULL;
	pd->ct = t->ct;
	pd->pid = t->pt->pid;
	pd->runs_only = ctx->flags & CR_DUMP_CHECK_ONLY;
	pd->pagemap_fd = proc_open(pd->pid, "pagemap", O_RDONLY);
	if (pd->pagemap_fd < 0) {
		err = -pd->pagemap_fd;
		goto fail;
	}
	pd->w = img_pagemap_writer_open(ctx->dir, pd->pid, ctx->next_pages_id);
	if (!pd->w) {
		err = errno;
		pr_err("cannot create the pagemap of %d: %s", pd->pid, strerror(err));
		goto fail;
	}
	ctx->next_pages_id++;
	if (!pd->runs_only)
		start_copying(pd);
	return pd;
fail:
	if (pd->pagemap_fd >= 0)
		close(pd->pagemap_fd);
	free(pd);
	errno = err;
	return NULL;
}

/* Copy the run [@start, @end) through /proc/PID/mem into the images. */
static int copy_run(struct page_dumper *pd, uint64_t start, uint64_t end)
{
	uint64_t len;
	int ret;

	if (!pd->buf) {
		pd->buf = malloc(DUMP_PAGES_BUF);
		if (!pd->buf)
			return -ENOMEM;
	}
	for (; start < end; start += len) {
		len = end - start < DUMP_PAGES_BUF ? end - start : DUMP_PAGES_BUF;
		ret = compel_task_mem_read(pd->ct, start, pd->buf, len);
		if (ret) {
			pr_err("cannot read %#llx-%#llx of %d: %s", (unsigned long long)start,
			       (unsigned long long)(start + len), pd->pid, strerror(-ret));
			return ret;
		}
		ret = img_pagemap_writer_add_data(pd->w, start, len / IMG_PAGE_SIZE,
						  IMG_PE_PRESENT, pd->buf);
		if (ret)
			return ret;
	}
	return 0;
}

/* The runs found, into the images. */
static int dump_runs(struct page_dumper *pd, size_t n, bool readable)
{
	int ret = 0;
	size_t i;

	if (!pd->runs_only && pd->pp && readable)
		return page_pipe_dump(pd->pp, pd->regions, n);
	for (i = 0; i < n && !ret; i++) {
		const struct page_region *r = &pd->regions[i];

		/* A run without IMG_PE_PRESENT: its pages counted, not dumped. */
		ret = pd->runs_only ? img_pagemap_writer_add_hole(pd->w, r->start,
								   (r->end - r->start) /
									   IMG_PAGE_SIZE,
								   0) :
				      copy_run(pd, r->start, r->end);
	}
	return ret;
}

int page_dumper_add(struct page_dumper *pd, uint64_t start, uint64_t end, bool readable)
{
	struct pm_scan_arg arg;
	long n;
	int ret;

	while (start < end) {
		memset(&arg, 0, sizeof(arg));
		arg.size = sizeof(arg);
		arg.start = start;
		arg.end = end;
		arg.vec = (uintptr_t)pd->regions;
		arg.vec_len = SCAN_REGIONS;
		/* Written pages: not a file's page, not the zero page, and there. */
		arg.category_inverted = PAGE_IS_FILE | PAGE_IS_PFNZERO;
		arg.category_mask = PAGE_IS_FILE | PAGE_IS_PFNZERO;
		arg.category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED;
		arg.return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED;
		n = ioctl(pd->pagemap_fd, PAGEMAP_SCAN, &arg);
		if (n < 0) {
			ret = -errno;
			pr_err("PAGEMAP_SCAN of %#llx-%#llx in %d: %s", (unsigned long long)start,
			       (unsigned long long)end, pd->pid, strerror(-ret));
			return ret;
		}
		ret = dump_runs(pd, (size_t)n, readable);
		if (ret)
			return ret;
		if (arg.walk_end <= start)
			return -EIO;
		start = arg.walk_end;
	}
	return 0;
}

int page_dumper_close(struct page_dumper *pd)
{
	int ret, ret2;

	if (!pd)
		return 0;
	ret = page_pipe_close(pd->pp);
	ret2 = img_pagemap_writer_close(pd->w);
	if (!ret)
		ret = ret2;
	close(pd->pagemap_fd);
	free(pd->buf);
	free(pd);
	return ret;
}
