// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Copy-on-write sharing: the root fills 32 MiB of private anonymous memory
 * and forks a child. The child writes a few pages of its copy and drops 16
 * others (MADV_DONTNEED: they read as zeros); the root writes a few other
 * pages. After SIGTERM both check their copy page by page, and the root
 * checks in /proc/self/smaps that all the other pages are still shared
 * with the child, not copies of their own.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

#define AREA_PAGES 8192 /* 32 MiB of 4 KiB pages */
#define SEED_AREA 1
#define SEED_ROOT 2
#define SEED_CHILD 3
#define DROP_FIRST 64 /* the child drops pages [DROP_FIRST, DROP_FIRST + DROP_PAGES) */
#define DROP_PAGES 16
/* Pages the root maps alone beyond what the model says: page tables may round. */
#define SLACK_PAGES 16

static const size_t root_pages[] = {5, 2000, 8191};
static const size_t child_pages[] = {3, 1000, 4097};
#define NR_WRITTEN (sizeof(root_pages) / sizeof(root_pages[0]))

/* What the child found, as its exit status. */
enum { CHILD_OK = 0, CHILD_DIFFERS = 10 };

static size_t page;
static uint64_t *area;
static pid_t child;

/* Page @k holds the words of a pattern named by @seed and @k. */
static void fill_page(size_t k, unsigned int seed)
{
	uint64_t *w = area + k * (page / 8);

	for (size_t i = 0; i < page / 8; i++)
		w[i] = ((uint64_t)seed << 56) ^ ((uint64_t)k << 24) ^ (i * 0x9e3779b97f4a7c15ULL);
}

static bool page_holds(size_t k, unsigned int seed)
{
	const uint64_t *w = area + k * (page / 8);

	for (size_t i = 0; i < page / 8; i++)
		if (w[i] != (((uint64_t)seed << 56) ^ ((uint64_t)k << 24) ^
			     (i * 0x9e3779b97f4a7c15ULL)))
			return false;
	return true;
}

static bool page_is_zero(size_t k)
{
	const uint64_t *w = area + k * (page / 8);

	for (size_t i = 0; i < page / 8; i++)
		if (w[i])
			return false;
	return true;
}

static bool listed(const size_t *pages, size_t k)
{
	for (size_t i = 0; i < NR_WRITTEN; i++)
		if (pages[i] == k)
			return true;
	return false;
}

/*
 * Each page of the area holds what @who wrote (pages @written, pattern @seed),
 * zeros if @dropped and among the dropped, or else the first pattern: 0 or -1.
 */
static int check_area(const char *who, const size_t *written, unsigned int seed, bool dropped)
{
	for (size_t k = 0; k < AREA_PAGES; k++) {
		bool ok;

		if (listed(written, k))
			ok = page_holds(k, seed);
		else if (dropped && k >= DROP_FIRST && k < DROP_FIRST + DROP_PAGES)
			ok = page_is_zero(k);
		else
			ok = page_holds(k, SEED_AREA);
		if (!ok)
			return victim_fail("%s: page %zu of the area holds the wrong bytes", who, k);
	}
	return 0;
}

static void child_main(int ready)
{
	for (size_t i = 0; i < NR_WRITTEN; i++)
		fill_page(child_pages[i], SEED_CHILD);
	if (madvise(area + DROP_FIRST * (page / 8), DROP_PAGES * page, MADV_DONTNEED) ||
	    write(ready, "r", 1) != 1)
		_exit(1);
	close(ready);
	victim_wait();
	_exit(check_area("child", child_pages, SEED_CHILD, true) ? CHILD_DIFFERS : CHILD_OK);
}

struct usage {
	unsigned long rss, shared, private; /* kB */
};

/* The Rss, Shared_* and Private_* of the area in /proc/self/smaps: 0 or -1. */
static int area_usage(struct usage *u)
{
	char line[512];
	unsigned long start, end, kb;
	bool in_area = false, found = false;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return victim_fail("open /proc/self/smaps: %m");
	memset(u, 0, sizeof(*u));
	while (fgets(line, sizeof(line), f)) {
		char field[64];

		if (sscanf(line, "%lx-%lx %63s", &start, &end, field) == 3) {
			in_area = start == (uintptr_t)area;
			found |= in_area;
			continue;
		}
		if (!in_area || sscanf(line, "%63[^:]: %lu kB", field, &kb) != 2)
			continue;
		if (!strcmp(field, "Rss"))
			u->rss = kb;
		else if (!strncmp(field, "Shared_", 7))
			u->shared += kb;
		else if (!strncmp(field, "Private_", 8))
			u->private += kb;
	}
	fclose(f);
	return found ? 0 : victim_fail("the area at %p is not in smaps", (void *)area);
}

/*
 * The root maps alone the pages either wrote and those the child dropped;
 * every other page is the one the child maps too.
 */
static int check_shared(void)
{
	unsigned long kb = page / 1024, total = AREA_PAGES * kb;
	unsigned long own = (2 * NR_WRITTEN + DROP_PAGES + SLACK_PAGES) * kb;
	struct usage u;

	if (area_usage(&u))
		return -1;
	if (u.rss != total || u.private > own || u.shared < total - own)
		return victim_fail("the area: Rss %lu kB, Shared %lu kB, Private %lu kB; want Rss "
				   "%lu kB with at most %lu kB private",
				   u.rss, u.shared, u.private, total, own);
	return 0;
}

static int setup(void)
{
	int ready[2];
	char c;

	page = sysconf(_SC_PAGESIZE);
	/* Guard pages around it: the area stays one mapping of its own in smaps. */
	area = mmap(NULL, (AREA_PAGES + 2) * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return victim_fail("mmap: %m");
	area += page / 8;
	if (mprotect(area, AREA_PAGES * page, PROT_READ | PROT_WRITE))
		return victim_fail("mprotect: %m");
	for (size_t k = 0; k < AREA_PAGES; k++)
		fill_page(k, SEED_AREA);
	if (pipe(ready))
		return victim_fail("pipe: %m");
	child = fork();
	if (child < 0)
		return victim_fail("fork: %m");
	if (child == 0) {
		close(ready[0]);
		child_main(ready[1]);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		return victim_fail("the child did not get ready");
	close(ready[0]);
	for (size_t i = 0; i < NR_WRITTEN; i++)
		fill_page(root_pages[i], SEED_ROOT);
	return check_shared();
}

static int check(void)
{
	int ret, status;

	/* While the child lives: its pages count as shared. */
	ret = check_shared();
	if (!ret)
		ret = check_area("root", root_pages, SEED_ROOT, false);
	kill(child, SIGTERM);
	if (waitpid(child, &status, 0) != child)
		return victim_fail("%d is no longer our child", child);
	if (ret)
		return ret;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != CHILD_OK)
		return victim_fail("the child found its copy of the area changed (status %#x)",
				   status);
	return 0;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
