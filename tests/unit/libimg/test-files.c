// SPDX-License-Identifier: LGPL-2.1-or-later
/* Image folders and files: create, write, read back, modes, magics. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "img/img.h"
#include "pbfield.h"
#include "img-test.h"

static mode_t mode_of(int dirfd, const char *name)
{
	struct stat st;

	assert_int_equal(fstatat(dirfd, name, &st, 0), 0);
	return st.st_mode & 07777;
}

/* A pstree entry with @pid set, built through the kind's descriptor. */
static ProtobufCMessage *pstree_entry(const ProtobufCMessageDescriptor *desc, uint32_t pid)
{
	ProtobufCMessage *m = calloc(1, desc->sizeof_message);

	assert_non_null(m);
	protobuf_c_message_init(desc, m);
	assert_int_equal(pb_set_uint(m, "pid", pid), 0);
	assert_int_equal(pb_set_uint(m, "ppid", pid - 1), 0);
	assert_int_equal(pb_set_uint(m, "pgid", pid), 0);
	assert_int_equal(pb_set_uint(m, "sid", 1), 0);
	return m;
}

static void test_write_read_round_trip(void **state)
{
	char *tmp = make_tmpdir(), *path;
	ProtobufCMessage **all, *m;
	struct img_dir *dir;
	struct img_file *f;
	size_t n, i;
	uint64_t v;
	char blob[5];
	umask(022);

	assert_true(asprintf(&path, "%s/dump", tmp) > 0);
	dir = img_dir_open(path, IMG_DIR_CREATE);
	assert_non_null(dir);
	assert_int_equal(mode_of(AT_FDCWD, path), 0700);

	f = img_file_open(dir, "PSTREE", 0, IMG_WRITE);
	assert_non_null(f);
	assert_string_equal(img_file_name(f), "pstree.img");
	for (i = 0; i < 3; i++) {
		m = pstree_entry(img_file_next_desc(f), 100 + i);
		assert_int_equal(img_file_write_entry(f, m), 0);
		free(m);
	}
	assert_int_equal(img_file_write_blob(f, "", 0), 0);
	assert_int_equal(img_file_close(f), 0);
	assert_int_equal(mode_of(img_dir_fd(dir), "pstree.img"), 0600);

	f = img_file_open(dir, "PSTREE", 0, IMG_READ);
	assert_non_null(f);
	assert_string_equal(img_file_kind(f), "PSTREE");
	assert_int_equal(img_file_offset(f), 8);
	assert_int_equal(img_file_read_all(f, &all, &n), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_true(pb_get_uint(all[i], "pid", &v));
		assert_int_equal(v, 100 + i);
	}
	img_entries_free(all, n);
	assert_int_equal(img_file_read_entry(f, NULL, &m), 0);
	assert_int_equal(img_file_read_blob(f, blob, 1), -ENODATA);
	assert_int_equal(img_file_close(f), 0);

	/* The inventory has its own magic only; stats start with the service one. */
	f = img_file_open(dir, "INVENTORY", 0, IMG_WRITE);
	assert_int_equal(img_file_offset(f), 4);
	assert_int_equal(img_file_close(f), 0);
	f = img_file_open(dir, "STATS", 0, IMG_WRITE);
	assert_non_null(f);
	assert_int_equal(img_file_close(f), 0);
	f = img_file_open_fd(openat(img_dir_fd(dir), "stats-dump", O_RDONLY), "stats-dump", NULL,
			     IMG_READ);
	assert_non_null(f);
	assert_string_equal(img_file_kind(f), "STATS");
	img_file_close(f);

	img_dir_close(dir);
	rm_tree(tmp);
	free(path);
	free(tmp);
}

static void test_dir_by_fd(void **state)
{
	char *tmp = make_tmpdir();
	int fd = open(tmp, O_RDONLY | O_DIRECTORY);
	struct img_dir *dir = img_dir_open_fd(fd);
	struct img_file *f;

	assert_non_null(dir);
	/* The folder keeps its own fd: the caller's may go. */
	close(fd);
	f = img_file_open(dir, "CORE", 42, IMG_WRITE);
	assert_non_null(f);
	assert_string_equal(img_file_name(f), "core-42.img");
	assert_int_equal(img_file_close(f), 0);
	assert_int_equal(mode_of(img_dir_fd(dir), "core-42.img"), 0600);
	img_dir_close(dir);
	rm_tree(tmp);
	free(tmp);
}

static void test_open_errors(void **state)
{
	char *tmp = make_tmpdir();
	struct img_dir *dir;

	log_capture();
	assert_null(img_dir_open("/nonexistent/img-test", 0));
	assert_int_equal(errno, ENOENT);
	dir = img_dir_open(tmp, 0);
	assert_null(img_file_open(dir, "CORE", 1, IMG_READ));
	assert_int_equal(errno, ENOENT);
	assert_null(img_file_open(dir, "NO_SUCH_KIND", 1, IMG_READ));
	assert_int_equal(errno, ENOENT);
	assert_non_null(strstr(log_text(), "NO_SUCH_KIND"));
	img_dir_close(dir);
	rm_tree(tmp);
	free(tmp);
}

/* Reading fixture entries through the API, not the JSON. */
static void test_read_fixture(void **state)
{
	char *path = fixture_path("tree");
	struct img_dir *dir = img_dir_open(path, 0);
	ProtobufCMessage **all;
	struct img_file *f;
	uint64_t pid;
	size_t n;

	assert_non_null(dir);
	f = img_file_open(dir, "PSTREE", 0, IMG_READ);
	assert_non_null(f);
	assert_int_equal(img_file_read_all(f, &all, &n), 0);
	assert_int_equal(n, 4);
	assert_true(pb_get_uint(all[0], "pid", &pid));
	assert_int_equal(pid, 24156);
	img_entries_free(all, n);
	img_file_close(f);
	img_dir_close(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_read_round_trip),
		cmocka_unit_test(test_dir_by_fd),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_read_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
