/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One file descriptor in SCM_RIGHTS, as both ends of the control socket
 * (the parasite runtime and libcompel) send and receive it. Header-only so
 * that the freestanding parasite can use it too.
 */
#ifndef COMPEL_SCM_H
#define COMPEL_SCM_H

#include <sys/socket.h>

union scm_fd_buf {
	char space[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

/* Point @msg's control data at @buf, ready to receive one fd. */
static inline void scm_fd_expect(struct msghdr *msg, union scm_fd_buf *buf)
{
	msg->msg_control = buf->space;
	msg->msg_controllen = sizeof(buf->space);
}

/* Make @msg carry @fd, in @buf. */
static inline void scm_fd_attach(struct msghdr *msg, union scm_fd_buf *buf, int fd)
{
	struct cmsghdr *cmsg;

	__builtin_memset(buf, 0, sizeof(*buf));
	scm_fd_expect(msg, buf);
	cmsg = CMSG_FIRSTHDR(msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	__builtin_memcpy(CMSG_DATA(cmsg), &fd, sizeof(fd));
}

/* The fd a received @msg brought, or -1. */
static inline int scm_fd_take(struct msghdr *msg)
{
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(msg);
	int fd;

	if (!cmsg || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	__builtin_memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
	return fd;
}

#endif
