// SPDX-License-Identifier: LGPL-2.1-or-later
/* stat, status, limits and auxv text: every field, odd comms, garbage. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "proc-auxv.h"
#include "proc-limits.h"
#include "proc-stat.h"
#include "proc-status.h"

/* 49 numbers after the state, each its own value so that offsets show. */
static const char stat_tail[] =
	"1 2 3 34817 5 4194560 7 8 9 10 11 12 -13 -14 20 -5 3 0 19 20971520 21 "
	"18446744073709551615 93906619768832 93906619788713 140733538480880 0 0 0 0 4096 16386 "
	"0 0 0 17 1 0 0 0 0 0 93906619804720 93906619806336 93906967224320 140733538486916 "
	"140733538486936 140733538486936 140733538488299 256\n";

static int parse_stat(const char *comm, struct proc_stat *st)
{
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "4242 (%s) S %s", comm, stat_tail);

	return proc_stat_parse(buf, n, st);
}

static void test_stat(void **state)
{
	struct proc_stat st;

	assert_int_equal(parse_stat("cat", &st), 0);
	assert_int_equal(st.pid, 4242);
	assert_string_equal(st.comm, "cat");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.pgid, 2);
	assert_int_equal(st.sid, 3);
	assert_int_equal(st.tty_nr, 34817);
	assert_int_equal(st.tpgid, 5);
	assert_int_equal(st.flags, 4194560);
	assert_int_equal(st.cutime, -13);
	assert_int_equal(st.priority, 20);
	assert_int_equal(st.nice, -5);
	assert_int_equal(st.num_threads, 3);
	assert_int_equal(st.starttime, 19);
	assert_int_equal(st.vsize, 20971520);
	assert_true(st.rsslim == UINT64_MAX);
	assert_int_equal(st.start_code, 93906619768832ULL);
	assert_int_equal(st.end_code, 93906619788713ULL);
	assert_int_equal(st.start_stack, 140733538480880ULL);
	assert_int_equal(st.sigignore, 4096);
	assert_int_equal(st.sigcatch, 16386);
	assert_int_equal(st.exit_signal, 17);
	assert_int_equal(st.processor, 1);
	assert_int_equal(st.start_data, 93906619804720ULL);
	assert_int_equal(st.end_data, 93906619806336ULL);
	assert_int_equal(st.start_brk, 93906967224320ULL);
	assert_int_equal(st.arg_start, 140733538486916ULL);
	assert_int_equal(st.arg_end, 140733538486936ULL);
	assert_int_equal(st.env_start, 140733538486936ULL);
	assert_int_equal(st.env_end, 140733538488299ULL);
	assert_int_equal(st.exit_code, 256);
}

static void test_stat_odd_comms(void **state)
{
	static const char *const comms[] = { ") (", "a) S 1 2 (b", "", "(((", "x y z", ")", "a\nb",
					     "0123456789abcde" };
	struct proc_stat st;
	size_t i;

	for (i = 0; i < sizeof(comms) / sizeof(comms[0]); i++) {
		assert_int_equal(parse_stat(comms[i], &st), 0);
		assert_string_equal(st.comm, comms[i]);
		assert_int_equal(st.ppid, 1);
		assert_int_equal(st.exit_code, 256);
	}
}

static void test_stat_extra_fields(void **state)
{
	char buf[1024];
	struct proc_stat st;
	int n = snprintf(buf, sizeof(buf), "7 (x) R %.*s 99 100\n", (int)strlen(stat_tail) - 1, stat_tail);

	assert_int_equal(proc_stat_parse(buf, n, &st), 0);
	assert_int_equal(st.exit_code, 256);
}

static void test_stat_garbage(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"12 cat S 1",
		"12 (cat S 1 2 3",
		"12 (cat) S 1 2 3\n",		/* too few fields */
		"x12 (cat) S 1",
		"12 (cat)S 1",
		"12 (cat)  1",
		")12 (",
	};
	char text[1024];
	struct proc_stat st;
	size_t i;
	char *big;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(proc_stat_parse(bad[i], strlen(bad[i]), &st), -EINVAL);

	memset(text, 'c', 200);
	text[200] = '\0';
	assert_int_equal(parse_stat(text, &st), -EINVAL);

	/* A bad number deep in the line, a ppid beyond int, a NUL byte. */
	assert_int_equal(proc_stat_parse("1 (a) S 1 2 3 4 5 6 7 8 9 1x", 28, &st), -EINVAL);
	snprintf(text, sizeof(text), "7 (x) S 4294967296 %s", stat_tail + 2);
	assert_int_equal(proc_stat_parse(text, strlen(text), &st), -EINVAL);
	assert_int_equal(proc_stat_parse("1 (a\0) S", 8, &st), -EINVAL);

	big = malloc(100000);
	memset(big, '1', 100000);
	assert_int_equal(proc_stat_parse(big, 100000, &st), -EINVAL);
	free(big);
}

static const char status_text[] =
	"Name:\tcat: a) b\n"
	"Umask:\t0027\n"
	"State:\tS (sleeping)\n"
	"Tgid:\t100\n"
	"Ngid:\t0\n"
	"Pid:\t101\n"
	"PPid:\t99\n"
	"TracerPid:\t0\n"
	"Uid:\t1000\t1001\t1002\t1003\n"
	"Gid:\t2000\t2001\t2002\t2003\n"
	"FDSize:\t64\n"
	"Groups:\t4 24 27 4294967294 \n"
	"NStgid:\t100\t1\n"
	"NSpid:\t101\t2\n"
	"NSpgid:\t100\t1\n"
	"NSsid:\t50\t0\n"
	"VmPeak:\t    3060 kB\n"
	"SigQ:\t3/96365\n"
	"SigPnd:\t0000000000000200\n"
	"ShdPnd:\t0000000000004000\n"
	"SigBlk:\tfffffffe7ffbfeff\n"
	"SigIgn:\t0000000000001000\n"
	"SigCgt:\t0000000180000002\n"
	"CapInh:\t0000000000000000\n"
	"CapPrm:\t000001fffeffffff\n"
	"CapEff:\t000001fffeffffff\n"
	"CapBnd:\t000001ffffffffff\n"
	"CapAmb:\t0000000000000400\n"
	"NoNewPrivs:\t1\n"
	"Seccomp:\t2\n"
	"Seccomp_filters:\t3\n"
	"Speculation_Store_Bypass:\tvulnerable\n"
	"Mems_allowed:\t00000000,00000001\n";

static void test_status(void **state)
{
	struct proc_status st;

	assert_int_equal(proc_status_parse(status_text, strlen(status_text), &st), 0);
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.umask, 027);
	assert_int_equal(st.tgid, 100);
	assert_int_equal(st.pid, 101);
	assert_int_equal(st.ppid, 99);
	assert_int_equal(st.tracer_pid, 0);
	assert_int_equal(st.uid[0], 1000);
	assert_int_equal(st.uid[3], 1003);
	assert_int_equal(st.gid[1], 2001);
	assert_int_equal(st.ngroups, 4);
	assert_int_equal(st.groups[3], 4294967294u);
	assert_int_equal(st.ns_pid.nr, 2);
	assert_int_equal(st.ns_pid.pid[0], 101);
	assert_int_equal(st.ns_pid.pid[1], 2);
	assert_int_equal(st.ns_sid.pid[1], 0);
	assert_int_equal(st.sigq_queued, 3);
	assert_int_equal(st.sigq_limit, 96365);
	assert_true(st.sig_pnd == 0x200);
	assert_true(st.shd_pnd == 0x4000);
	assert_true(st.sig_blk == 0xfffffffe7ffbfeffULL);
	assert_true(st.sig_cgt == 0x180000002ULL);
	assert_true(st.cap_prm == 0x1fffeffffffULL);
	assert_true(st.cap_bnd == 0x1ffffffffffULL);
	assert_true(st.cap_amb == 0x400);
	assert_int_equal(st.no_new_privs, 1);
	assert_int_equal(st.seccomp, 2);
	assert_int_equal(st.seccomp_filters, 3);
	assert_int_equal(st.have, PROC_STATUS_UMASK | PROC_STATUS_CAP_AMB | PROC_STATUS_NO_NEW_PRIVS |
					  PROC_STATUS_SECCOMP | PROC_STATUS_SECCOMP_FILTERS |
					  PROC_STATUS_NS_PIDS | PROC_STATUS_SIGQ | PROC_STATUS_GROUPS |
					  PROC_STATUS_SIGNALS | PROC_STATUS_CAPS);
}

static void test_status_minimal(void **state)
{
	static const char text[] = "State:\tZ (zombie)\nTgid:\t5\nPid:\t5\nPPid:\t1\nTracerPid:\t1\n"
				   "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\t \n";
	struct proc_status st;

	assert_int_equal(proc_status_parse(text, strlen(text), &st), 0);
	assert_int_equal(st.state, 'Z');
	assert_int_equal(st.tracer_pid, 1);
	assert_int_equal(st.ngroups, 0);
	assert_int_equal(st.have, PROC_STATUS_GROUPS);
}

static void test_status_garbage(void **state)
{
	static const char *const bad[] = {
		"",
		"no colon\n",
		/* Uid line missing */
		"State:\tR\nTgid:\t5\nPid:\t5\nPPid:\t1\nTracerPid:\t0\nGid:\t0\t0\t0\t0\n",
		/* three ids */
		"State:\tR\nTgid:\t5\nPid:\t5\nPPid:\t1\nTracerPid:\t0\nUid:\t0\t0\t0\nGid:\t0\t0\t0\t0\n",
		"State:\tRR\n",
		"State:\t\n",
		"Tgid:\t5x\n",
		"Tgid:\t99999999999\n",
		"SigPnd:\t1ffffffffffffffff\n",
		"SigQ:\t3-4\n",
		"NSpid:\t\n",
		"NSpid:\t1 2 x\n",
		"Groups:\t1 -2\n",
		"Umask:\t0089\n",
	};
	struct proc_status st;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("bad[%zu]\n", i);
		assert_int_equal(proc_status_parse(bad[i], strlen(bad[i]), &st), -EINVAL);
	}
}

static void test_status_too_many(void **state)
{
	size_t size = 64 * 1024, n = 0;
	char *text = malloc(size);
	struct proc_status st;
	int i;

	n += sprintf(text, "Groups:\t");
	for (i = 0; i <= PROC_GROUPS_MAX; i++)
		n += sprintf(text + n, "%d ", i);
	n += sprintf(text + n, "\n");
	assert_int_equal(proc_status_parse(text, n, &st), -E2BIG);

	text[0] = '\0';
	n = sprintf(text, "NSpid:");
	for (i = 0; i <= PROC_NS_LEVELS_MAX; i++)
		n += sprintf(text + n, "\t%d", i + 1);
	assert_int_equal(proc_status_parse(text, n, &st), -EINVAL);
	free(text);
}

static const char limits_text[] =
	"Limit                     Soft Limit           Hard Limit           Units     \n"
	"Max cpu time              unlimited            unlimited            seconds   \n"
	"Max file size             unlimited            unlimited            bytes     \n"
	"Max data size             unlimited            unlimited            bytes     \n"
	"Max stack size            8388608              unlimited            bytes     \n"
	"Max core file size        0                    unlimited            bytes     \n"
	"Max resident set          unlimited            unlimited            bytes     \n"
	"Max processes             127235               127236               processes \n"
	"Max open files            1024                 524288               files     \n"
	"Max locked memory         8388608              8388608              bytes     \n"
	"Max address space         unlimited            unlimited            bytes     \n"
	"Max file locks            unlimited            unlimited            locks     \n"
	"Max pending signals       127235               127235               signals   \n"
	"Max msgqueue size         819200               819200               bytes     \n"
	"Max nice priority         0                    0                    \n"
	"Max realtime priority     0                    0                    \n"
	"Max realtime timeout      500                  unlimited            us        \n"
	"Max future thing          1                    2                    things    \n";

static void test_limits(void **state)
{
	struct proc_limits l;

	assert_int_equal(proc_limits_parse(limits_text, strlen(limits_text), &l), 0);
	assert_true(l.lim[RLIMIT_CPU].rlim_cur == RLIM_INFINITY);
	assert_true(l.lim[RLIMIT_STACK].rlim_cur == 8388608);
	assert_true(l.lim[RLIMIT_STACK].rlim_max == RLIM_INFINITY);
	assert_true(l.lim[RLIMIT_CORE].rlim_cur == 0);
	assert_true(l.lim[RLIMIT_NPROC].rlim_cur == 127235);
	assert_true(l.lim[RLIMIT_NPROC].rlim_max == 127236);
	assert_true(l.lim[RLIMIT_NOFILE].rlim_cur == 1024);
	assert_true(l.lim[RLIMIT_NOFILE].rlim_max == 524288);
	assert_true(l.lim[RLIMIT_NICE].rlim_max == 0);
	assert_true(l.lim[RLIMIT_RTTIME].rlim_cur == 500);
	assert_true(l.lim[RLIMIT_RTTIME].rlim_max == RLIM_INFINITY);
}

static void test_limits_garbage(void **state)
{
	char *text = strdup(limits_text);
	struct proc_limits l;
	char *row;

	/* A row missing. */
	row = strstr(text, "Max open files");
	memcpy(row, "Max open filez", 14);
	assert_int_equal(proc_limits_parse(text, strlen(text), &l), -EINVAL);

	/* A bad number. */
	memcpy(row, "Max open files            10x4", 29);
	assert_int_equal(proc_limits_parse(text, strlen(text), &l), -EINVAL);

	/* A limit beyond 64 bits. */
	free(text);
	text = strdup(limits_text);
	row = strstr(text, "8388608              unlimited");
	memcpy(row, "99999999999999999999", 20);
	assert_int_equal(proc_limits_parse(text, strlen(text), &l), -EINVAL);
	free(text);

	assert_int_equal(proc_limits_parse("", 0, &l), -EINVAL);
	assert_int_equal(proc_limits_parse("Max cpu time  ", 14, &l), -EINVAL);
}

static void test_auxv(void **state)
{
	uint64_t v[] = { AT_PAGESZ, 4096, AT_HWCAP, 0xbfebfbff, AT_SYSINFO_EHDR, 0x7ffd0000, AT_NULL, 0, 77, 88 };
	struct proc_auxv a;
	uint64_t x;

	assert_int_equal(proc_auxv_parse(v, sizeof(v), &a), 0);
	assert_int_equal(a.nr, 4);
	assert_int_equal(proc_auxv_get(&a, AT_SYSINFO_EHDR, &x), 0);
	assert_true(x == 0x7ffd0000);
	assert_int_equal(proc_auxv_get(&a, AT_PAGESZ, &x), 0);
	assert_true(x == 4096);
	assert_int_equal(proc_auxv_get(&a, AT_ENTRY, &x), -ENOENT);

	assert_int_equal(proc_auxv_parse(v, 8, &a), -EINVAL);		/* half a pair */
	assert_int_equal(proc_auxv_parse(v, 6 * 8, &a), -EINVAL);	/* no AT_NULL */
	assert_int_equal(proc_auxv_parse(v, 0, &a), -EINVAL);
}

static void test_auxv_too_long(void **state)
{
	uint64_t v[2 * (PROC_AUXV_MAX + 1)] = { 0 };
	struct proc_auxv a;
	int i;

	for (i = 0; i < PROC_AUXV_MAX; i++)
		v[2 * i] = AT_PAGESZ;
	assert_int_equal(proc_auxv_parse(v, sizeof(v), &a), -EINVAL);
	/* Exactly the maximum, AT_NULL last: fine. */
	v[2 * (PROC_AUXV_MAX - 1)] = AT_NULL;
	assert_int_equal(proc_auxv_parse(v, sizeof(v), &a), 0);
	assert_int_equal(a.nr, PROC_AUXV_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_stat_odd_comms),
		cmocka_unit_test(test_stat_extra_fields),
		cmocka_unit_test(test_stat_garbage),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_minimal),
		cmocka_unit_test(test_status_garbage),
		cmocka_unit_test(test_status_too_many),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_limits_garbage),
		cmocka_unit_test(test_auxv),
		cmocka_unit_test(test_auxv_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
