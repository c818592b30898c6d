// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The parasite of libcompel's tests. Its commands go through a table of
 * function pointers and name strings on purpose: those need relocations.
 */
#include <linux/errno.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "compel-pie.h"
#include "test-parasite.h"


static long do_getpid(void *data, uint32_t len, uint32_t room)
{
	return pie_syscall(SYS_getpid, 0, 0, 0);
}

/* In: an int signal number. Out: the kernel's struct sigaction (32 bytes). */
static long do_sigaction(void *data, uint32_t len, uint32_t room)
{
	int sig;
	long ret;

	if (len != sizeof(sig) || room < 32)
		return -EINVAL;
	memcpy(&sig, data, sizeof(sig));
	ret = pie_syscall6(SYS_rt_sigaction, sig, 0, (long)data, 8, 0, 0);
	return ret < 0 ? ret : 32;
}

/* Out: the command's own name, from a table of pointers. */
static const char *const names[] = { "getpid", "sigaction", "name", "crash", "reverse", "send_fd", "splice", "hang", "gettid" };

static long do_name(void *data, uint32_t len, uint32_t room)
{
	size_t n = strlen(names[TEST_CMD_NAME]);

	memcpy(data, names[TEST_CMD_NAME], n);
	return n;
}

static long do_crash(void *data, uint32_t len, uint32_t room)
{
	return *(volatile long *)0;
}

/* In: bytes. Out: the same bytes, reversed. */
static long do_reverse(void *data, uint32_t len, uint32_t room)
{
	unsigned char *b = data, t;
	uint32_t i;

	for (i = 0; i < len / 2; i++) {
		t = b[i];
		b[i] = b[len - 1 - i];
		b[len - 1 - i] = t;
	}
	return len;
}

/* In: an int fd of the task. Sends it to the caller, and says so in the log. */
static long do_send_fd(void *data, uint32_t len, uint32_t room)
{
	int fd;

	if (len != sizeof(fd))
		return -EINVAL;
	memcpy(&fd, data, sizeof(fd));
	pie_log("sending an fd");
	return pie_send_fd(fd);
}

/*
 * In: an address and a length in the task. Takes the pipe the caller sent
 * and vmsplices that memory into it; the reply is the count spliced.
 */
static long do_splice(void *data, uint32_t len, uint32_t room)
{
	struct iovec iov;
	int fd = pie_recv_fd();
	long ret;

	if (fd < 0)
		return fd;
	if (len != sizeof(iov)) {
		pie_syscall(SYS_close, fd, 0, 0);
		return -EINVAL;
	}
	memcpy(&iov, data, sizeof(iov));
	ret = pie_syscall(SYS_vmsplice, fd, &iov, 1);
	pie_syscall(SYS_close, fd, 0, 0);
	return ret;
}

/* The id of the thread that runs the command. */
static long do_gettid(void *data, uint32_t len, uint32_t room)
{
	return pie_syscall(SYS_gettid, 0, 0, 0);
}

/* In: an int TEST_HANG_*. Never returns. */
static long do_hang(void *data, uint32_t len, uint32_t room)
{
	int how = TEST_HANG_SPIN;

	if (len == sizeof(how))
		memcpy(&how, data, sizeof(how));
	for (;;) {
		if (how == TEST_HANG_SYSCALLS)
			pie_syscall(SYS_getppid, 0, 0, 0);
		else if (how == TEST_HANG_BLOCKED)
			pie_syscall(SYS_pause, 0, 0, 0);
	}
	return 0; /* not reached */
}

static long (*const handlers[])(void *, uint32_t, uint32_t) = {
	[TEST_CMD_GETPID] = do_getpid,
	[TEST_CMD_SIGACTION] = do_sigaction,
	[TEST_CMD_NAME] = do_name,
	[TEST_CMD_CRASH] = do_crash,
	[TEST_CMD_REVERSE] = do_reverse,
	[TEST_CMD_SEND_FD] = do_send_fd,
	[TEST_CMD_SPLICE] = do_splice,
	[TEST_CMD_HANG] = do_hang,
	[TEST_CMD_GETTID] = do_gettid,
};

long pie_handle(uint32_t cmd, void *data, uint32_t len, uint32_t room)
{
	if (cmd >= sizeof(handlers) / sizeof(handlers[0]))
		return -EINVAL;
	return handlers[cmd](data, len, room);
}
