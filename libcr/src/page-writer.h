/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Page data written by a thread of its own, so that reading the next run of
 * a task's memory overlaps with writing the last one into the images: two
 * buffers, one being filled here while the other is written there.
 */
#ifndef CR_PAGE_WRITER_H
#define CR_PAGE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "img/pagemap.h"

struct page_writer;

/* Start writing into @w with buffers of @size bytes: NULL with errno on failure. */
struct page_writer *page_writer_start(struct img_pagemap_writer *w, size_t size);

/*
 * The next buffer to fill, once the writer is done with it; NULL after the
 * writer failed (page_writer_stop() says why).
 */
void *page_writer_buffer(struct page_writer *pw);

/* Queue the buffer page_writer_buffer() gave: @len bytes of the pages at @vaddr. */
void page_writer_submit(struct page_writer *pw, uint64_t vaddr, size_t len);

/* Write what is queued, end the thread, free @pw: 0 or the first negative errno. */
int page_writer_stop(struct page_writer *pw);

#endif
