// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Copy-on-write sharing of a private file mapping (as a library's data
 * is): the root maps a 4 MiB file privately, writes every page (its own
 * copies now, no longer the file's) and forks a child that writes none.
 * After SIGTERM (passed to the child) both check every page, and in
 * /proc/self/smaps that the area's pages are dirty and shared, none
 * mapped alone; the file itself is untouched. The child reports on a pipe.
 * With "--split yes" the child makes the second half of its copy read-only
 * once forked: two areas of its own, each a part of the root's.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

#define AREA_SIZE (4 << 20)
#define SEED 21
/* Pages one may map alone beyond none (the kernel's own doings). */
#define SLACK_KB 16

static unsigned char *area;
static int report[2];
static pid_t child;
static int split;

static int option(const char *name, const char *value)
{
	if (strcmp(name, "split") || strcmp(value, "yes"))
		return -1;
	split = 1;
	return 0;
}

/* Every page holds the pattern, shared with the other process: 0, or the reason in @why. */
static int check_area(const char *who, char *why, size_t size)
{
	unsigned long start, end, kb, shared = 0, alone = 0;
	char line[512], field[64];
	int in_area = 0, found = 0;
	FILE *f;

	if (victim_check_pattern("the area", area, AREA_SIZE, SEED))
		return snprintf(why, size, "%s: the area holds the wrong bytes", who);
	f = fopen("/proc/self/smaps", "r");
	if (!f)
		return snprintf(why, size, "%s: /proc/self/smaps: %m", who);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx %63s", &start, &end, field) == 3) {
			/* The area may be split: every mapping within it counts. */
			in_area = start >= (unsigned long)area &&
				  end <= (unsigned long)area + AREA_SIZE;
			found |= in_area;
		} else if (in_area && sscanf(line, "%63[^:]: %lu kB", field, &kb) == 2) {
			if (!strcmp(field, "Shared_Dirty"))
				shared += kb;
			else if (!strncmp(field, "Private_", 8))
				alone += kb;
		}
	}
	fclose(f);
	if (!found)
		return snprintf(why, size, "%s: the area is not in smaps", who);
	if (shared < AREA_SIZE / 1024 - SLACK_KB || alone > SLACK_KB)
		return snprintf(why, size, "%s: the area has Shared_Dirty %lu kB, Private %lu kB",
				who, shared, alone);
	return 0;
}

static void child_main(void)
{
	char why[300] = "";

	if (split && mprotect(area + AREA_SIZE / 2, AREA_SIZE / 2, PROT_READ))
		_exit(1);

	victim_wait();
	check_area("child", why, sizeof(why));
	_exit(write(report[1], why, strlen(why) + 1) < 0);
}

static int setup(void)
{
	int fd = open("cow.data", O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, AREA_SIZE))
		return victim_fail("cow.data: %m");
	area = mmap(NULL, AREA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (area == MAP_FAILED)
		return victim_fail("mmap: %m");
	victim_fill(area, AREA_SIZE, SEED);
	if (pipe(report))
		return victim_fail("pipe: %m");
	child = fork();
	if (child < 0)
		return victim_fail("fork: %m");
	if (!child)
		child_main();
	return 0;
}

static int check(void)
{
	char why[300] = "", reaped[300] = "", told[300] = "";
	unsigned char zero[4096], got[4096];
	int fd;

	check_area("root", why, sizeof(why));
	if (kill(child, SIGTERM) || read(report[0], told, sizeof(told) - 1) < 0)
		return victim_fail("the child: %m");
	victim_reap(child, reaped, sizeof(reaped));
	if (why[0] || told[0] || reaped[0])
		return victim_fail("%s", why[0] ? why : told[0] ? told : reaped);
	/* The writes went to private copies only. */
	memset(zero, 0, sizeof(zero));
	fd = open("cow.data", O_RDONLY);
	if (fd < 0 || pread(fd, got, sizeof(got), 0) != (ssize_t)sizeof(got) ||
	    memcmp(got, zero, sizeof(got)))
		return victim_fail("cow.data is not all zeros any more: %m");
	close(fd);
	return 0;
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.check = check,
};
