// SPDX-License-Identifier: LGPL-2.1-or-later
/* mountinfo and fdinfo text: every kind of line, escapes, garbage. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "collect.h"
#include "proc-fdinfo.h"
#include "proc-mountinfo.h"

#define MAX_MOUNTS 8

struct mounts {
	int nr;
	struct proc_mount m[MAX_MOUNTS];
	char root[MAX_MOUNTS][64], mp[MAX_MOUNTS][64], fstype[MAX_MOUNTS][32], source[MAX_MOUNTS][64];
};

static int collect_mount(const struct proc_mount *m, void *arg)
{
	struct mounts *c = arg;

	assert_true(c->nr < MAX_MOUNTS);
	c->m[c->nr] = *m;
	snprintf(c->root[c->nr], 64, "%s", m->root);
	snprintf(c->mp[c->nr], 64, "%s", m->mountpoint);
	snprintf(c->fstype[c->nr], 32, "%s", m->fstype);
	snprintf(c->source[c->nr], 64, "%s", m->source);
	c->nr++;
	return 0;
}

static int parse_mounts(const char *text, struct mounts *c)
{
	memset(c, 0, sizeof(*c));
	return proc_mountinfo_parse(text, strlen(text), collect_mount, c);
}

static void test_mountinfo(void **state)
{
	static const char text[] =
		"22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro\n"
		"36 22 0:32 /sub\\040dir /mnt/a\\040b rw,nosuid master:7 propagate_from:3 - tmpfs my\\134src rw\n"
		"40 22 0:33 / /u rw unbindable - fuse.sshfs  rw,user_id=0\n"
		"41 22 0:34 / /n rw - proc proc rw\n";
	struct mounts c;

	assert_int_equal(parse_mounts(text, &c), 0);
	assert_int_equal(c.nr, 4);
	assert_int_equal(c.m[0].mnt_id, 22);
	assert_int_equal(c.m[0].parent_id, 1);
	assert_int_equal(c.m[0].dev_major, 254);
	assert_int_equal(c.m[0].shared, 1);
	assert_int_equal(c.m[0].master, 0);
	assert_string_equal(c.fstype[0], "ext4");
	assert_string_equal(c.source[0], "/dev/vda1");

	assert_string_equal(c.root[1], "/sub dir");
	assert_string_equal(c.mp[1], "/mnt/a b");
	assert_string_equal(c.source[1], "my\\src");
	assert_int_equal(c.m[1].dev_minor, 32);
	assert_int_equal(c.m[1].master, 7);
	assert_int_equal(c.m[1].propagate_from, 3);
	assert_int_equal(c.m[1].shared, 0);

	assert_true(c.m[2].unbindable);
	assert_string_equal(c.fstype[2], "fuse.sshfs");
	assert_string_equal(c.source[2], "");

	assert_int_equal(c.m[3].shared, 0);
	assert_false(c.m[3].unbindable);
}

static void test_mountinfo_garbage(void **state)
{
	static const char *const bad[] = {
		"garbage\n",
		"22 1 254:0 / / rw shared:1 ext4 /dev/vda1 rw\n",	/* no separator */
		"22 1 254:0 / / rw - ext4 /dev/vda1\n",		/* no super options */
		"22 1 254:0 / / rw - ext4 /dev/vda1 rw extra\n",
		"22 1 254 / / rw - ext4 /dev/vda1 rw\n",
		"22 x 254:0 / / rw - ext4 /dev/vda1 rw\n",
		"22 1 254:0 / / rw shared:x - ext4 /dev/vda1 rw\n",
		"22 1 254:0 /\n",
		"\n",
	};
	struct mounts c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("bad[%zu]\n", i);
		assert_int_equal(parse_mounts(bad[i], &c), -EINVAL);
	}
}

static int parse_fdinfo(const char *text, struct proc_fdinfo *fi, struct entries *c)
{
	memset(c, 0, sizeof(*c));
	return proc_fdinfo_parse(text, strlen(text), fi, collect_entry, c);
}

#define COMMON "pos:\t12\nflags:\t02004002\nmnt_id:\t17\nino:\t1038\n"

static void test_fdinfo_regular(void **state)
{
	static const char text[] = "pos:\t-1\nflags:\t0100000\nmnt_id:\t29\nino:\t5\n"
				   "lock:\t1: POSIX  ADVISORY  WRITE 123 fe:00:5 0 EOF\n";
	struct proc_fdinfo fi;
	struct entries c;

	assert_int_equal(parse_fdinfo(text, &fi, &c), 0);
	assert_int_equal(fi.pos, -1);
	assert_int_equal(fi.flags, 0100000);
	assert_int_equal(fi.mnt_id, 29);
	assert_int_equal(fi.ino, 5);
	assert_int_equal(fi.have, PROC_FDINFO_POS | PROC_FDINFO_FLAGS | PROC_FDINFO_MNT_ID | PROC_FDINFO_INO);
	assert_int_equal(c.nr, 0);
}

static void test_fdinfo_eventfd(void **state)
{
	static const char text[] = COMMON "eventfd-count:               1f\neventfd-id: 4\neventfd-semaphore: 1\n";
	struct proc_fdinfo fi;
	struct entries c;

	assert_int_equal(parse_fdinfo(text, &fi, &c), 0);
	assert_int_equal(fi.pos, 12);
	assert_int_equal(fi.flags, 02004002);
	assert_int_equal(fi.eventfd_count, 0x1f);
	assert_int_equal(fi.eventfd_id, 4);
	assert_int_equal(fi.eventfd_semaphore, 1);
	assert_true(fi.have & PROC_FDINFO_EVENTFD);
}

static void test_fdinfo_epoll(void **state)
{
	static const char text[] = COMMON "tfd:        3 events:       19 data:                3  pos:0 ino:40e sdev:10\n"
					  "tfd:       10 events: 80000001 data: ffffffffffffffff  pos:-5 ino:1 sdev:0\n"
					  "tfd:        4 events:        1 data:                0\n";
	struct proc_fdinfo fi;
	struct entries c;

	assert_int_equal(parse_fdinfo(text, &fi, &c), 0);
	assert_int_equal(c.nr, 3);
	assert_int_equal(c.e[0].kind, PROC_FDE_EPOLL_TFD);
	assert_int_equal(c.e[0].epoll.tfd, 3);
	assert_int_equal(c.e[0].epoll.events, 0x19);
	assert_int_equal(c.e[0].epoll.data, 3);
	assert_int_equal(c.e[0].epoll.ino, 0x40e);
	assert_int_equal(c.e[0].epoll.sdev, 0x10);
	assert_int_equal(c.e[1].epoll.events, 0x80000001);
	assert_true(c.e[1].epoll.data == UINT64_MAX);
	assert_int_equal(c.e[1].epoll.pos, -5);
	assert_int_equal(c.e[2].epoll.tfd, 4);
}

static void test_fdinfo_inotify(void **state)
{
	static const char text[] =
		COMMON "inotify wd:1 ino:3c51a sdev:fe00000 mask:100 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 "
		       "f_handle:1ac5030000000000\n"
		       "inotify wd:a ino:2 sdev:3 mask:fff ignored_mask:0\n";
	static const unsigned char fh[] = { 0x1a, 0xc5, 0x03, 0, 0, 0, 0, 0 };
	struct proc_fdinfo fi;
	struct entries c;

	assert_int_equal(parse_fdinfo(text, &fi, &c), 0);
	assert_int_equal(c.nr, 2);
	assert_int_equal(c.e[0].kind, PROC_FDE_INOTIFY_WD);
	assert_int_equal(c.e[0].inotify.wd, 1);
	assert_int_equal(c.e[0].inotify.ino, 0x3c51a);
	assert_int_equal(c.e[0].inotify.sdev, 0xfe00000);
	assert_int_equal(c.e[0].inotify.mask, 0x100);
	assert_int_equal(c.e[0].inotify.fh.bytes, 8);
	assert_int_equal(c.e[0].inotify.fh.type, 1);
	assert_memory_equal(c.e[0].inotify.fh.handle, fh, 8);
	assert_int_equal(c.e[1].inotify.wd, 10);
	assert_int_equal(c.e[1].inotify.fh.bytes, 0);
}

static void test_fdinfo_fanotify(void **state)
{
	static const char text[] =
		COMMON "fanotify flags:10 event-flags:8002\n"
		       "fanotify ino:3c51a sdev:fe00000 mflags:0 mask:8 ignored_mask:0 fhandle-bytes:8 "
		       "fhandle-type:1 f_handle:1ac5030000000000\n"
		       "fanotify mnt_id:1d mflags:1 mask:3b ignored_mask:40000000\n"
		       "fanotify sdev:800001 mflags:0 mask:8 ignored_mask:0\n";
	struct proc_fdinfo fi;
	struct entries c;

	assert_int_equal(parse_fdinfo(text, &fi, &c), 0);
	assert_true(fi.have & PROC_FDINFO_FANOTIFY);
	assert_int_equal(fi.fanotify_flags, 0x10);
	assert_int_equal(fi.fanotify_event_flags, 0x8002);
	assert_int_equal(c.nr, 3);
	assert_int_equal(c.e[0].kind, PROC_FDE_FANOTIFY_INODE);
	assert_int_equal(c.e[0].fanotify.ino, 0x3c51a);
	assert_int_equal(c.e[0].fanotify.mask, 8);
	assert_int_equal(c.e[0].fanotify.fh.bytes, 8);
	assert_int_equal(c.e[1].kind, PROC_FDE_FANOTIFY_MOUNT);
	assert_int_equal(c.e[1].fanotify.mnt_id, 0x1d);
	assert_int_equal(c.e[1].fanotify.mflags, 1);
	assert_int_equal(c.e[1].fanotify.ignored_mask, 0x40000000);
	assert_int_equal(c.e[2].kind, PROC_FDE_FANOTIFY_SB);
	assert_int_equal(c.e[2].fanotify.sdev, 0x800001);
}

static void test_fdinfo_signalfd_timerfd(void **state)
{
	static const char sfd[] = COMMON "sigmask:\t0000000000000204\n";
	static const char tfd[] = COMMON "clockid: 1\nticks: 3\nsettime flags: 01\n"
					 "it_value: (99, 999418500)\nit_interval: (2, 5)\n";
	struct proc_fdinfo fi;
	struct entries c;

	assert_int_equal(parse_fdinfo(sfd, &fi, &c), 0);
	assert_true(fi.have & PROC_FDINFO_SIGNALFD);
	assert_true(fi.sigmask == 0x204);

	assert_int_equal(parse_fdinfo(tfd, &fi, &c), 0);
	assert_true(fi.have & PROC_FDINFO_TIMERFD);
	assert_int_equal(fi.timerfd_clockid, 1);
	assert_int_equal(fi.timerfd_ticks, 3);
	assert_int_equal(fi.timerfd_settime_flags, 1);
	assert_int_equal(fi.timerfd_value.sec, 99);
	assert_int_equal(fi.timerfd_value.nsec, 999418500);
	assert_int_equal(fi.timerfd_interval.sec, 2);
	assert_int_equal(fi.timerfd_interval.nsec, 5);
}

static void test_fdinfo_garbage(void **state)
{
	static const char *const bad[] = {
		"",
		"garbage\n",
		"pos:\t0\nflags:\t02\n",			/* no mnt_id */
		"pos:\tx\nflags:\t02\nmnt_id:\t1\n",
		"pos:\t0\nflags:\t09\nmnt_id:\t1\n",
		COMMON "eventfd-count: zz\n",
		COMMON "tfd: 3 events: 19\n",			/* no data */
		COMMON "tfd: 3 events: 19 data: 1 pos:x\n",
		COMMON "tfd: 3 events:19data:1\n",
		COMMON "inotify wd:1 ino:2 sdev:3\n",		/* no mask */
		COMMON "inotify wd:1 ino:2 sdev:3 mask:4 fhandle-bytes:8 f_handle:1ac5\n",
		COMMON "inotify wd:1 ino:2 sdev:3 mask:4 fhandle-bytes:81 f_handle:00\n",
		COMMON "inotify wd:1 ino:2 sdev:3 mask:4 fhandle-bytes:1 f_handle:0g\n",
		COMMON "inotify wd:1 ino:2 sdev:3 mask:4 fhandle-bytes:1 f_handle:000\n",
		COMMON "fanotify flags:10\n",
		COMMON "fanotify what:1 mflags:0 mask:0 ignored_mask:0\n",
		COMMON "clockid: 1\nticks: 0\n",			/* half a timerfd */
		COMMON "clockid: 1\nticks: 0\nsettime flags: 0\nit_value: (1 2)\nit_interval: (0, 0)\n",
		COMMON "sigmask:\t1ffffffffffffffff\n",
	};
	struct proc_fdinfo fi;
	struct entries c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("bad[%zu]\n", i);
		assert_int_equal(parse_fdinfo(bad[i], &fi, &c), -EINVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mountinfo),
		cmocka_unit_test(test_mountinfo_garbage),
		cmocka_unit_test(test_fdinfo_regular),
		cmocka_unit_test(test_fdinfo_eventfd),
		cmocka_unit_test(test_fdinfo_epoll),
		cmocka_unit_test(test_fdinfo_inotify),
		cmocka_unit_test(test_fdinfo_fanotify),
		cmocka_unit_test(test_fdinfo_signalfd_timerfd),
		cmocka_unit_test(test_fdinfo_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
