// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A FIFO in the victim's folder, open once read-write (with bytes queued)
 * and once write-only non-blocking. Afterwards both fds are the same FIFO
 * at the same path with the same flags, the bytes come out whole, nothing
 * more, and the FIFO still carries new writes.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "victim.h"

#define UNREAD 5000

static int rdwr, wronly;
static struct stat before;
static unsigned char buf[UNREAD];

static int setup(void)
{
	if (mkfifo("fifo", 0600))
		return victim_fail("mkfifo: %m");
	rdwr = open("fifo", O_RDWR);
	wronly = open("fifo", O_WRONLY | O_NONBLOCK);
	if (rdwr < 0 || wronly < 0 || fstat(rdwr, &before))
		return victim_fail("open the FIFO: %m");
	victim_fill(buf, UNREAD, 70);
	if (write(wronly, buf, UNREAD) != UNREAD)
		return victim_fail("write: %m");
	return 0;
}

/* Reads everything there is without blocking. */
static ssize_t drain(void)
{
	ssize_t n, len = 0;

	fcntl(rdwr, F_SETFL, O_NONBLOCK);
	while (len < UNREAD && (n = read(rdwr, buf + len, UNREAD - len)) > 0)
		len += n;
	fcntl(rdwr, F_SETFL, 0);
	return len;
}

static int check(void)
{
	struct stat st, path;
	ssize_t n;

	if (fstat(rdwr, &st) || fstat(wronly, &path))
		return victim_fail("fstat: %m");
	if (!S_ISFIFO(st.st_mode) || st.st_ino != path.st_ino || stat("fifo", &path) ||
	    path.st_ino != st.st_ino || st.st_ino != before.st_ino)
		return victim_fail("the fds are no longer the FIFO at ./fifo");
	if ((fcntl(rdwr, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) != O_RDWR ||
	    (fcntl(wronly, F_GETFL) & (O_ACCMODE | O_NONBLOCK)) != (O_WRONLY | O_NONBLOCK))
		return victim_fail("the FIFO's flags changed");
	n = drain();
	if (n != UNREAD)
		return victim_fail("%zd bytes were left in the FIFO, not %d", n, UNREAD);
	if (victim_check_pattern("the FIFO's data", buf, UNREAD, 70))
		return -1;
	if (read(wronly, buf, 1) >= 0)
		return victim_fail("the write-only fd reads");
	victim_fill(buf, 100, 71);
	if (write(wronly, buf, 100) != 100 || drain() != 100)
		return victim_fail("the FIFO no longer carries data: %m");
	return victim_check_pattern("new data", buf, 100, 71);
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
