// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Pipes: one with unread data, both ends open, a bigger capacity and a
 * non-blocking write end; another with unread data whose write end is
 * closed. Afterwards the data comes out whole, nothing more, and the first
 * pipe still carries new writes.
 */
#include <fcntl.h>
#include <unistd.h>

#include "victim.h"

#define UNREAD 20000
#define CAPACITY (256 * 1024)
#define CLOSED_UNREAD 3000

static int open_pipe[2], closed_pipe[2];
static unsigned char buf[UNREAD];

static int setup(void)
{
	victim_fill(buf, UNREAD, 60);
	if (pipe(open_pipe) || pipe(closed_pipe) ||
	    fcntl(open_pipe[0], F_SETPIPE_SZ, CAPACITY) != CAPACITY ||
	    fcntl(open_pipe[1], F_SETFL, O_NONBLOCK))
		return victim_fail("setting the pipes up: %m");
	if (write(open_pipe[1], buf, UNREAD) != UNREAD)
		return victim_fail("write: %m");
	victim_fill(buf, CLOSED_UNREAD, 61);
	if (write(closed_pipe[1], buf, CLOSED_UNREAD) != CLOSED_UNREAD || close(closed_pipe[1]))
		return victim_fail("write: %m");
	return 0;
}

/* Reads everything there is without blocking (the read end is made non-blocking). */
static ssize_t drain(int fd)
{
	ssize_t n, len = 0;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while (len < UNREAD && (n = read(fd, buf + len, UNREAD - len)) > 0)
		len += n;
	return len;
}

static int check(void)
{
	ssize_t n;

	if (fcntl(open_pipe[0], F_GETPIPE_SZ) != CAPACITY)
		return victim_fail("the pipe holds %d bytes, not %d",
				   fcntl(open_pipe[0], F_GETPIPE_SZ), CAPACITY);
	if ((fcntl(open_pipe[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK)) != O_RDONLY ||
	    (fcntl(open_pipe[1], F_GETFL) & (O_ACCMODE | O_NONBLOCK)) != (O_WRONLY | O_NONBLOCK))
		return victim_fail("the pipe ends' flags changed");

	n = drain(open_pipe[0]);
	if (n != UNREAD)
		return victim_fail("%zd bytes were left in the pipe, not %d", n, UNREAD);
	if (victim_check_pattern("the pipe's data", buf, UNREAD, 60))
		return -1;

	n = drain(closed_pipe[0]);
	if (n != CLOSED_UNREAD)
		return victim_fail("%zd bytes were left in the closed pipe, not %d", n,
				   CLOSED_UNREAD);
	if (victim_check_pattern("the closed pipe's data", buf, CLOSED_UNREAD, 61))
		return -1;
	if (read(closed_pipe[0], buf, 1) != 0)
		return victim_fail("no end of file on the closed pipe");

	victim_fill(buf, 100, 62);
	if (write(open_pipe[1], buf, 100) != 100 || drain(open_pipe[0]) != 100)
		return victim_fail("the pipe no longer carries data: %m");
	return victim_check_pattern("new data", buf, 100, 62);
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
