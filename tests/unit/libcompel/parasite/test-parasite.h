/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Commands of the test parasite, shared by the parasite and the tests. */
#ifndef COMPEL_TEST_PARASITE_H
#define COMPEL_TEST_PARASITE_H

enum {
	TEST_CMD_GETPID,
	TEST_CMD_SIGACTION,
	TEST_CMD_NAME,
	TEST_CMD_CRASH,
	TEST_CMD_REVERSE,
	TEST_CMD_SEND_FD,
	TEST_CMD_SPLICE,
	TEST_CMD_HANG,
	TEST_CMD_GETTID,
};

/* How TEST_CMD_HANG never waits again. */
enum {
	TEST_HANG_SPIN,		/* loops in user space */
	TEST_HANG_SYSCALLS,	/* loops on getppid() */
	TEST_HANG_BLOCKED,	/* blocks in pause(), every signal blocked */
};

#endif
