/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Streaming a task's private pages into pagemap-PID.img and pages-N.img:
 * the pages worth keeping are found with PAGEMAP_SCAN and copied through a
 * bounded buffer, in runs, from /proc/PID/mem. A check-only dump records
 * the runs without data (no IMG_PE_PRESENT): the restore counts them.
 */
#ifndef CR_DUMP_PAGES_H
#define CR_DUMP_PAGES_H

#include <stdint.h>

#include "dump.h"

/* The copy buffer: never more than this much of the task's memory here. */
#define DUMP_PAGES_BUF (4u << 20)

struct page_dumper;

/* Start the pagemap of @t with a new pages-N.img: NULL with errno on failure. */
struct page_dumper *page_dumper_open(struct dump_ctx *ctx, struct dump_task *t);

/*
 * Dump the pages of the private mapping [@start, @end) that the task wrote
 * to: present or swapped, neither the shared zero page nor a page cache
 * page still shared with a file. Mappings must come in address order.
 * 0 or a negative errno.
 */
int page_dumper_add(struct page_dumper *pd, uint64_t start, uint64_t end);

/* Finish both files and free @pd. 0 or the first negative errno. */
int page_dumper_close(struct page_dumper *pd);

#endif
