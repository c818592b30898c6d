// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Which file of the images a descriptor handed in at restore replaces
 * (restore-inherit.c): external entries by their recorded key, which must
 * be given; pipes by pipe:[ID]; regular files and FIFOs by path, also
 * given relative to the root; the handed-in descriptors checked first.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "restore-inherit.h"

static struct cr_inherit_fd handed[] = {
	{ 0, "pipe:[7]" },
	{ 1, "tmp/log" },
	{ 2, "socket:[9]" },
};
static struct rst_ctx ctx = { .inherit_fds = handed, .nr_inherit_fds = 3 };

/* The fd rst_inherit_lookup() gives @fe, or the negative errno it returns. */
static int lookup(const FileEntry *fe, const char *fifo_path)
{
	int fd = -2, ret = rst_inherit_lookup(&ctx, fe, fifo_path, &fd);

	return ret ? ret : fd;
}

static void test_external(void **state)
{
	ExtFileEntry ext = EXT_FILE_ENTRY__INIT;
	FileEntry fe = FILE_ENTRY__INIT;

	fe.type = FD_TYPES__EXT;
	fe.ext = &ext;
	ext.inherit_key = "socket:[9]";
	assert_int_equal(lookup(&fe, NULL), 2);
	ext.inherit_key = "/tmp/log";
	assert_int_equal(lookup(&fe, NULL), 1);
	ext.inherit_key = "socket:[10]";
	assert_int_equal(lookup(&fe, NULL), -ENOENT);
	ext.inherit_key = NULL;
	assert_int_equal(lookup(&fe, NULL), -EOPNOTSUPP);
}

static void test_rebuilt_kinds(void **state)
{
	PipeEntry pipe = PIPE_ENTRY__INIT;
	RegFileEntry reg = REG_FILE_ENTRY__INIT;
	FileEntry fe = FILE_ENTRY__INIT;

	fe.type = FD_TYPES__PIPE;
	fe.pipe = &pipe;
	pipe.pipe_id = 7;
	assert_int_equal(lookup(&fe, NULL), 0);
	pipe.pipe_id = 77;
	assert_int_equal(lookup(&fe, NULL), -1);

	fe.type = FD_TYPES__REG;
	fe.pipe = NULL;
	fe.reg = &reg;
	reg.name = "/tmp/log";
	assert_int_equal(lookup(&fe, NULL), 1);
	reg.name = "/tmp/logs";
	assert_int_equal(lookup(&fe, NULL), -1);
	reg.name = "/x/tmp/log";
	assert_int_equal(lookup(&fe, NULL), -1);

	fe.type = FD_TYPES__FIFO;
	fe.reg = NULL;
	assert_int_equal(lookup(&fe, "/tmp/log"), 1);
	assert_int_equal(lookup(&fe, NULL), -1);

	/* A kind without a key is never handed in, nor required. */
	fe.type = FD_TYPES__UNIXSK;
	assert_int_equal(lookup(&fe, NULL), -1);
}

static void test_check(void **state)
{
	struct cr_inherit_fd bad = { -1, "pipe:[7]" };
	struct rst_ctx c = { .inherit_fds = handed, .nr_inherit_fds = 3 };
	int fd = dup(0);

	assert_int_equal(rst_inherit_check(&c), 0);
	c.inherit_fds = &bad;
	c.nr_inherit_fds = 1;
	assert_int_equal(rst_inherit_check(&c), -EBADF);
	assert_true(fd >= 0);
	close(fd);
	bad.fd = fd;
	assert_int_equal(rst_inherit_check(&c), -EBADF);
	bad.fd = 0;
	bad.key = "";
	assert_int_equal(rst_inherit_check(&c), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_external),
		cmocka_unit_test(test_rebuilt_kinds),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
