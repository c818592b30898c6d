/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Streaming a task's private pages into pagemap-PID.img and pages-N.img:
 * the pages worth keeping are found with PAGEMAP_SCAN and moved, in runs,
 * through a pipe from the task (page-pipe.h); areas the task cannot read
 * itself, or a task that cannot have the pipe, are copied through a bounded
 * buffer from /proc/PID/mem. A check-only dump records the runs without
 * data (no IMG_PE_PRESENT): the restore counts them.
 */
#ifndef CR_DUMP_PAGES_H
#define CR_DUMP_PAGES_H

#include <stdbool.h>
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
 * page still shared with a file. Mappings must come in address order;
 * @readable: the task may read the mapping itself (PROT_READ).
 * 0 or a negative errno.
 */
int page_dumper_add(struct page_dumper *pd, uint64_t start, uint64_t end, bool readable);

/* Finish both files and free @pd. 0 or the first negative errno. */
int page_dumper_close(struct page_dumper *pd);

#endif
