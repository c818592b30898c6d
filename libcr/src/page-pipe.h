/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A task's pages moved into the images with one copy, as dd writes: the
 * task vmsplice()s runs of its memory into a pipe it holds for the length
 * of the dump (a remote syscall, so the pages are only referenced), and a
 * thread here splice()s them on into pages-N.img as they come. The pipe is
 * accounted to the task's user and the page cache to crtool: the task's
 * memory cgroup is never charged for its images.
 */
#ifndef CR_PAGE_PIPE_H
#define CR_PAGE_PIPE_H

#include <stddef.h>

#include "compel/compel.h"
#include "img/pagemap.h"
#include "pagemap-scan.h"

struct page_pipe;

/*
 * Open the pipe in task @ct (held, with a shared area of at least
 * page_pipe_room(@max_runs) bytes) and start the thread writing into @w.
 * NULL with errno when the task cannot have one (e.g. EMFILE there): the
 * caller copies through /proc/PID/mem instead.
 */
struct page_pipe *page_pipe_open(struct compel_task *ct, struct img_pagemap_writer *w,
				 size_t max_runs);

/* The shared area page_pipe_open() needs for batches of @max_runs runs. */
size_t page_pipe_room(size_t max_runs);

/*
 * Move the runs @runs[0..@n) (readable memory of the task, in address
 * order, @n at most the max_runs given at open) into the images as present
 * pages. 0 or a negative errno; after an error @pp can only be closed.
 */
int page_pipe_dump(struct page_pipe *pp, const struct page_region *runs, size_t n);

/* Close the task's end, stop the thread, free @pp: 0 or the first error. */
int page_pipe_close(struct page_pipe *pp);

#endif
