// SPDX-License-Identifier: LGPL-2.1-or-later
/* Page data: the pagemap writer (memory and pipe sources) and reader. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "img/img.h"
#include "img-test.h"

#define PG IMG_PAGE_SIZE

static void fill(char *buf, size_t pages, char seed)
{
	size_t i;

	for (i = 0; i < pages * PG; i++)
		buf[i] = seed + i * 7 % 251;
}

static void expect_run(struct img_pagemap *pm, uint64_t vaddr, uint64_t nr, unsigned int flags,
		       uint64_t off)
{
	struct img_page_run run;

	assert_int_equal(img_pagemap_next(pm, &run), 1);
	assert_true(run.vaddr == vaddr);
	assert_int_equal(run.nr_pages, nr);
	assert_int_equal(run.flags, flags);
	if (flags & IMG_PE_PRESENT)
		assert_int_equal(run.pages_off, off);
}

static void write_sample(struct img_dir *dir, char *a, char *b)
{
	struct img_pagemap_writer *w = img_pagemap_writer_open(dir, 7, 3);
	struct iovec iov = { b, 2 * PG };
	int p[2];

	assert_non_null(w);
	assert_int_equal(img_pagemap_writer_add_data(w, 0x10000, 2, IMG_PE_PRESENT, a), 0);
	/* Adjacent, same flags: one entry of 3 pages. */
	assert_int_equal(img_pagemap_writer_add_data(w, 0x12000, 1, IMG_PE_PRESENT, a + 2 * PG), 0);
	assert_int_equal(img_pagemap_writer_add_hole(w, 0x20000, 4, IMG_PE_PARENT), 0);
	assert_int_equal(img_pagemap_writer_add_hole(w, 0x20000, 1, IMG_PE_PRESENT), -EINVAL);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(vmsplice(p[1], &iov, 1, 0), 2 * PG);
	assert_int_equal(img_pagemap_writer_add_pipe(w, 0x30000, 2, IMG_PE_PRESENT | IMG_PE_LAZY, p[0]), 0);
	close(p[0]);
	close(p[1]);
	assert_int_equal(img_pagemap_writer_close(w), 0);
}

static void test_write_then_read(void **state)
{
	char *tmp = make_tmpdir(), *a = malloc(3 * PG), *b = malloc(2 * PG), *back = malloc(3 * PG);
	struct img_dir *dir = img_dir_open(tmp, 0);
	struct img_page_run run;
	struct img_pagemap *pm;
	struct stat st;

	fill(a, 3, 1);
	fill(b, 2, 99);
	write_sample(dir, a, b);
	assert_int_equal(fstatat(img_dir_fd(dir), "pages-3.img", &st, 0), 0);
	assert_int_equal(st.st_size, 5 * PG);
	assert_int_equal(st.st_mode & 0777, 0600);

	pm = img_pagemap_open(dir, 7);
	assert_non_null(pm);
	assert_int_equal(img_pagemap_pages_id(pm), 3);
	assert_true(img_pagemap_pages_fd(pm) >= 0);
	expect_run(pm, 0x10000, 3, IMG_PE_PRESENT, 0);
	expect_run(pm, 0x20000, 4, IMG_PE_PARENT, 0);
	expect_run(pm, 0x30000, 2, IMG_PE_PRESENT | IMG_PE_LAZY, 3 * PG);
	assert_int_equal(img_pagemap_next(pm, &run), 0);
	run.pages_off = 0;
	run.nr_pages = 3;
	run.flags = IMG_PE_PRESENT;
	assert_int_equal(img_pagemap_read_run(pm, &run, back), 0);
	assert_memory_equal(back, a, 3 * PG);
	run.pages_off = 3 * PG;
	run.nr_pages = 2;
	assert_int_equal(img_pagemap_read_run(pm, &run, back), 0);
	assert_memory_equal(back, b, 2 * PG);
	img_pagemap_close(pm);

	/* Lose the last page: the last run now points outside the pages file. */
	assert_int_equal(truncate(strcat(strcpy(back, tmp), "/pages-3.img"), 4 * PG), 0);
	log_capture();
	pm = img_pagemap_open(dir, 7);
	expect_run(pm, 0x10000, 3, IMG_PE_PRESENT, 0);
	expect_run(pm, 0x20000, 4, IMG_PE_PARENT, 0);
	assert_int_equal(img_pagemap_next(pm, &run), -ERANGE);
	assert_non_null(strstr(log_text(), "pagemap-7.img: entry at offset"));
	assert_non_null(strstr(log_text(), "past the end of pages-3.img"));
	img_pagemap_close(pm);

	img_dir_close(dir);
	rm_tree(tmp);
	free(tmp);
	free(a);
	free(b);
	free(back);
}

/* What the writer wrote reads as CRIU's image tool would print it. */
static void test_written_pagemap_json(void **state)
{
	char *tmp = make_tmpdir(), *a = calloc(3, PG), *b = calloc(2, PG), *json;
	struct img_dir *dir = img_dir_open(tmp, 0);
	int in, out = memfd_with("", 0);
	size_t len;

	write_sample(dir, a, b);
	in = openat(img_dir_fd(dir), "pagemap-7.img", O_RDONLY);
	assert_int_equal(img_json_decode(in, "pagemap-7.img", out, IMG_JSON_PRETTY), 0);
	json = fd_content(out, &len);
	assert_non_null(strstr(json, "\"pages_id\": 3"));
	assert_non_null(strstr(json, "\"vaddr\": \"0x30000\""));
	assert_non_null(strstr(json, "\"flags\": \"PE_LAZY | PE_PRESENT\""));
	assert_non_null(strstr(json, "\"flags\": \"PE_PARENT\""));
	free(json);
	close(in);
	close(out);
	img_dir_close(dir);
	rm_tree(tmp);
	free(tmp);
	free(a);
	free(b);
}

/* CRIU's own pagemaps: the present runs fill their pages files exactly. */
static void test_fixture_pagemaps(void **state)
{
	static const struct { const char *set; unsigned long id; } maps[] = {
		{ "fdzoo", 23897 }, { "tcp", 24123 }, { "tree", 24156 }, { "tree", 24159 }, { "tree", 24160 },
	};
	struct img_page_run run;
	struct img_pagemap *pm;
	struct img_dir *dir;
	uint64_t end;
	struct stat st;
	size_t i, runs;
	char *path;
	int ret;

	for (i = 0; i < sizeof(maps) / sizeof(maps[0]); i++) {
		path = fixture_path(maps[i].set);
		dir = img_dir_open(path, 0);
		pm = img_pagemap_open(dir, maps[i].id);
		assert_non_null(pm);
		end = 0;
		runs = 0;
		while ((ret = img_pagemap_next(pm, &run)) > 0) {
			runs++;
			if (run.flags & IMG_PE_PRESENT) {
				assert_int_equal(run.pages_off, end);
				end += run.nr_pages * PG;
			}
		}
		assert_int_equal(ret, 0);
		assert_true(runs > 0);
		assert_int_equal(fstat(img_pagemap_pages_fd(pm), &st), 0);
		assert_int_equal(end, st.st_size);
		img_pagemap_close(pm);
		img_dir_close(dir);
		free(path);
	}
}

/* Shared memory has its own pagemaps, with the same magic as tasks'. */
static void test_fixture_shmem_pagemap(void **state)
{
	char *path = fixture_path("fdzoo");
	struct img_dir *dir = img_dir_open(path, 0);
	struct img_pagemap *pm = img_pagemap_open_shmem(dir, 2888);
	struct img_page_run run;

	assert_non_null(pm);
	assert_int_equal(img_pagemap_pages_id(pm), 2);
	expect_run(pm, 0, 1, IMG_PE_PRESENT, 0);
	assert_int_equal(img_pagemap_next(pm, &run), 0);
	img_pagemap_close(pm);
	/* Only pagemap-shmem-ID.img files count, not the task pagemap of that id. */
	assert_null(img_pagemap_open_shmem(dir, 23897));
	img_dir_close(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_then_read),
		cmocka_unit_test(test_written_pagemap_json),
		cmocka_unit_test(test_fixture_pagemaps),
		cmocka_unit_test(test_fixture_shmem_pagemap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
