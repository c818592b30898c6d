// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Copy-on-write sharing: the root fills 32 MiB of private anonymous memory
 * and forks a child. The child writes a few pages of its copy, drops 16
 * others (MADV_DONTNEED: they read as zeros) and forks a grandchild, which
 * writes a few pages of its own; the root writes a few other pages. After
 * SIGTERM (passed down by each parent) each checks its copy page by page
 * and, in /proc/self/smaps, that it maps alone only the pages that differ
 * from the others' (own_pages) and shares all the rest; the descendants
 * report on a pipe.
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
#define DROP_FIRST 64	/* the child drops pages [DROP_FIRST, DROP_FIRST + DROP_PAGES) */
#define DROP_PAGES 16
#define NR_WRITTEN 8
/* Pages a process may map alone beyond what the model says. */
#define SLACK_PAGES 4

enum who { ROOT, CHILD, GRANDCHILD, NR_WHO };

static const char *const names[NR_WHO] = {"root", "child", "grandchild"};
/* The pages each one writes once forked (the child before it forks the grandchild), seed who + 2. */
static const size_t written[NR_WHO][NR_WRITTEN] = {
	{5, 500, 1500, 2000, 3500, 5000, 7000, 8191},
	{3, 1000, 2500, 4097, 4500, 6000, 7500, 8000},
	{7, 300, 3000, 4000, 5500, 6500, 7777, 8100},
};
#define SEED_AREA 1
/*
 * The pages of the area each one maps alone (once all wrote): the root its
 * own writes, and the child's writes and drops (the child and the grandchild
 * share those); the child none; the grandchild its own writes.
 */
static const size_t own_pages[NR_WHO] = {2 * NR_WRITTEN + DROP_PAGES, 0, NR_WRITTEN};

static size_t page;
static uint64_t *area;
static int ready[2], report[2];
static pid_t child;

static uint64_t word(unsigned int seed, size_t k, size_t i)
{
	return ((uint64_t)seed << 56) ^ ((uint64_t)k << 24) ^ (i * 0x9e3779b97f4a7c15ULL);
}

/* Page @k holds the words of a pattern named by @seed and @k. */
static void fill_page(size_t k, unsigned int seed)
{
	uint64_t *w = area + k * (page / 8);

	for (size_t i = 0; i < page / 8; i++)
		w[i] = word(seed, k, i);
}

static bool page_holds(size_t k, unsigned int seed)
{
	const uint64_t *w = area + k * (page / 8);

	for (size_t i = 0; i < page / 8; i++)
		if (w[i] != (seed ? word(seed, k, i) : 0))
			return false;
	return true;
}

static bool wrote(enum who who, size_t k)
{
	for (size_t i = 0; i < NR_WRITTEN; i++)
		if (written[who][i] == k)
			return true;
	return false;
}

/* The seed of the pattern page @k holds in the copy of @who; 0: zeros. */
static unsigned int expected(enum who who, size_t k)
{
	if (wrote(who, k))
		return who + 2;
	if (who == ROOT)
		return SEED_AREA;
	if (wrote(CHILD, k))
		return CHILD + 2;
	return k >= DROP_FIRST && k < DROP_FIRST + DROP_PAGES ? 0 : SEED_AREA;
}

/* Each page of @who's copy holds what it should: 0, or the reason in @why. */
static int check_area(enum who who, char *why, size_t size)
{
	for (size_t k = 0; k < AREA_PAGES; k++)
		if (!page_holds(k, expected(who, k)))
			return snprintf(why, size, "%s: page %zu of the area holds the wrong bytes",
					names[who], k);
	return 0;
}

/*
 * The area is in memory (but for the dropped pages in the descendants), and
 * at most own_pages[@who] of its pages are mapped by this process alone,
 * all others are shared: 0, or the reason in @why.
 */
static int check_shared(enum who who, char *why, size_t size)
{
	unsigned long start, end, kb, rss = 0, shared = 0, alone = 0;
	unsigned long want_rss = (AREA_PAGES - (who == ROOT ? 0 : DROP_PAGES)) * (page / 1024);
	unsigned long own_kb = (own_pages[who] + SLACK_PAGES) * (page / 1024);
	bool in_area = false, found = false;
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];

	if (!f)
		return snprintf(why, size, "%s: open /proc/self/smaps: %m", names[who]);
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
			rss = kb;
		else if (!strncmp(field, "Shared_", 7))
			shared += kb;
		else if (!strncmp(field, "Private_", 8))
			alone += kb;
	}
	fclose(f);
	if (!found)
		return snprintf(why, size, "%s: the area is not in smaps", names[who]);
	if (rss != want_rss || alone > own_kb || shared < rss - own_kb)
		return snprintf(
			why, size,
			"%s: the area has Rss %lu kB (want %lu), Shared %lu kB, Private %lu kB"
			" (at most %lu)",
			names[who], rss, want_rss, shared, alone, own_kb);
	return 0;
}

/*
 * A descendant's life after its writes: says it is ready, waits for
 * SIGTERM, checks (the child while the grandchild still shares its pages),
 * passes SIGTERM on and reports one line on the report pipe. Never returns.
 */
static void descendant(enum who who, pid_t own_child)
{
	char why[300] = "", line[320];

	if (write(ready[1], "r", 1) != 1)
		_exit(1);
	victim_wait();
	if (!check_shared(who, why, sizeof(why)))
		check_area(who, why, sizeof(why));
	if (own_child > 0) {
		kill(own_child, SIGTERM);
		if (!why[0])
			victim_reap(own_child, why, sizeof(why));
	}
	snprintf(line, sizeof(line), "%s %s\n", why[0] ? "FAIL" : "PASS",
		 why[0] ? why : names[who]);
	_exit(write(report[1], line, strlen(line)) < 0);
}

static int setup(void)
{
	char buf[2], why[300] = "";
	pid_t grandchild;

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
	if (pipe(ready) || pipe(report))
		return victim_fail("pipe: %m");
	child = fork();
	if (child < 0)
		return victim_fail("fork: %m");
	if (child == 0) {
		for (size_t i = 0; i < NR_WRITTEN; i++)
			fill_page(written[CHILD][i], CHILD + 2);
		if (madvise(area + DROP_FIRST * (page / 8), DROP_PAGES * page, MADV_DONTNEED))
			_exit(1);
		grandchild = fork();
		if (grandchild < 0)
			_exit(1);
		if (grandchild == 0)
			for (size_t i = 0; i < NR_WRITTEN; i++)
				fill_page(written[GRANDCHILD][i], GRANDCHILD + 2);
		descendant(grandchild ? CHILD : GRANDCHILD, grandchild);
	}
	close(ready[1]);
	close(report[1]);
	if (read(ready[0], buf, 1) != 1 || read(ready[0], buf + 1, 1) != 1)
		return victim_fail("the child and the grandchild did not get ready");
	close(ready[0]);
	for (size_t i = 0; i < NR_WRITTEN; i++)
		fill_page(written[ROOT][i], ROOT + 2);
	if (check_shared(ROOT, why, sizeof(why)))
		return victim_fail("%s", why);
	return 0;
}

static int check(void)
{
	char why[300] = "", reaped[300] = "", line[2][320];
	FILE *f;
	int i;

	/* While the child lives: its pages count as shared. */
	if (!check_shared(ROOT, why, sizeof(why)))
		check_area(ROOT, why, sizeof(why));
	kill(child, SIGTERM);
	f = fdopen(report[0], "r");
	for (i = 0; f && i < 2 && fgets(line[i], sizeof(line[i]), f); i++)
		;
	victim_reap(child, reaped, sizeof(reaped));
	if (why[0] || reaped[0])
		return victim_fail("%s", why[0] ? why : reaped);
	if (i != 2)
		return victim_fail("%d of the 2 descendants reported", i);
	for (i = 0; i < 2; i++) {
		line[i][strcspn(line[i], "\n")] = '\0';
		if (strncmp(line[i], "PASS ", 5))
			return victim_fail("%s", line[i]);
	}
	return 0;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
