// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The handle and check_run() over a fake probe table: iteration, lookup,
 * caching, and the verdict with its stop at the first category 1 miss.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <linux/capability.h>

#include "probe.h"

/* How many times each fake ran, by index in the table below. */
static int runs[8];

#define FAKE(idx, verdict)                                                      \
	static enum check_result fake##idx(struct probe_out *out)               \
	{                                                                       \
		runs[idx]++;                                                    \
		return verdict;                                                 \
	}

FAKE(0, probe_supported(out, "zero is fine"))
FAKE(1, probe_supported(out, "one is fine"))
FAKE(2, probe_missing(out, "two is %s", "gone"))
FAKE(3, probe_not_permitted(out, CAP_SYS_RESOURCE, "three needs more"))
FAKE(4, probe_supported(out, "four is fine"))

static const struct check_probe table[] = {
	{ "zero", NULL, CHECK_CAT_REQUIRED, "the first", fake0 },
	{ "one", "uno", CHECK_CAT_REQUIRED, "the second", fake1 },
	{ "two", NULL, CHECK_CAT_EXTRA, "the third", fake2 },
	{ "three", NULL, CHECK_CAT_EXTRA, "the fourth", fake3 },
	{ "four", NULL, CHECK_CAT_EXPERIMENTAL, "the fifth", fake4 },
};
#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

/* A table whose second required probe is missing. */
static const struct check_probe broken[] = {
	{ "zero", NULL, CHECK_CAT_REQUIRED, "the first", fake0 },
	{ "two", NULL, CHECK_CAT_REQUIRED, "missing and required", fake2 },
	{ "one", NULL, CHECK_CAT_REQUIRED, "never reached", fake1 },
	{ "four", NULL, CHECK_CAT_EXTRA, "never reached", fake4 },
};

static int setup(void **state)
{
	memset(runs, 0, sizeof(runs));
	*state = check_ctx_new_table(table, TABLE_SIZE);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	check_ctx_free(*state);
	return 0;
}

static void test_iterates_in_order(void **state)
{
	struct check_ctx *ctx = *state;
	const struct check_probe *p;
	size_t i = 0;

	for (p = check_probe_next(ctx, NULL); p; p = check_probe_next(ctx, p), i++) {
		assert_string_equal(check_probe_name(p), table[i].name);
		assert_int_equal(check_probe_category(p), table[i].category);
		assert_string_equal(check_probe_description(p), table[i].description);
	}
	assert_int_equal(i, TABLE_SIZE);
	/* A probe of another table is not a place to continue from. */
	assert_null(check_probe_next(ctx, &broken[0]));
}

static void test_find_by_name_and_alias(void **state)
{
	struct check_ctx *ctx = *state;

	assert_ptr_equal(check_probe_find(ctx, "three"), &table[3]);
	assert_ptr_equal(check_probe_find(ctx, "uno"), &table[1]);
	errno = 0;
	assert_null(check_probe_find(ctx, "nosuch"));
	assert_int_equal(errno, ENOENT);
	assert_null(check_probe_find(ctx, NULL));
}

static void test_results_are_cached(void **state)
{
	struct check_ctx *ctx = *state;
	const struct check_probe *p = check_probe_find(ctx, "two");
	const char *msg;

	assert_null(check_probe_message(ctx, p));
	assert_int_equal(check_probe_run(ctx, p), CHECK_MISSING);
	msg = check_probe_message(ctx, p);
	assert_string_equal(msg, "two is gone");
	assert_int_equal(check_probe_run(ctx, p), CHECK_MISSING);
	assert_int_equal(runs[2], 1);
	assert_ptr_equal(check_probe_message(ctx, p), msg);
	assert_int_equal(check_probe_capability(ctx, p), -1);
}

static void test_not_permitted_names_capability(void **state)
{
	struct check_ctx *ctx = *state;
	const struct check_probe *p = check_probe_find(ctx, "three");

	assert_int_equal(check_probe_capability(ctx, p), -1);
	assert_int_equal(check_probe_run(ctx, p), CHECK_NOT_PERMITTED);
	assert_int_equal(check_probe_capability(ctx, p), CAP_SYS_RESOURCE);
	assert_string_equal(check_probe_message(ctx, p), "three needs more (needs CAP_SYS_RESOURCE)");
}

static void test_foreign_probe_is_refused(void **state)
{
	assert_int_equal(check_probe_run(*state, &broken[0]), -EINVAL);
	assert_null(check_probe_message(*state, &broken[0]));
	assert_int_equal(runs[0], 0);
}

/* Records which probes a run reported, in order. */
struct seen {
	const char *names[8];
	int results[8];
	int n;
};

static void record(struct check_ctx *ctx, const struct check_probe *p, enum check_result r,
		   void *arg)
{
	struct seen *s = arg;

	s->names[s->n] = check_probe_name(p);
	s->results[s->n++] = r;
}

static void test_required_only_is_good(void **state)
{
	struct seen s = { 0 };

	assert_int_equal(check_run(*state, CHECK_CAT_BIT(CHECK_CAT_REQUIRED), record, &s),
			 CHECK_VERDICT_GOOD);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[0], "zero");
	assert_string_equal(s.names[1], "one");
	/* Category 2 did not run. */
	assert_int_equal(runs[2] + runs[3], 0);
}

static void test_extra_missing_is_incomplete_and_goes_on(void **state)
{
	struct seen s = { 0 };

	assert_int_equal(check_run(*state, CHECK_CATS_ALL, record, &s), CHECK_VERDICT_INCOMPLETE);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.results[2], CHECK_MISSING);
	assert_int_equal(s.results[3], CHECK_NOT_PERMITTED);
	assert_string_equal(s.names[4], "four");
	assert_int_equal(s.results[4], CHECK_SUPPORTED);
}

static void test_experimental_only_skips_extra(void **state)
{
	unsigned int cats = CHECK_CAT_BIT(CHECK_CAT_REQUIRED) | CHECK_CAT_BIT(CHECK_CAT_EXPERIMENTAL);

	assert_int_equal(check_run(*state, cats, NULL, NULL), CHECK_VERDICT_GOOD);
	assert_int_equal(runs[2] + runs[3], 0);
	assert_int_equal(runs[4], 1);
}

static void test_required_missing_stops_at_first(void **state)
{
	struct check_ctx *ctx = check_ctx_new_table(broken, 4);
	struct seen s = { 0 };

	assert_non_null(ctx);
	assert_int_equal(check_run(ctx, CHECK_CATS_ALL, record, &s), CHECK_VERDICT_BAD);
	/* The missing one is the last reported; nothing after it ran. */
	assert_int_equal(s.n, 2);
	assert_string_equal(s.names[1], "two");
	assert_int_equal(runs[1] + runs[4], 0);
	check_ctx_free(ctx);
}

static void test_run_uses_the_cache(void **state)
{
	assert_int_equal(check_run(*state, CHECK_CATS_ALL, NULL, NULL), CHECK_VERDICT_INCOMPLETE);
	assert_int_equal(check_run(*state, CHECK_CATS_ALL, NULL, NULL), CHECK_VERDICT_INCOMPLETE);
	for (size_t i = 0; i < TABLE_SIZE; i++)
		assert_int_equal(runs[i], 1);
}

static void test_no_category_is_invalid(void **state)
{
	assert_int_equal(check_run(*state, 0, NULL, NULL), -EINVAL);
	assert_int_equal(check_run(*state, CHECK_CAT_BIT(7), NULL, NULL), -EINVAL);
	assert_int_equal(check_run(NULL, CHECK_CATS_ALL, NULL, NULL), -EINVAL);
}

static void test_empty_table(void **state)
{
	struct check_ctx *ctx = check_ctx_new_table(NULL, 0);

	assert_non_null(ctx);
	assert_null(check_probe_next(ctx, NULL));
	assert_int_equal(check_run(ctx, CHECK_CATS_ALL, NULL, NULL), CHECK_VERDICT_GOOD);
	check_ctx_free(ctx);
	check_ctx_free(NULL);
}

static void test_result_names(void **state)
{
	assert_string_equal(check_result_name(CHECK_SUPPORTED), "supported");
	assert_string_equal(check_result_name(CHECK_MISSING), "missing");
	assert_string_equal(check_result_name(CHECK_NOT_PERMITTED), "not_permitted");
	assert_string_equal(check_result_name(CHECK_ERROR), "error");
	assert_null(check_result_name(42));
}

static void test_errno_sorting(void **state)
{
	struct probe_out out = { .cap = -1 };

	assert_int_equal(probe_errno(&out, ENOSYS, -1, "frob"), CHECK_MISSING);
	assert_string_equal(out.msg, "frob: Function not implemented");
	assert_int_equal(probe_errno(&out, ENOTTY, CAP_SYS_ADMIN, "frob"), CHECK_MISSING);
	/* EPERM when no capability would help: an error, not "not permitted". */
	assert_int_equal(probe_errno(&out, EPERM, -1, "frob"), CHECK_ERROR);
	assert_int_equal(probe_errno(&out, EMFILE, -1, "frob"), CHECK_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_iterates_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_by_name_and_alias, setup, teardown),
		cmocka_unit_test_setup_teardown(test_results_are_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_permitted_names_capability, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_probe_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required_only_is_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_extra_missing_is_incomplete_and_goes_on, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_experimental_only_skips_extra, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required_missing_stops_at_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_uses_the_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_category_is_invalid, setup, teardown),
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_result_names),
		cmocka_unit_test(test_errno_sorting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
