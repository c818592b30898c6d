// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Shared memory objects on restore (restore-shmem.c): sized by the areas
 * that map them, filled from pagemap-shmem-ID.img, kept open at a service
 * fd until the tasks' memory is mapped; and every bad image rejected.
 */
#include <errno.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "img/pagemap.h"
#include "lib-log.h"
#include "img/vma.h"
#include "restore-files.h"
#include "restore-shmem.h"

#define PAGE IMG_PAGE_SIZE
#define PID 4242

struct fixture {
	char path[64];
	struct rst_ctx ctx;
	struct rst_task task;
	PstreeEntry pe;
	CoreEntry core, *cores[1];
	TaskCoreEntry tc;
};

static void log_to_stderr(int level, const char *file, int line, const char *msg, void *ctx)
{
	fprintf(stderr, "%s:%d: %s\n", file, line, msg);
}

static VmaEntry shared_vma(uint64_t start, uint64_t pages, uint64_t pgoff, uint64_t shmid)
{
	VmaEntry v = VMA_ENTRY__INIT;

	v.start = start;
	v.end = start + pages * PAGE;
	v.pgoff = pgoff;
	v.shmid = shmid;
	v.prot = PROT_READ | PROT_WRITE;
	v.flags = MAP_SHARED | MAP_ANONYMOUS;
	v.status = IMG_VMA_AREA_REGULAR | IMG_VMA_ANON_SHARED;
	v.fd = -1;
	return v;
}

/* A one-task tree whose mm image holds @vmas. */
static void setup(struct fixture *f, VmaEntry *vmas, size_t n)
{
	VmaEntry *vp[4];
	MmEntry mm = MM_ENTRY__INIT;

	cr_logger.fn = log_to_stderr;
	memset(f, 0, sizeof(*f));
	strcpy(f->path, "/tmp/crtool-rst-shmem-XXXXXX");
	assert_non_null(mkdtemp(f->path));
	f->ctx = (struct rst_ctx){.log_rd = -1, .log_wr = -1, .tasks = &f->task, .nr_tasks = 1};
	f->ctx.dir = img_dir_open(f->path, 0);
	assert_non_null(f->ctx.dir);
	pstree_entry__init(&f->pe);
	f->pe.pid = PID;
	core_entry__init(&f->core);
	task_core_entry__init(&f->tc);
	f->core.tc = &f->tc;
	f->cores[0] = &f->core;
	f->task = (struct rst_task){.pe = &f->pe, .cores = f->cores};
	for (size_t i = 0; i < n; i++)
		vp[i] = &vmas[i];
	mm.n_vmas = n;
	mm.vmas = vp;
	assert_int_equal(cr_img_write_one(f->ctx.dir, "MM", PID, &mm.base), 0);
	assert_int_equal(rst_files_load(&f->ctx), 0);
}

static void teardown(struct fixture *f)
{
	char cmd[128];

	rst_files_close_kept(&f->ctx);
	rst_shmem_free(&f->ctx);
	rst_files_free(&f->ctx);
	img_dir_close(f->ctx.dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->path);
	assert_int_equal(system(cmd), 0);
}

static struct img_pagemap_writer *pagemap(struct fixture *f, uint64_t shmid)
{
	struct img_pagemap_writer *w = img_pagemap_writer_open_shmem(f->ctx.dir, shmid, 1);

	assert_non_null(w);
	return w;
}

static void add_pages(struct img_pagemap_writer *w, uint64_t off, size_t n, char fill)
{
	static uint8_t buf[4 * PAGE];

	memset(buf, fill, n * PAGE);
	assert_int_equal(img_pagemap_writer_add_data(w, off, n, IMG_PE_PRESENT, buf), 0);
}

static void assert_page(int fd, uint64_t off, char want)
{
	uint8_t buf[PAGE];

	assert_int_equal(pread(fd, buf, PAGE, off), PAGE);
	for (size_t i = 0; i < PAGE; i++)
		assert_int_equal(buf[i], (uint8_t)want);
}

/* Two areas of object 5 reach 4 pages; a run beyond them is left out. */
static void test_object_filled(void **state)
{
	VmaEntry v[2] = {shared_vma(0x10000000, 2, 0, 5), shared_vma(0x20000000, 1, 3 * PAGE, 5)};
	struct img_pagemap_writer *w;
	struct fixture f;
	struct stat st;
	int fd;

	setup(&f, v, 2);
	w = pagemap(&f, 5);
	add_pages(w, 0, 1, 'a');
	add_pages(w, 3 * PAGE, 2, 'b');
	assert_int_equal(img_pagemap_writer_close(w), 0);
	assert_int_equal(rst_shmem_load(&f.ctx), 0);
	assert_int_equal(rst_shmem_open(&f.ctx), 0);

	fd = rst_shmem_fd(&f.ctx, 5);
	assert_true(fd >= f.ctx.service_fd_base);
	assert_int_equal(rst_shmem_fd(&f.ctx, 6), -ENOENT);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, 4 * PAGE);
	assert_page(fd, 0, 'a');
	assert_page(fd, 3 * PAGE, 'b');
	/* The pages no run holds stay holes, zero when read. */
	assert_int_equal(lseek(fd, PAGE, SEEK_DATA), 3 * PAGE);
	assert_page(fd, PAGE, 0);
	/* Gone once the task's memory is mapped. */
	rst_files_close_kept(&f.ctx);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	assert_int_equal(errno, EBADF);
	teardown(&f);
}

static void expect_load_fails(VmaEntry v, int err)
{
	struct fixture f;

	setup(&f, &v, 1);
	assert_int_equal(rst_shmem_load(&f.ctx), err);
	teardown(&f);
}

static void test_bad_areas(void **state)
{
	expect_load_fails(shared_vma(0x10000000, 1, 100, 5), -EINVAL);
	expect_load_fails(shared_vma(0x10000000, 1, 0, 1ULL << 32), -EINVAL);
	expect_load_fails(shared_vma(0x10000000, 1, UINT64_MAX & ~(uint64_t)(PAGE - 1), 5),
			  -EINVAL);
}

enum bad_pagemap { NO_PAGEMAP, UNALIGNED_RUN, HUGE_RUN, PARENT_RUN };

static void expect_open_fails(enum bad_pagemap bad, int err)
{
	VmaEntry v = shared_vma(0x10000000, 1, 0, 5);
	struct img_pagemap_writer *w = NULL;
	struct fixture f;

	setup(&f, &v, 1);
	if (bad != NO_PAGEMAP)
		w = pagemap(&f, 5);
	if (bad == UNALIGNED_RUN)
		add_pages(w, 100, 1, 'a');
	if (bad == HUGE_RUN)
		assert_int_equal(img_pagemap_writer_add_hole(w, PAGE, UINT64_MAX / PAGE, 0), 0);
	if (bad == PARENT_RUN)
		assert_int_equal(img_pagemap_writer_add_hole(w, 0, 1, IMG_PE_PARENT), 0);
	assert_int_equal(img_pagemap_writer_close(w), 0);
	assert_int_equal(rst_shmem_load(&f.ctx), 0);
	assert_int_equal(rst_shmem_open(&f.ctx), err);
	assert_int_equal(rst_shmem_fd(&f.ctx, 5), -ENOENT);
	teardown(&f);
}

static void test_bad_pagemaps(void **state)
{
	expect_open_fails(NO_PAGEMAP, -ENOENT);
	expect_open_fails(UNALIGNED_RUN, -EINVAL);
	expect_open_fails(HUGE_RUN, -EINVAL);
	expect_open_fails(PARENT_RUN, -EOPNOTSUPP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object_filled),
		cmocka_unit_test(test_bad_areas),
		cmocka_unit_test(test_bad_pagemaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
