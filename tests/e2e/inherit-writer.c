// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checkpointed child of inherit-fd.sh: writes "pid P", then "tick N"
 * with N counting up from 1, to its stdout every 20 ms, one write per line,
 * until a write fails. With --hold PATH it also keeps PATH open as fd 3
 * (an fd number crtool is handed at restore).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	unsigned long n = 0;

	/* Nothing but stdin, stdout and stderr from whoever started us. */
	close_range(3, ~0U, 0);
	if (argc == 3 && !strcmp(argv[1], "--hold") && open(argv[2], O_RDONLY) != 3)
		return 1;
	if (dprintf(1, "pid %d\n", getpid()) < 0)
		return 1;
	for (;;) {
		if (dprintf(1, "tick %lu\n", ++n) < 0)
			return 0;
		nanosleep(&pause, NULL);
	}
}
