// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cr-bench's victim, on the e2e victims' main() (tests/e2e/victims/victim.h):
 * --mib N (default 1024) MiB of private anonymous memory, every byte written
 * with a pattern that depends on its offset; after SIGTERM every byte is
 * checked, so a PASS after a restore means the memory came back byte-exact.
 * --mib 0 is the small single-threaded process.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "victim.h"

#define MiB (1024 * 1024UL)
#define MAX_MIB (64 * 1024UL)
#define SEED 7

static size_t len = 1024 * MiB;
static void *mem;

static int option(const char *name, const char *value)
{
	char *end;
	unsigned long mib;

	if (strcmp(name, "mib"))
		return -1;
	mib = strtoul(value, &end, 10);
	if (!*value || *end || mib > MAX_MIB)
		return -1;
	len = mib * MiB;
	return 0;
}

static int setup(void)
{
	if (!len)
		return 0;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return victim_fail("mmap %zu bytes: %m", len);
	victim_fill(mem, len, SEED);
	return 0;
}

static int check(void)
{
	return len ? victim_check_pattern("the memory", mem, len, SEED) : 0;
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.check = check,
};
