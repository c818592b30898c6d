// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * madvise() advice kept by an area: one patterned private anonymous area
 * per advice, each of which /proc/self/smaps shows as a VmFlags mnemonic,
 * and a plain area that must show none of them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "victim.h"

#define AREA_PAGES 16

static const struct {
	int advice;
	const char *flag;	/* its VmFlags mnemonic */
} advice[] = {
	{ MADV_SEQUENTIAL, "sr" }, { MADV_RANDOM, "rr" },     { MADV_DONTFORK, "dc" },
	{ MADV_WIPEONFORK, "wf" }, { MADV_DONTDUMP, "dd" },   { MADV_HUGEPAGE, "hg" },
	{ MADV_NOHUGEPAGE, "nh" }, { MADV_MERGEABLE, "mg" },
};
#define NR_ADVICE (sizeof(advice) / sizeof(advice[0]))

static unsigned char *area[NR_ADVICE + 1];	/* the last one gets no advice */
static int given[NR_ADVICE];			/* advice the kernel took */
static size_t len;

static int setup(void)
{
	size_t i;

	len = AREA_PAGES * (size_t)sysconf(_SC_PAGESIZE);
	for (i = 0; i <= NR_ADVICE; i++) {
		/* A gap page between areas keeps the kernel from merging them. */
		unsigned char *p = mmap(NULL, len + sysconf(_SC_PAGESIZE), PROT_NONE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || mprotect(p, len, PROT_READ | PROT_WRITE))
			return victim_fail("mmap: %m");
		area[i] = p;
		victim_fill(p, len, 10 + i);
		if (i == NR_ADVICE)
			break;
		if (!madvise(p, len, advice[i].advice))
			given[i] = 1;
		else if (errno != EINVAL) /* EINVAL: a kernel built without it (KSM, THP) */
			return victim_fail("madvise %d: %m", advice[i].advice);
	}
	return 0;
}

/* Whether the VmFlags of the smaps entry starting at @addr list @flag. */
static int has_flag(const void *addr, const char *flag, int *found)
{
	char line[512], start[32];
	FILE *f = fopen("/proc/self/smaps", "r");
	int in = 0;

	if (!f)
		return victim_fail("/proc/self/smaps: %m");
	snprintf(start, sizeof(start), "%lx-", (unsigned long)addr);
	*found = -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, start, strlen(start)))
			in = 1;
		else if (in && !strncmp(line, "VmFlags:", 8)) {
			char *tok, *save;

			*found = 0;
			for (tok = strtok_r(line + 8, " \n", &save); tok;
			     tok = strtok_r(NULL, " \n", &save))
				if (!strcmp(tok, flag))
					*found = 1;
			break;
		}
	}
	fclose(f);
	if (*found < 0)
		return victim_fail("no smaps entry starts at %p", addr);
	return 0;
}

static int check(void)
{
	size_t i;
	int found;

	for (i = 0; i <= NR_ADVICE; i++)
		if (victim_check_pattern("an advised area", area[i], len, 10 + i) ||
		    victim_check_perms("an advised area", area[i], "rw-p"))
			return -1;
	for (i = 0; i < NR_ADVICE; i++) {
		if (!given[i])
			continue;
		if (has_flag(area[i], advice[i].flag, &found))
			return -1;
		if (!found)
			return victim_fail("the area advised %d lost VmFlags %s", advice[i].advice,
					   advice[i].flag);
		if (has_flag(area[NR_ADVICE], advice[i].flag, &found))
			return -1;
		if (found)
			return victim_fail("the plain area shows VmFlags %s", advice[i].flag);
	}
	return 0;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
