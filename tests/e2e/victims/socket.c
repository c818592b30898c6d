// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A connected socketpair with a message queued. Afterwards the message
 * comes out whole and the pair still carries data.
 * With --in-flight yes, a second message carries an fd (SCM_RIGHTS), which
 * crtool cannot dump: the dump must fail naming the socket and leave this
 * process as it was; that message then still brings its fd.
 * With --inet yes, an unbound UDP socket is open too.
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "victim.h"

#define MSG "queued before the dump"

static int sk[2], in_flight, inet = -1;

static int option(const char *name, const char *value)
{
	if (strcmp(value, "yes"))
		return -1;
	if (!strcmp(name, "in-flight"))
		in_flight = 1;
	else if (!strcmp(name, "inet"))
		inet = 0;
	else
		return -1;
	return 0;
}

/* Send one byte with fd 1 attached from @fd. */
static int send_fd(int fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c = {0};
	struct iovec iov = {"F", 1};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = c.buf,
			    .msg_controllen = sizeof(c.buf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	int one = 1;

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &one, sizeof(int));
	return sendmsg(fd, &mh, 0) == 1 ? 0 : -1;
}

/* The message with an fd is there, with its fd. */
static int check_fd_message(int fd)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} c;
	char byte;
	struct iovec iov = {&byte, 1};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = c.buf,
			    .msg_controllen = sizeof(c.buf)};
	struct cmsghdr *cm;
	int got;

	if (recvmsg(fd, &mh, MSG_DONTWAIT) != 1 || byte != 'F')
		return victim_fail("the message with an fd is lost");
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return victim_fail("the message lost its fd");
	memcpy(&got, CMSG_DATA(cm), sizeof(int));
	close(got);
	return 0;
}

static int setup(void)
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk))
		return victim_fail("socketpair: %m");
	if (write(sk[0], MSG, sizeof(MSG)) != sizeof(MSG))
		return victim_fail("write: %m");
	if (in_flight && send_fd(sk[0]))
		return victim_fail("sendmsg: %m");
	if (!inet) {
		inet = socket(AF_INET, SOCK_DGRAM, 0);
		if (inet < 0)
			return victim_fail("socket: %m");
	}
	return 0;
}

static int check(void)
{
	char buf[sizeof(MSG)];

	if (recv(sk[1], buf, sizeof(buf), MSG_DONTWAIT) != sizeof(MSG) ||
	    memcmp(buf, MSG, sizeof(MSG)))
		return victim_fail("the queued message is lost");
	if (in_flight && check_fd_message(sk[1]))
		return -1;
	if (write(sk[1], "back", 4) != 4 || recv(sk[0], buf, 4, MSG_DONTWAIT) != 4 ||
	    memcmp(buf, "back", 4))
		return victim_fail("the pair no longer carries data: %m");
	return 0;
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.check = check,
};
