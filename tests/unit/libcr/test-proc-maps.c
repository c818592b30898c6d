// SPDX-License-Identifier: LGPL-2.1-or-later
/* maps and smaps text: every column, special names, odd paths, garbage. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "collect.h"
#include "proc-lines.h"
#include "proc-maps.h"

static int parse(const char *text, struct vmas *c)
{
	memset(c, 0, sizeof(*c));
	return proc_smaps_parse(text, strlen(text), collect_vma, c);
}

static const char maps_text[] =
	"55d0c0a00000-55d0c0a02000 r--p 00000000 fe:00 247134                     /usr/bin/cat\n"
	"55d0c0a02000-55d0c0a07000 r-xp 00002000 fe:00 247134                     /usr/bin/cat\n"
	"55d0c1c4f000-55d0c1c70000 rw-p 00000000 00:00 0                          [heap]\n"
	"7f0000000000-7f0000001000 rw-s 00000000 00:01 1043                       /dev/zero (deleted)\n"
	"7f0000001000-7f0000002000 ---p 00000000 00:00 0 \n"
	"7f0000002000-7f0000003000 r--s 00001000 103:02 18446744073709551615      /tmp/a b (deleted) c (deleted)\n"
	"7f0000003000-7f0000004000 rw-p 00000000 00:00 0                          [anon:my buf]\n"
	"7f0000004000-7f0000005000 rw-s 00000000 00:01 7                          [anon_shmem:x]\n"
	"7f0000005000-7f0000006000 rw-p 00000000 00:00 0                          [something new]\n"
	"7ffd5a3a0000-7ffd5a3c1000 rw-p 00000000 00:00 0                          [stack]\n"
	"7ffd5a3c1000-7ffd5a3c5000 r--p 00000000 00:00 0                          [vvar]\n"
	"7ffd5a3c5000-7ffd5a3c7000 r--p 00000000 00:00 0                          [vvar_vclock]\n"
	"7ffd5a3c7000-7ffd5a3c9000 r-xp 00000000 00:00 0                          [vdso]\n"
	"7ffd5a3c9000-7ffd5a3ca000 r-xp 00000000 00:00 0                          [uprobes]\n"
	"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

static void test_maps(void **state)
{
	static struct vmas c;

	assert_int_equal(parse(maps_text, &c), 0);
	assert_int_equal(c.nr, 15);

	assert_true(c.v[0].start == 0x55d0c0a00000ULL && c.v[0].end == 0x55d0c0a02000ULL);
	assert_int_equal(c.v[0].prot, PROT_READ);
	assert_false(c.v[0].shared);
	assert_int_equal(c.v[0].dev_major, 0xfe);
	assert_int_equal(c.v[0].dev_minor, 0);
	assert_int_equal(c.v[0].inode, 247134);
	assert_int_equal(c.v[0].kind, PROC_VMA_FILE);
	assert_string_equal(c.v[0].name, "/usr/bin/cat");
	assert_false(c.v[0].have_smaps);

	assert_int_equal(c.v[1].prot, PROT_READ | PROT_EXEC);
	assert_int_equal(c.v[1].pgoff, 0x2000);
	assert_int_equal(c.v[2].kind, PROC_VMA_HEAP);
	assert_string_equal(c.v[2].name, "heap");

	/* Shared anonymous memory is a deleted /dev/zero of the shmem device. */
	assert_true(c.v[3].shared);
	assert_true(c.v[3].deleted);
	assert_string_equal(c.v[3].name, "/dev/zero");
	assert_int_equal(c.v[3].dev_minor, 1);

	/* A guard area: no access, no name, trailing blank. */
	assert_int_equal(c.v[4].prot, 0);
	assert_int_equal(c.v[4].kind, PROC_VMA_ANON);
	assert_string_equal(c.v[4].name, "");

	/* Only the last " (deleted)" is the kernel's; spaces stay in the path. */
	assert_int_equal(c.v[5].dev_major, 0x103);
	assert_int_equal(c.v[5].dev_minor, 2);
	assert_true(c.v[5].inode == UINT64_MAX);
	assert_true(c.v[5].deleted);
	assert_string_equal(c.v[5].name, "/tmp/a b (deleted) c");

	assert_int_equal(c.v[6].kind, PROC_VMA_ANON_NAMED);
	assert_string_equal(c.v[6].name, "my buf");
	assert_int_equal(c.v[7].kind, PROC_VMA_ANON_NAMED);
	assert_true(c.v[7].shared);
	assert_string_equal(c.v[7].name, "x");
	assert_int_equal(c.v[8].kind, PROC_VMA_SPECIAL);
	assert_string_equal(c.v[8].name, "something new");
	assert_int_equal(c.v[9].kind, PROC_VMA_STACK);
	assert_int_equal(c.v[10].kind, PROC_VMA_VVAR);
	assert_true(c.v[10].end - c.v[10].start == 4 * 4096);
	assert_int_equal(c.v[11].kind, PROC_VMA_VVAR_VCLOCK);
	assert_int_equal(c.v[12].kind, PROC_VMA_VDSO);
	assert_int_equal(c.v[13].kind, PROC_VMA_UPROBES);
	assert_int_equal(c.v[14].kind, PROC_VMA_VSYSCALL);
	assert_int_equal(c.v[14].prot, PROT_EXEC);
	assert_true(c.v[14].end == 0xffffffffff601000ULL);
}

static const char smaps_text[] =
	"7f0000000000-7f0000004000 rw-p 00000000 00:00 0 \n"
	"Size:                 16 kB\n"
	"KernelPageSize:        4 kB\n"
	"Rss:                   8 kB\n"
	"Anonymous:             8 kB\n"
	"Swap:                  0 kB\n"
	"Locked:                4 kB\n"
	"THPeligible:           0\n"
	"VmFlags: rd wr mr mw me lo ac dc wf dd hg zz \n"
	"7f0000004000-7f0000005000 r--s 00000000 00:05 12                         /memfd:a (deleted)\n"
	"Size:                  4 kB\n"
	"Rss:                   0 kB\n"
	"VmFlags: rd sh mr mw me ms\n";

static void test_smaps(void **state)
{
	static struct vmas c;

	assert_int_equal(parse(smaps_text, &c), 0);
	assert_int_equal(c.nr, 2);
	assert_true(c.v[0].have_smaps && c.v[0].have_vmflags);
	assert_int_equal(c.v[0].size_kb, 16);
	assert_int_equal(c.v[0].rss_kb, 8);
	assert_int_equal(c.v[0].anon_kb, 8);
	assert_int_equal(c.v[0].locked_kb, 4);
	assert_true(c.v[0].vmflags == (PROC_VMF_RD | PROC_VMF_WR | PROC_VMF_MR | PROC_VMF_MW | PROC_VMF_ME |
				       PROC_VMF_LO | PROC_VMF_AC | PROC_VMF_DC | PROC_VMF_WF | PROC_VMF_DD |
				       PROC_VMF_HG | PROC_VMF_UNKNOWN));
	assert_true(c.v[1].vmflags ==
		    (PROC_VMF_RD | PROC_VMF_SH | PROC_VMF_MR | PROC_VMF_MW | PROC_VMF_ME | PROC_VMF_MS));
	assert_string_equal(c.v[1].name, "/memfd:a");
	assert_true(c.v[1].deleted);
}

static void test_vmflags(void **state)
{
	uint64_t f;

	assert_int_equal(proc_vmflags_parse("", &f), 0);
	assert_true(f == 0);
	assert_int_equal(proc_vmflags_parse("ss sl", &f), 0);
	assert_true(f == (PROC_VMF_SS | PROC_VMF_SL));
	assert_int_equal(proc_vmflags_parse("rdw", &f), -EINVAL);
	assert_int_equal(proc_vmflags_parse("r", &f), -EINVAL);
}

static int stop(const struct proc_vma *vma, void *arg)
{
	return -ECANCELED;
}

static void test_callback_stops(void **state)
{
	assert_int_equal(proc_smaps_parse(maps_text, strlen(maps_text), stop, NULL), -ECANCELED);
}

static void test_garbage(void **state)
{
	static const char *const bad[] = {
		"garbage\n",
		"Rss: 4 kB\n", /* a field before any mapping */
		"1000-2000 rw-p 00000000 00:00 0\nRss: four kB\n",
		"1000-2000 rw-p 00000000 00:00 0\nVmFlags: rd wrx\n",
		"1000-2000 rw-p 00000000 00:00 0\nno colon here\n",
		"1000-2000 rw-q 00000000 00:00 0\n",
		"1000-2000 rw- 00000000 00:00 0\n",
		"2000-1000 rw-p 00000000 00:00 0\n",
		"1000-1000 rw-p 00000000 00:00 0\n",
		"1000-2000 rw-p 00000000 00:00\n",
		"1000-2000 rw-p 00000000 0000 0\n",
		"1000-2000 rw-p 0000000g 00:00 0\n",
		"1000-2000 rw-p 00000000 00:00 12x\n",
		"10000000000000000-10000000000000001 rw-p 00000000 00:00 0\n",
		"1000-\n",
		"1000-2000",
		"1000-2000 rw-p 00000000 00:00 0\n\n",
		"\n",
	};
	static struct vmas c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("bad[%zu]\n", i);
		assert_int_equal(parse(bad[i], &c), -EINVAL);
	}
}

static void test_overlong_path(void **state)
{
	size_t n = PROC_LINE_MAX + 100;
	char *text = malloc(n + 64);
	static struct vmas c;
	int len;

	len = sprintf(text, "1000-2000 r--p 00000000 08:01 5 /");
	memset(text + len, 'a', n - len);
	text[n] = '\n';
	text[n + 1] = '\0';
	assert_int_equal(parse(text, &c), -EINVAL);
	assert_int_equal(c.nr, 0);

	/* Just under the limit: a long path is fine. */
	text[PROC_LINE_MAX - 1] = '\n';
	text[PROC_LINE_MAX] = '\0';
	assert_int_equal(parse(text, &c), 0);
	assert_int_equal(c.nr, 1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_smaps),
		cmocka_unit_test(test_vmflags),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_overlong_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
