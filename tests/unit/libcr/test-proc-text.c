// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The record splitter, the number scanners and the children-file parser on
 * text samples: well formed, edge cases and garbage.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc-lines.h"
#include "proc-parse.h"
#include "pstree.h"

struct seen {
	int nr;
	char recs[8][32];
};

static int remember(char *rec, size_t len, void *arg)
{
	struct seen *s = arg;

	assert_int_equal(strlen(rec), len);
	if (s->nr < 8)
		snprintf(s->recs[s->nr], sizeof(s->recs[0]), "%s", rec);
	s->nr++;
	return 0;
}

static void test_records_buf(void **state)
{
	struct seen s = { 0 };

	assert_int_equal(proc_records_from_buf("a\nbb\n\nccc", 9, '\n', remember, &s), 0);
	assert_int_equal(s.nr, 4);
	assert_string_equal(s.recs[0], "a");
	assert_string_equal(s.recs[1], "bb");
	assert_string_equal(s.recs[2], "");
	assert_string_equal(s.recs[3], "ccc");

	memset(&s, 0, sizeof(s));
	assert_int_equal(proc_records_from_buf("", 0, '\n', remember, &s), 0);
	assert_int_equal(s.nr, 0);

	/* A NUL inside a record is garbage, not a shorter record. */
	assert_int_equal(proc_records_from_buf("ab\0c\n", 5, '\n', remember, &s), -EINVAL);
}

static int stop_at_second(char *rec, size_t len, void *arg)
{
	return ++*(int *)arg == 2 ? -ECANCELED : 0;
}

static void test_records_stop(void **state)
{
	int n = 0;

	assert_int_equal(proc_records_from_buf("1\n2\n3\n", 6, '\n', stop_at_second, &n), -ECANCELED);
	assert_int_equal(n, 2);
}

static void test_records_overlong(void **state)
{
	size_t len = PROC_LINE_MAX + 10;
	char *buf = malloc(len);
	struct seen s = { 0 };
	int p[2];

	memset(buf, 'x', len);
	assert_int_equal(proc_records_from_buf(buf, len, '\n', remember, &s), -EINVAL);
	assert_int_equal(s.nr, 0);

	/* Through a pipe, in pieces: the same verdict, no overflow. */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "ok\n", 3), 3);
	assert_int_equal(write(p[1], buf, len), (ssize_t)len);
	close(p[1]);
	assert_int_equal(proc_records_from_fd(p[0], '\n', remember, &s), -EINVAL);
	assert_int_equal(s.nr, 1);
	close(p[0]);
	free(buf);
}

/* Feed @len bytes of 'x' and a newline through @p: what the splitter says. */
static int split_long(size_t len, int through_fd)
{
	char *buf = malloc(len + 1);
	struct seen s = { 0 };
	int p[2], ret;

	memset(buf, 'x', len);
	buf[len] = '\n';
	if (!through_fd) {
		ret = proc_records_from_buf(buf, len + 1, '\n', remember, &s);
	} else {
		assert_int_equal(pipe(p), 0);
		assert_int_equal(write(p[1], buf, len + 1), (ssize_t)len + 1);
		close(p[1]);
		ret = proc_records_from_fd(p[0], '\n', remember, &s);
		close(p[0]);
	}
	free(buf);
	assert_int_equal(s.nr, ret ? 0 : 1);
	return ret;
}

static void test_records_limit(void **state)
{
	int fd;

	for (fd = 0; fd < 2; fd++) {
		assert_int_equal(split_long(PROC_LINE_MAX, fd), 0);
		assert_int_equal(split_long(PROC_LINE_MAX + 1, fd), -EINVAL);
	}
}

static void test_records_fd(void **state)
{
	struct seen s = { 0 };
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "one two  three", 14), 14);
	close(p[1]);
	assert_int_equal(proc_records_from_fd(p[0], ' ', remember, &s), 0);
	close(p[0]);
	assert_int_equal(s.nr, 4);
	assert_string_equal(s.recs[0], "one");
	assert_string_equal(s.recs[2], "");
	assert_string_equal(s.recs[3], "three");
}

static void test_numbers(void **state)
{
	char buf[64], *s;
	uint64_t u;
	int64_t v;
	int i;

	strcpy(buf, "ffffffffffffffff-");
	s = buf;
	assert_int_equal(proc_parse_u64(&s, 16, &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(*s, '-');

	strcpy(buf, "10000000000000000");
	s = buf;
	assert_int_equal(proc_parse_u64(&s, 16, &u), -EINVAL);	/* overflow */
	assert_ptr_equal(s, buf);

	strcpy(buf, "18446744073709551616");
	s = buf;
	assert_int_equal(proc_parse_u64(&s, 10, &u), -EINVAL);

	strcpy(buf, "-9223372036854775808");
	s = buf;
	assert_int_equal(proc_parse_s64(&s, &v), 0);
	assert_true(v == INT64_MIN);

	strcpy(buf, "-9223372036854775809");
	s = buf;
	assert_int_equal(proc_parse_s64(&s, &v), -EINVAL);

	strcpy(buf, "-");
	s = buf;
	assert_int_equal(proc_parse_s64(&s, &v), -EINVAL);

	strcpy(buf, "+1");
	s = buf;
	assert_int_equal(proc_parse_u64(&s, 10, &u), -EINVAL);

	strcpy(buf, "2147483648");
	s = buf;
	assert_int_equal(proc_parse_int(&s, &i), -EINVAL);

	strcpy(buf, "0755 x");
	s = buf;
	assert_int_equal(proc_parse_u32(&s, 8, (uint32_t *)&i), 0);
	assert_int_equal(i, 0755);
	assert_int_equal(proc_expect_end(s), -EINVAL);

	strcpy(buf, "8");
	s = buf;
	assert_int_equal(proc_parse_u64(&s, 8, &u), -EINVAL);
}

static void test_split_key(void **state)
{
	char line[] = "Name:\t  a: b", none[] = "no key here";
	char *val = proc_split_key(line);

	assert_string_equal(line, "Name");
	assert_string_equal(val, "a: b");
	assert_null(proc_split_key(none));
}

static void test_children(void **state)
{
	pid_t pids[4];

	assert_int_equal(pstree_children_parse("12 345 ", 7, pids, 4), 2);
	assert_int_equal(pids[0], 12);
	assert_int_equal(pids[1], 345);
	assert_int_equal(pstree_children_parse("", 0, pids, 4), 0);
	assert_int_equal(pstree_children_parse("1 2 3 4 5 ", 10, pids, 4), -E2BIG);
	assert_int_equal(pstree_children_parse("1 x2 ", 5, pids, 4), -EINVAL);
	assert_int_equal(pstree_children_parse("0 ", 2, pids, 4), -EINVAL);
	assert_int_equal(pstree_children_parse("-5 ", 3, pids, 4), -EINVAL);
	assert_int_equal(pstree_children_parse("99999999999 ", 12, pids, 4), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_buf),
		cmocka_unit_test(test_records_stop),
		cmocka_unit_test(test_records_overlong),
		cmocka_unit_test(test_records_limit),
		cmocka_unit_test(test_records_fd),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_split_key),
		cmocka_unit_test(test_children),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
