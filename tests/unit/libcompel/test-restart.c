// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pure logic of the x86 register helpers: how an interrupted syscall is
 * restarted when we give a thread back, how a remote syscall is set up,
 * and the syscall name table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "../../../libcompel/src/arch.h"

static struct arch_regs interrupted(long nr, long ret)
{
	struct arch_regs r;

	memset(&r, 0, sizeof(r));
	r.gpr.orig_rax = nr;
	r.gpr.rax = ret;
	r.gpr.rip = 0x401002;
	return r;
}

static void test_restart_codes(void **state)
{
	static const long codes[] = { -512, -513, -514 };
	struct arch_regs r;
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		r = interrupted(SYS_read, codes[i]);
		arch_regs_restart_syscall(&r);
		assert_int_equal(r.gpr.rax, SYS_read);
		assert_int_equal(r.gpr.rip, 0x401000);
		assert_int_equal(r.gpr.orig_rax, SYS_read);
	}
	/* Sleeps resume through restart_syscall, with what is left of them. */
	r = interrupted(SYS_clock_nanosleep, -516);
	arch_regs_restart_syscall(&r);
	assert_int_equal(r.gpr.rax, SYS_restart_syscall);
	assert_int_equal(r.gpr.rip, 0x401000);
}

static void test_no_restart(void **state)
{
	struct arch_regs r = interrupted(SYS_read, -EINTR), orig = r;

	/* A finished syscall, or no syscall at all, is left alone. */
	arch_regs_restart_syscall(&r);
	assert_memory_equal(&r, &orig, sizeof(r));
	r = orig = interrupted(-1, -512);
	arch_regs_restart_syscall(&r);
	assert_memory_equal(&r, &orig, sizeof(r));
	r = orig = interrupted(SYS_read, 42);
	arch_regs_restart_syscall(&r);
	assert_memory_equal(&r, &orig, sizeof(r));
}

static void test_prepare_syscall(void **state)
{
	const long args[6] = { 1, 2, 3, 4, 5, 6 };
	struct arch_regs r = interrupted(SYS_read, -512);

	arch_regs_prepare_syscall(&r, 0x7000, SYS_write, args);
	assert_int_equal(r.gpr.rip, 0x7000);
	assert_int_equal(r.gpr.rax, SYS_write);
	/* Not "in a syscall": the kernel must not restart anything on our regs. */
	assert_int_equal((long)r.gpr.orig_rax, -1);
	assert_int_equal(r.gpr.rdi, 1);
	assert_int_equal(r.gpr.rsi, 2);
	assert_int_equal(r.gpr.rdx, 3);
	assert_int_equal(r.gpr.r10, 4);
	assert_int_equal(r.gpr.r8, 5);
	assert_int_equal(r.gpr.r9, 6);
	r.gpr.rax = -9;
	assert_int_equal(arch_regs_result(&r), -9);
}

static void test_scratch_below_red_zone(void **state)
{
	struct arch_regs r = interrupted(-1, 0);

	r.gpr.rsp = 0x7ffc1000;
	assert_true(arch_regs_scratch(&r, 20) + 20 <= 0x7ffc1000 - 128);
	assert_int_equal(arch_regs_scratch(&r, 20) % 16, 0);
}

static void test_syscall_names(void **state)
{
	assert_int_equal(arch_syscall_lookup("getpid"), SYS_getpid);
	assert_int_equal(arch_syscall_lookup("write"), SYS_write);
	assert_int_equal(arch_syscall_lookup("memfd_create"), SYS_memfd_create);
	assert_int_equal(arch_syscall_lookup("no_such_call"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restart_codes),
		cmocka_unit_test(test_no_restart),
		cmocka_unit_test(test_prepare_syscall),
		cmocka_unit_test(test_scratch_below_red_zone),
		cmocka_unit_test(test_syscall_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
