// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every real probe on the running kernel (suite 'kernel'): required ones
 * all there, the known truths of this kind of machine, told apart from
 * what the kernel says elsewhere, and nothing left behind.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "check/check.h"

static struct check_ctx *ctx;

static int run(const char *name)
{
	const struct check_probe *p = check_probe_find(ctx, name);
	int r;

	assert_non_null(p);
	r = check_probe_run(ctx, p);
	print_message("%s: %s: %s\n", name, check_result_name(r), check_probe_message(ctx, p));
	return r;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static unsigned long ns_inode(const char *name)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", name);
	assert_int_equal(stat(path, &st), 0);
	return st.st_ino;
}

static bool has_cap(cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	assert_non_null(caps);
	cap_get_flag(caps, cap, CAP_EFFECTIVE, &v);
	cap_free(caps);
	return v == CAP_SET;
}

/* "sd" in VmFlags of /proc/self/smaps exists only with CONFIG_MEM_SOFT_DIRTY. */
static bool kernel_has_soft_dirty(void)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/self/smaps", "r");

	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, "VmFlags:", 8) && strstr(line, " sd");
	fclose(f);
	return found;
}

static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	assert_int_equal(uname(&u), 0);
	sscanf(u.release, "%d.%d", &ma, &mi);
	return ma > major || (ma == major && mi >= minor);
}

static void test_every_probe_answers(void **state)
{
	const struct check_probe *p;
	int n = 0;

	for (p = check_probe_next(ctx, NULL); p; p = check_probe_next(ctx, p), n++) {
		const char *msg;
		int r = check_probe_run(ctx, p);

		assert_in_range(r, CHECK_SUPPORTED, CHECK_ERROR);
		msg = check_probe_message(ctx, p);
		print_message("%-20s %d %-13s %s\n", check_probe_name(p), check_probe_category(p),
			      check_result_name(r), msg);
		assert_non_null(msg);
		assert_true(strlen(msg) > 0);
		/* Nothing on this machine should make a probe fail outright. */
		assert_int_not_equal(r, CHECK_ERROR);
		if (r == CHECK_NOT_PERMITTED)
			assert_int_not_equal(check_probe_capability(ctx, p), -1);
	}
	assert_true(n > 50);
}

static void test_required_all_present(void **state)
{
	const struct check_probe *p;

	for (p = check_probe_next(ctx, NULL); p; p = check_probe_next(ctx, p))
		if (check_probe_category(p) == CHECK_CAT_REQUIRED)
			assert_int_equal(run(check_probe_name(p)), CHECK_SUPPORTED);
	assert_int_equal(check_run(ctx, CHECK_CAT_BIT(CHECK_CAT_REQUIRED), NULL, NULL),
			 CHECK_VERDICT_GOOD);
}

static void test_soft_dirty_matches_kernel(void **state)
{
	assert_int_equal(run("mem_dirty_track"),
			 kernel_has_soft_dirty() ? CHECK_SUPPORTED : CHECK_MISSING);
	/* This machine's kernel is built without soft-dirty. */
	assert_false(kernel_has_soft_dirty());
}

static void test_uffd_and_pagemap_scan(void **state)
{
	assert_int_equal(access("/proc/sys/vm/unprivileged_userfaultfd", F_OK), 0);
	assert_int_equal(run("uffd"), CHECK_SUPPORTED);
	assert_int_equal(run("uffd-noncoop"), CHECK_SUPPORTED);
	assert_int_equal(run("uffd_wp"), CHECK_SUPPORTED);
	/* PAGEMAP_SCAN came in Linux 6.7. */
	assert_int_equal(run("pagemap_scan"), kernel_at_least(6, 7) ? CHECK_SUPPORTED : CHECK_MISSING);
}

static void test_sys_resource_not_permitted(void **state)
{
	const struct check_probe *p = check_probe_find(ctx, "prctl_mm_fields");

	if (has_cap(CAP_SYS_RESOURCE)) {
		assert_int_equal(run("prctl_mm_fields"), CHECK_SUPPORTED);
		return;
	}
	assert_int_equal(run("prctl_mm_fields"), CHECK_NOT_PERMITTED);
	assert_int_equal(check_probe_capability(ctx, p), CAP_SYS_RESOURCE);
	assert_non_null(strstr(check_probe_message(ctx, p), "CAP_SYS_RESOURCE"));
	/* PR_SET_MM_MAP needs no CAP_SYS_RESOURCE. */
	assert_int_equal(run("prctl_mm_map"), CHECK_SUPPORTED);
}

static void test_time_ns_is_timens(void **state)
{
	assert_ptr_equal(check_probe_find(ctx, "time_ns"), check_probe_find(ctx, "timens"));
}

/* A fresh handle, every probe again: no process, fd or namespace left. */
static void test_leaves_nothing_behind(void **state)
{
	struct check_ctx *fresh = check_ctx_new();
	unsigned long net = ns_inode("net"), pid = ns_inode("pid"), ipc = ns_inode("ipc");
	int fds = count_fds();

	assert_non_null(fresh);
	assert_true(check_run(fresh, CHECK_CATS_ALL, NULL, NULL) >= 0);
	check_ctx_free(fresh);
	assert_int_equal(count_fds(), fds);
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	assert_int_equal(ns_inode("net"), net);
	assert_int_equal(ns_inode("pid"), pid);
	assert_int_equal(ns_inode("ipc"), ipc);
}

static int setup(void **state)
{
	ctx = check_ctx_new();
	return ctx ? 0 : -1;
}

static int teardown(void **state)
{
	check_ctx_free(ctx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_probe_answers),
		cmocka_unit_test(test_required_all_present),
		cmocka_unit_test(test_soft_dirty_matches_kernel),
		cmocka_unit_test(test_uffd_and_pagemap_scan),
		cmocka_unit_test(test_sys_resource_not_permitted),
		cmocka_unit_test(test_time_ns_is_timens),
		cmocka_unit_test(test_leaves_nothing_behind),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
