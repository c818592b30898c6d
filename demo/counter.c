// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The demo's process: prints a counter and its pid to stdout every 0.2 s.
 * The count lives only in memory, so after a restore it carries on from
 * where the dump left it.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct timespec tick = {0, 200 * 1000000L};
	unsigned long count;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (count = 1;; count++) {
		printf("count %lu pid %d\n", count, getpid());
		nanosleep(&tick, NULL);
	}
}
