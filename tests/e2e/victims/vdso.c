// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The vDSO: libc calls its clock functions through pointers it took into
 * the vDSO at start; after a restore they must still give the times the
 * kernel's syscalls give, and AT_SYSINFO_EHDR must still lead to an ELF
 * image. With "--proxy yes" (a restore on another vDSO, run-victim.sh
 * --vdso-proxy) that image must be a proxy in the old vDSO's place, an
 * area of its own, with this kernel's [vdso] elsewhere.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "victim.h"

static int proxy;
static struct timespec started;

static int option(const char *name, const char *value)
{
	if (strcmp(name, "proxy") || strcmp(value, "yes"))
		return -1;
	proxy = 1;
	return 0;
}

static int setup(void)
{
	return clock_gettime(CLOCK_MONOTONIC, &started) ? victim_fail("clock_gettime: %m") : 0;
}

static double seconds(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

/* libc's clock (through the vDSO) against the kernel's syscall, for @clock. */
static int check_clock(clockid_t clock, const char *name)
{
	struct timespec libc, sys;

	if (clock_gettime(clock, &libc) || syscall(SYS_clock_gettime, clock, &sys))
		return victim_fail("clock_gettime(%s): %m", name);
	if (seconds(&sys) - seconds(&libc) > 1 || seconds(&libc) > seconds(&sys))
		return victim_fail("%s: libc says %.3f, the kernel %.3f", name, seconds(&libc),
				   seconds(&sys));
	return 0;
}

/* The name /proc/self/maps gives the area at @addr ("" for none), in @name. */
static int area_name(unsigned long addr, char *name, size_t size)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!f)
		return victim_fail("/proc/self/maps: %m");
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long start, end;
		int n = 0;

		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &start, &end, &n) < 2 ||
		    addr < start || addr >= end)
			continue;
		snprintf(name, size, "%s", line + n);
		name[strcspn(name, "\n")] = '\0';
		found = 1;
	}
	fclose(f);
	return found ? 0 : victim_fail("nothing is mapped at %#lx", addr);
}

static int check(void)
{
	unsigned long ehdr = getauxval(AT_SYSINFO_EHDR);
	struct timeval tv;
	struct timespec now, res;
	char name[256];

	if (check_clock(CLOCK_MONOTONIC, "CLOCK_MONOTONIC") ||
	    check_clock(CLOCK_REALTIME, "CLOCK_REALTIME") ||
	    check_clock(CLOCK_BOOTTIME, "CLOCK_BOOTTIME"))
		return -1;
	if (clock_gettime(CLOCK_MONOTONIC, &now) || seconds(&now) < seconds(&started))
		return victim_fail("the monotonic clock went back");
	if (gettimeofday(&tv, NULL) || labs(tv.tv_sec - time(NULL)) > 1)
		return victim_fail("gettimeofday and time disagree: %m");
	if (clock_getres(CLOCK_MONOTONIC, &res) || res.tv_sec || !res.tv_nsec)
		return victim_fail("clock_getres gives %ld.%09ld: %m", (long)res.tv_sec,
				   res.tv_nsec);
	if (!ehdr || memcmp((const void *)ehdr, ELFMAG, SELFMAG))
		return victim_fail("AT_SYSINFO_EHDR (%#lx) leads to no ELF image", ehdr);
	if (area_name(ehdr, name, sizeof(name)))
		return -1;
	if (!proxy && strcmp(name, "[vdso]"))
		return victim_fail("AT_SYSINFO_EHDR leads to '%s', not [vdso]", name);
	if (proxy && !strcmp(name, "[vdso]"))
		return victim_fail("AT_SYSINFO_EHDR leads to [vdso], not to a proxy");
	return 0;
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.check = check,
};
