/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The commands of the page parasite (pie/page-parasite.c), which runs in a
 * task being dumped and feeds its pages into the page pipe (page-pipe.c),
 * so that no ptrace round trip is needed per pipeful.
 */
#ifndef CR_PAGE_PARASITE_H
#define CR_PAGE_PARASITE_H

#include <stdint.h>

enum page_parasite_cmd {
	/* Make the pipe: its read end sent to crtool, the write end's fd the reply (int32). */
	PAGE_PARASITE_PIPE = 1,
	/* vmsplice() every run of a struct page_runs into the pipe, blocking as it fills. */
	PAGE_PARASITE_SPLICE,
};

/* The most a caller without CAP_SYS_RESOURCE may give a pipe (pipe-max-size's default). */
#define PAGE_PIPE_SIZE (1 << 20)

/* Runs of the task's memory, as struct iovec: start and length. */
struct page_run {
	uint64_t start, len;
};

struct page_runs {
	int32_t fd;	/* the pipe's write end */
	uint32_t nr;
	struct page_run runs[];
};

#endif
