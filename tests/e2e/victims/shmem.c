// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Shared anonymous memory: a 1 MiB patterned MAP_SHARED | MAP_ANONYMOUS
 * area the root shares with a child it forks, and a 4-page one with its
 * second page unmapped (two areas of one object, at offsets 0 and 2
 * pages). After SIGTERM the child checks both and writes a new pattern
 * into the first page of the big one; the root, once the child is gone,
 * must see it there (the memory is still shared) and the rest unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

#define MiB (1024 * 1024UL)
#define BIG_SIZE (1 * MiB)
#define SPLIT_PAGES 4
#define SEED_BIG 7
#define SEED_SPLIT 10
#define SEED_CHILD 8

/* What the child found, as its exit status. */
enum { CHILD_OK, CHILD_BIG_DIFFERS, CHILD_SPLIT_DIFFERS, CHILD_MAPS_DIFFER };

static size_t page;
static unsigned char *big, *split;
static pid_t child;

static void *map_shared(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The area at @addr is shared anonymous memory in /proc/self/maps. */
static int check_maps(const char *what, const void *addr)
{
	char line[512];
	unsigned long start;
	FILE *f = fopen("/proc/self/maps", "r");
	int named = 0;

	if (!f)
		return victim_fail("open /proc/self/maps: %m");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-", &start) == 1 && start == (uintptr_t)addr)
			named = strstr(line, " /dev/zero (deleted)") != NULL;
	fclose(f);
	if (!named)
		return victim_fail("%s at %p is not \"/dev/zero (deleted)\" in maps", what, addr);
	return victim_check_perms(what, addr, "rw-s");
}

/* [@off, @off + @len) of @area holds those bytes of a pattern over @total bytes. */
static int check_part(const char *what, const unsigned char *area, size_t off, size_t len,
		      size_t total, unsigned int seed)
{
	unsigned char *want = malloc(total);
	int differs;

	if (!want)
		return victim_fail("malloc: %m");
	victim_fill(want, total, seed);
	differs = memcmp(area + off, want + off, len);
	free(want);
	return differs ? victim_fail("%s lost its pattern", what) : 0;
}

/* Both areas of the split object hold their pages of the pattern. */
static int check_split(void)
{
	size_t len = SPLIT_PAGES * page;

	return check_part("the split area's first page", split, 0, page, len, SEED_SPLIT) ||
	       check_part("the split area's last pages", split, 2 * page, 2 * page, len,
			  SEED_SPLIT) ||
	       check_maps("the split area's first part", split) ||
	       check_maps("the split area's second part", split + 2 * page);
}

static int check_shared(void)
{
	return victim_check_pattern("the shared 1 MiB area", big, BIG_SIZE, SEED_BIG) ||
	       check_maps("the shared 1 MiB area", big) || check_split();
}

static void child_main(void)
{
	victim_wait();
	if (victim_check_pattern("the shared 1 MiB area", big, BIG_SIZE, SEED_BIG))
		_exit(CHILD_BIG_DIFFERS);
	if (check_split())
		_exit(CHILD_SPLIT_DIFFERS);
	if (check_maps("the shared 1 MiB area", big))
		_exit(CHILD_MAPS_DIFFER);
	victim_fill(big, page, SEED_CHILD);
	_exit(CHILD_OK);
}

static int setup(void)
{
	page = sysconf(_SC_PAGESIZE);
	big = map_shared(BIG_SIZE);
	split = map_shared(SPLIT_PAGES * page);
	if (!big || !split)
		return victim_fail("mmap: %m");
	victim_fill(big, BIG_SIZE, SEED_BIG);
	victim_fill(split, SPLIT_PAGES * page, SEED_SPLIT);
	if (munmap(split + page, page))
		return victim_fail("munmap: %m");
	child = fork();
	if (child < 0)
		return victim_fail("fork: %m");
	if (child == 0)
		child_main();
	return 0;
}

static int check(void)
{
	int ret = check_shared(), status;

	/* The child goes either way. */
	kill(child, SIGTERM);
	if (waitpid(child, &status, 0) != child)
		return victim_fail("%d is no longer our child", child);
	if (ret)
		return ret;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != CHILD_OK)
		return victim_fail("the child found its shared memory changed (status %#x)",
				   status);
	/* The child wrote its page after the restore: the area is shared again. */
	return victim_check_pattern("the page the child wrote", big, page, SEED_CHILD) ||
	       check_part("the rest of the shared area", big, page, BIG_SIZE - page, BIG_SIZE,
			  SEED_BIG);
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
