// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crtool x DIR mems: each task's memory areas (mm-PID.img), and
 * crtool x DIR rss: how many pages of each area the dump holds
 * (pagemap-PID.img's present runs).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "mm.pb-c.h"

#include "dump-files.h"
#include "dump-print.h"
#include "log.h"
#include "vma-describe.h"

typedef int (*mm_fn)(struct dump *d, const struct dump_files *fs, const struct dump_task *t,
		     const MmEntry *mm);

/* Run @fn on the mm of every task that has one (zombies have none). */
static int for_each_mm(struct dump *d, mm_fn fn)
{
	struct dump_files fs;
	ProtobufCMessage *m;
	size_t i;
	int ret = dump_files_load(d, &fs);

	for (i = 0; !ret && i < d->nr_tasks; i++) {
		dump_print_task(&d->tasks[i]);
		if (d->tasks[i].state == DUMP_TASK_DEAD)
			continue;
		ret = dump_read_single(d, "MM", d->tasks[i].pid, &mm_entry__descriptor, &m);
		if (ret < 0)
			break;
		ret = fn(d, &fs, &d->tasks[i], (const MmEntry *)m);
		protobuf_c_message_free_unpacked(m, NULL);
	}
	dump_files_free(&fs);
	return ret;
}

static int print_mems(struct dump *d, const struct dump_files *fs, const struct dump_task *t,
		      const MmEntry *mm)
{
	char line[DUMP_LINE_MAX];
	size_t i;

	printf("  exe %s\n", dump_file_describe(fs, mm->exe_file_id, line, sizeof(line)));
	for (i = 0; i < mm->n_vmas; i++)
		printf("  %s\n", vma_describe(mm->vmas[i], mm, fs, line, sizeof(line)));
	return 0;
}

int dump_print_mems(struct dump *d)
{
	return for_each_mm(d, print_mems);
}

/* Add the pages of @run to the areas they fall in; what falls in none to *@outside. */
static void count_run(const MmEntry *mm, const struct img_page_run *run, uint64_t *pages,
		      uint64_t *outside)
{
	uint64_t start = run->vaddr, end = run->vaddr + run->nr_pages * IMG_PAGE_SIZE, in = 0;
	size_t i;

	for (i = 0; i < mm->n_vmas; i++) {
		const VmaEntry *v = mm->vmas[i];
		uint64_t lo = v->start > start ? v->start : start;
		uint64_t hi = v->end < end ? v->end : end;

		if (lo < hi) {
			pages[i] += (hi - lo) / IMG_PAGE_SIZE;
			in += (hi - lo) / IMG_PAGE_SIZE;
		}
	}
	*outside += run->nr_pages - (in < run->nr_pages ? in : run->nr_pages);
}

static int count_pages(struct dump *d, const struct dump_task *t, const MmEntry *mm,
		       uint64_t *pages, uint64_t *outside)
{
	struct img_pagemap *pm = img_pagemap_open(d->dir, t->pid);
	struct img_page_run run;
	int ret;

	if (!pm)
		return -errno;
	while ((ret = img_pagemap_next(pm, &run)) > 0) {
		if (!(run.flags & IMG_PE_PRESENT))
			continue;
		if (run.nr_pages > (UINT64_MAX - run.vaddr) / IMG_PAGE_SIZE) {
			pr_err("pagemap-%u.img: a run of %llu pages at 0x%llx wraps around",
			       t->pid, (unsigned long long)run.nr_pages,
			       (unsigned long long)run.vaddr);
			ret = -ERANGE;
			break;
		}
		count_run(mm, &run, pages, outside);
	}
	img_pagemap_close(pm);
	return ret;
}

static int print_rss(struct dump *d, const struct dump_files *fs, const struct dump_task *t,
		     const MmEntry *mm)
{
	uint64_t *pages = calloc(mm->n_vmas + 1, sizeof(*pages)), outside = 0, total = 0;
	char line[DUMP_LINE_MAX];
	size_t i;
	int ret;

	if (!pages)
		return -ENOMEM;
	ret = count_pages(d, t, mm, pages, &outside);
	for (i = 0; !ret && i < mm->n_vmas; i++) {
		printf("%9llu  %s\n", (unsigned long long)pages[i],
		       vma_describe(mm->vmas[i], mm, fs, line, sizeof(line)));
		total += pages[i];
	}
	if (!ret && outside)
		printf("%9llu  (outside every area)\n", (unsigned long long)outside);
	if (!ret)
		printf("%9llu  pages in all\n", (unsigned long long)(total + outside));
	free(pages);
	return ret;
}

int dump_print_rss(struct dump *d)
{
	return for_each_mm(d, print_rss);
}
