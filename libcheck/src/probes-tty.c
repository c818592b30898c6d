// SPDX-License-Identifier: LGPL-2.1-or-later
/* Pseudo-terminal ioctls that dump reads and restore sets. */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "probes.h"

/* Set the lock, read it back; the same for packet mode. */
static enum check_result lock_and_read(struct probe_out *out, int fd)
{
	int lock = 1, pkt = 1, got_lock = 0, got_pkt = 0, excl = -1;

	if (ioctl(fd, TIOCSPTLCK, &lock) || ioctl(fd, TIOCGPTLCK, &got_lock))
		return probe_errno(out, errno, -1, "ioctl(TIOCSPTLCK/TIOCGPTLCK)");
	if (ioctl(fd, TIOCPKT, &pkt) || ioctl(fd, TIOCGPKT, &got_pkt))
		return probe_errno(out, errno, -1, "ioctl(TIOCPKT/TIOCGPKT)");
	if (ioctl(fd, TIOCGEXCL, &excl))
		return probe_errno(out, errno, -1, "ioctl(TIOCGEXCL)");
	if (got_lock != 1 || got_pkt != 1 || excl != 0)
		return probe_missing(out, "pty ioctls read back other values than set");
	return probe_supported(out, "pty lock, packet mode and exclusive mode can be read");
}

enum check_result probe_tty(struct probe_out *out)
{
	enum check_result r;
	int fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return probe_errno(out, errno, -1, "open /dev/ptmx");
	r = lock_and_read(out, fd);
	close(fd);
	return r;
}
