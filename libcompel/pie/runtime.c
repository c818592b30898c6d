// SPDX-License-Identifier: LGPL-2.1-or-later
/* The parasite runtime: memory helpers and the command loop. */
#include <linux/errno.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "compel-pie.h"
#include "compel-pie-ctl.h"
#include "compel-scm.h"

#define LOG_MAX 256

static int ctl_sock = -1;

PIE_HIDDEN void pie_wait(void);
PIE_HIDDEN void pie_main(struct pie_ctl *ctl) __attribute__((noreturn));

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static long send_tagged(char tag, const void *text, size_t len, int fd)
{
	char buf[1 + LOG_MAX];
	union scm_fd_buf control;
	struct iovec iov = { buf, 1 + len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	buf[0] = tag;
	memcpy(buf + 1, text, len);
	if (fd >= 0)
		scm_fd_attach(&msg, &control, fd);
	return pie_syscall(SYS_sendmsg, ctl_sock, &msg, MSG_DONTWAIT);
}

int pie_send_fd(int fd)
{
	long ret = send_tagged(PIE_MSG_FD, NULL, 0, fd);

	return ret < 0 ? (int)ret : 0;
}

int pie_recv_fd(void)
{
	char tag;
	union scm_fd_buf control;
	struct iovec iov = { &tag, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	long ret;
	int fd;

	scm_fd_expect(&msg, &control);
	ret = pie_syscall(SYS_recvmsg, ctl_sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (ret < 0)
		return (int)ret;
	fd = scm_fd_take(&msg);
	return fd < 0 ? -EAGAIN : fd;
}

void pie_log(const char *msg)
{
	size_t len = strlen(msg);

	send_tagged(PIE_MSG_LOG, msg, len < LOG_MAX ? len : LOG_MAX, -1);
}

/* Serve commands for ever: the caller ends us by taking the thread back. */
void pie_main(struct pie_ctl *ctl)
{
	ctl_sock = ctl->sock;
	for (;;) {
		pie_wait();
		ctl->ret = pie_handle(ctl->cmd, ctl->data, ctl->len, ctl->room);
	}
}
