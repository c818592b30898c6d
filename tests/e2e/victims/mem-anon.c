// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Private anonymous memory: a large patterned area, a sparse area with a few
 * touched pages, a read-only area, a PROT_NONE guard page between two
 * writable pages, a written area turned PROT_NONE (its pages cannot be read
 * by the task itself), the brk heap, the stack, and two mlocked areas: one
 * locked whole (mlock), one locked as it is touched (MLOCK_ONFAULT) with a
 * few pages touched. With "--fds-full yes" its fd table is full up to its
 * soft RLIMIT_NOFILE (crtool cannot make its page pipe in it and must copy
 * the pages another way); the check raises the limit again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "victim.h"

#define MiB (1024 * 1024UL)
#define BIG_SIZE (8 * MiB)
#define SPARSE_SIZE (64 * MiB)
#define RO_SIZE (1 * MiB)
#define HIDDEN_SIZE (64 * 1024UL)
#define HEAP_CHUNKS 16
#define HEAP_CHUNK 4000
#define STACK_SIZE (64 * 1024)
#define LOCKED_SIZE (64 * 1024) /* both locked areas fit uid 65534's RLIMIT_MEMLOCK */
#define ONFAULT_TOUCHED 3	/* the first pages of the on-fault area */

static size_t page;
static unsigned char *big, *sparse, *ro, *guard, *hidden, *locked, *onfault;
static unsigned char *heap[HEAP_CHUNKS];
static void *brk_end;
static int stack_result;

/* Page indexes of the sparse area that get written; the rest stay untouched. */
static const size_t touched[] = {0, 1, 1283, 8191, 16383};
#define N_TOUCHED (sizeof(touched) / sizeof(touched[0]))

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

#define FDS_FULL 64

static int fds_full;

static int option(const char *name, const char *value)
{
	if (strcmp(name, "fds-full") || strcmp(value, "yes"))
		return -1;
	fds_full = 1;
	return 0;
}

/* Every fd below a soft RLIMIT_NOFILE of FDS_FULL taken (by /dev/null). */
static int fill_fds(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return victim_fail("getrlimit: %m");
	rl.rlim_cur = FDS_FULL;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return victim_fail("setrlimit: %m");
	while (dup(0) >= 0)
		;
	return 0;
}

static int setup(void)
{
	size_t i;

	page = sysconf(_SC_PAGESIZE);
	big = map(BIG_SIZE);
	sparse = map(SPARSE_SIZE);
	ro = map(RO_SIZE);
	guard = map(3 * page);
	hidden = map(HIDDEN_SIZE);
	locked = map(LOCKED_SIZE);
	onfault = map(LOCKED_SIZE);
	if (!big || !sparse || !ro || !guard || !hidden || !locked || !onfault)
		return victim_fail("mmap: %m");
	if (mlock(locked, LOCKED_SIZE) || mlock2(onfault, LOCKED_SIZE, MLOCK_ONFAULT))
		return victim_fail("mlock: %m");
	victim_fill(locked, LOCKED_SIZE, 9);
	victim_fill(onfault, ONFAULT_TOUCHED * page, 10);

	victim_fill(big, BIG_SIZE, 1);
	for (i = 0; i < N_TOUCHED; i++)
		victim_fill(sparse + touched[i] * page, page, 100 + i);
	victim_fill(ro, RO_SIZE, 3);
	victim_fill(guard, page, 4);
	victim_fill(guard + 2 * page, page, 6);
	victim_fill(hidden, HIDDEN_SIZE, 7);
	if (mprotect(ro, RO_SIZE, PROT_READ) || mprotect(guard + page, page, PROT_NONE) ||
	    mprotect(hidden, HIDDEN_SIZE, PROT_NONE))
		return victim_fail("mprotect: %m");

	for (i = 0; i < HEAP_CHUNKS; i++) {
		heap[i] = malloc(HEAP_CHUNK);
		if (!heap[i])
			return victim_fail("malloc: %m");
		victim_fill(heap[i], HEAP_CHUNK, 200 + i);
	}
	return 0;
}

/* Keeps a patterned frame live on the stack across the wait; notes the break. */
static void wait_with_stack(void)
{
	unsigned char frame[STACK_SIZE];

	/* Once the pidfile is written: it needs an fd. */
	if (fds_full)
		fill_fds();
	victim_fill(frame, sizeof(frame), 5);
	brk_end = sbrk(0);
	victim_wait();
	stack_result = victim_check_pattern("a stack frame", frame, sizeof(frame), 5);
}

/* The untouched pages of the sparse area are neither populated nor non-zero. */
static int check_sparse(void)
{
	size_t npages = SPARSE_SIZE / page, i, t = 0;
	unsigned char *resident = malloc(npages);
	int ret = 0;

	if (!resident || mincore(sparse, SPARSE_SIZE, resident))
		return victim_fail("mincore: %m");
	for (i = 0; i < npages && !ret; i++) {
		if (t < N_TOUCHED && touched[t] == i) {
			ret = victim_check_pattern("a touched sparse page", sparse + i * page, page,
						   100 + t);
			t++;
		} else if (resident[i] & 1) {
			ret = victim_fail("untouched sparse page %zu is resident", i);
		} else if (sparse[i * page] ||
			   memcmp(sparse + i * page, sparse + i * page + 1, page - 1)) {
			ret = victim_fail("untouched sparse page %zu is not zero", i);
		}
	}
	free(resident);
	return ret;
}

/* The PROT_NONE area keeps its protection and, once readable again, its bytes. */
static int check_hidden(void)
{
	if (victim_check_perms("the PROT_NONE area", hidden, "---p"))
		return -1;
	if (mprotect(hidden, HIDDEN_SIZE, PROT_READ))
		return victim_fail("mprotect: %m");
	return victim_check_pattern("the PROT_NONE area", hidden, HIDDEN_SIZE, 7);
}

/* The VmFlags and the Locked: kB that /proc/self/smaps gives the area at @addr. */
static int smaps_of(const char *what, const void *addr, char *vmflags, size_t len,
		    unsigned long *locked_kb)
{
	unsigned long start, end, a = (unsigned long)addr;
	char line[512];
	FILE *f = fopen("/proc/self/smaps", "r");
	int in = 0, found = 0;

	if (!f)
		return victim_fail("open /proc/self/smaps: %m");
	vmflags[0] = '\0';
	while (found < 2 && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2)
			in = a >= start && a < end;
		else if (in && sscanf(line, "Locked: %lu kB", locked_kb) == 1)
			found++;
		else if (in && !strncmp(line, "VmFlags:", 8)) {
			strncpy(vmflags, line + 8, len - 1);
			vmflags[len - 1] = '\0';
			found++;
		}
	}
	fclose(f);
	return found == 2 ? 0 : victim_fail("%s: no Locked: and VmFlags: in smaps", what);
}

/* @what has the VmFlags @flag (" lo", " lf") or not (!@set), and @kb kB locked. */
static int check_locked(const char *what, const void *addr, unsigned long kb, const char *flag,
			int set)
{
	unsigned long got;
	char vmflags[512];

	if (smaps_of(what, addr, vmflags, sizeof(vmflags), &got))
		return -1;
	if (!!strstr(vmflags, flag) != set)
		return victim_fail("%s: VmFlags%s %s '%s'", what, vmflags[0] ? "" : " (none)",
				   set ? "lack" : "have", flag);
	if (got != kb)
		return victim_fail("%s: %lu kB locked, not %lu", what, got, kb);
	return 0;
}

static int check_mlock(void)
{
	unsigned long touched_kb = ONFAULT_TOUCHED * page / 1024;

	if (check_locked("the mlocked area", locked, LOCKED_SIZE / 1024, " lo", 1) ||
	    check_locked("the mlocked area", locked, LOCKED_SIZE / 1024, " lf", 0) ||
	    check_locked("the on-fault area", onfault, touched_kb, " lo", 1) ||
	    check_locked("the on-fault area", onfault, touched_kb, " lf", 1) ||
	    check_locked("the 8 MiB area", big, 0, " lo", 0))
		return -1;
	if (victim_check_pattern("the mlocked area", locked, LOCKED_SIZE, 9) ||
	    victim_check_pattern("the on-fault area", onfault, ONFAULT_TOUCHED * page, 10))
		return -1;
	return 0;
}

static int check(void)
{
	void *brk_now = sbrk(0); /* before the checks' own mallocs move it */
	struct rlimit rl;
	size_t i;

	/* Room for the checks' own files. */
	if (fds_full && (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur != FDS_FULL ||
			 (rl.rlim_cur = rl.rlim_max, setrlimit(RLIMIT_NOFILE, &rl))))
		return victim_fail("RLIMIT_NOFILE is not %d as set, or cannot be raised: %m",
				   FDS_FULL);

	if (brk_now != brk_end)
		return victim_fail("the program break moved from %p to %p", brk_end, brk_now);
	if (stack_result || victim_check_pattern("the 8 MiB area", big, BIG_SIZE, 1) ||
	    check_sparse() || victim_check_pattern("the read-only area", ro, RO_SIZE, 3) ||
	    victim_check_perms("the read-only area", ro, "r--p") ||
	    victim_check_pattern("the page before the guard", guard, page, 4) ||
	    victim_check_perms("the guard page", guard + page, "---p") ||
	    victim_check_pattern("the page after the guard", guard + 2 * page, page, 6) ||
	    victim_check_perms("the page after the guard", guard + 2 * page, "rw-p") ||
	    check_hidden() || check_mlock())
		return -1;
	for (i = 0; i < HEAP_CHUNKS; i++)
		if (victim_check_pattern("a heap chunk", heap[i], HEAP_CHUNK, 200 + i))
			return -1;
	return 0;
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.wait = wait_with_stack,
	.check = check,
};
