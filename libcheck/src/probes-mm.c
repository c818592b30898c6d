// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Memory probes: mm fields through prctl, vmsplice, soft-dirty, the AIO
 * ring, sealed memfds and PAGEMAP_SCAN.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/types.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "probes.h"
#include "pagemap-scan.h"


/* Bit 55 of a /proc/PID/pagemap entry: the page is soft-dirty. */
#define PM_SOFT_DIRTY (1ULL << 55)

/*
 * The mm fields of the calling process, as PR_SET_MM_MAP wants them, from
 * /proc/self/stat (fields 26-28 and 45-51) and brk(0). 0 or an errno.
 */
static int read_mm_map(struct prctl_mm_map *map)
{
	unsigned long long f[53] = { 0 };
	char buf[2048], *p, *end;
	ssize_t n;
	int i;

	n = probe_read_file("/proc/self/stat", buf, sizeof(buf));
	if (n < 0)
		return -n;
	p = strrchr(buf, ')');
	if (!p)
		return EPROTO;
	/* p + 2 is field 3 (the state letter): skip it, parse the numbers. */
	p += 4;
	for (i = 4; i <= 52 && *p; i++) {
		f[i] = strtoull(p, &end, 10);
		if (end == p)
			return EPROTO;
		p = end;
	}
	if (i <= 51)
		return EPROTO;
	memset(map, 0, sizeof(*map));
	map->start_code = f[26];
	map->end_code = f[27];
	map->start_stack = f[28];
	map->start_data = f[45];
	map->end_data = f[46];
	map->start_brk = f[47];
	map->arg_start = f[48];
	map->arg_end = f[49];
	map->env_start = f[50];
	map->env_end = f[51];
	map->brk = syscall(SYS_brk, 0);
	map->exe_fd = -1;
	return 0;
}

/* In a child: set its mm fields to what they already are. */
static int set_mm_map_unchanged(void *arg)
{
	struct prctl_mm_map map;
	int err = read_mm_map(&map);

	if (err)
		return err;
	if (prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof(map), 0))
		return errno;
	return 0;
}

enum check_result probe_prctl_mm_map(struct probe_out *out)
{
	unsigned int size = 0;
	int err;

	if (prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, &size, 0, 0)) {
		if (errno == EINVAL)
			return probe_missing(out, "prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE) fails: the kernel "
						  "needs CONFIG_CHECKPOINT_RESTORE (no capability needed)");
		return probe_errno(out, errno, -1, "prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE)");
	}
	if (size != sizeof(struct prctl_mm_map))
		return probe_missing(out, "the kernel's struct prctl_mm_map has %u bytes, we know %zu",
				     size, sizeof(struct prctl_mm_map));
	err = probe_in_child(0, set_mm_map_unchanged, NULL);
	return probe_answer(out, err, -1, "prctl(PR_SET_MM, PR_SET_MM_MAP)", NULL,
			    "PR_SET_MM_MAP sets mm fields (no CAP_SYS_RESOURCE needed)");
}

/* In a child: the single-field call, brk set to its current value. */
static int set_mm_brk_unchanged(void *arg)
{
	if (prctl(PR_SET_MM, PR_SET_MM_BRK, syscall(SYS_brk, 0), 0, 0))
		return errno;
	return 0;
}

enum check_result probe_prctl_mm_fields(struct probe_out *out)
{
	int err = probe_in_child(0, set_mm_brk_unchanged, NULL);

	return probe_answer(out, err, CAP_SYS_RESOURCE, "prctl(PR_SET_MM, PR_SET_MM_BRK)", NULL,
			    "single-field PR_SET_MM_* calls work");
}

enum check_result probe_unaligned_vmsplice(struct probe_out *out)
{
	long page = sysconf(_SC_PAGESIZE);
	enum check_result r;
	struct iovec iov;
	char *buf, *back;
	int p[2];

	buf = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return probe_errno(out, errno, -1, "mmap");
	back = buf + page;
	memset(buf, 'v', page);
	buf[1] = 's';
	if (pipe2(p, O_CLOEXEC)) {
		r = probe_errno(out, errno, -1, "pipe");
		goto out;
	}
	/* Starts one byte into a page and ends one byte before its end. */
	iov.iov_base = buf + 1;
	iov.iov_len = page - 2;
	if (vmsplice(p[1], &iov, 1, SPLICE_F_NONBLOCK) != page - 2)
		r = probe_errno(out, errno, -1, "vmsplice of an unaligned buffer");
	else if (read(p[0], back, page) != page - 2 || memcmp(back, buf + 1, page - 2))
		r = probe_missing(out, "vmsplice of an unaligned buffer gives other bytes back");
	else
		r = probe_supported(out, "vmsplice takes unaligned buffers");
	close(p[0]);
	close(p[1]);
out:
	munmap(buf, 2 * page);
	return r;
}

/* In a child: clear soft-dirty bits, write a page, look at its bit. */
static int soft_dirty_after_write(void *arg)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t entry;
	char *addr;
	int fd;

	addr = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (addr == MAP_FAILED)
		return errno;
	addr[0] = 1;
	fd = open("/proc/self/clear_refs", O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, "4", 1) != 1)
		return errno;
	close(fd);
	addr[0] = 2;
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return errno;
	if (pread(fd, &entry, sizeof(entry), (uintptr_t)addr / page * sizeof(entry)) !=
	    sizeof(entry))
		return errno;
	return entry & PM_SOFT_DIRTY ? 0 : EPROTO;
}

enum check_result probe_mem_dirty_track(struct probe_out *out)
{
	int err = probe_in_child(0, soft_dirty_after_write, NULL);

	return probe_answer(out, err, -1, "soft-dirty tracking",
			    "no soft-dirty bit in /proc/PID/pagemap (CONFIG_MEM_SOFT_DIRTY is off): "
			    "pre-dump needs uffd write-protect instead",
			    "pages written after clear_refs are soft-dirty");
}

/* The end of the mapping that starts at @start, from /proc/self/maps. */
static unsigned long mapping_end(unsigned long start)
{
	unsigned long s, e, found = 0;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "re");

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 && s == start)
			found = e;
	fclose(f);
	return found;
}

/* In a child: move its AIO ring and use the context at the new place. */
static int move_aio_ring(void *arg)
{
	struct timespec zero = { 0, 0 };
	aio_context_t ctx = 0;
	struct io_event ev;
	unsigned long len;
	void *to;

	if (syscall(SYS_io_setup, 16, &ctx))
		return errno;
	len = mapping_end(ctx) - ctx;
	if (len > 1UL << 20)
		return EPROTO;
	to = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (to == MAP_FAILED)
		return errno;
	if (mremap((void *)ctx, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to) == MAP_FAILED)
		return errno;
	/* EINVAL: the kernel does not know its context at the new place. */
	if (syscall(SYS_io_getevents, (aio_context_t)to, 0, 1, &ev, &zero) < 0)
		return errno == EINVAL ? EPROTO : errno;
	if (syscall(SYS_io_destroy, (aio_context_t)to))
		return errno;
	return 0;
}

enum check_result probe_aio_remap(struct probe_out *out)
{
	int err = probe_in_child(0, move_aio_ring, NULL);

	return probe_answer(out, err, -1, "move an AIO ring",
			    "an AIO context stops working once its ring is moved",
			    "AIO rings keep working after mremap");
}

enum check_result probe_memfd_seals(struct probe_out *out)
{
	const int seals = F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK;
	enum check_result r;
	int fd, got;

	fd = memfd_create("crtool-check-seals", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return probe_errno(out, errno, -1, "memfd_create(MFD_ALLOW_SEALING)");
	if (write(fd, "x", 1) != 1)
		r = probe_errno(out, errno, -1, "write to a memfd");
	else if (fcntl(fd, F_ADD_SEALS, seals))
		r = probe_errno(out, errno, -1, "fcntl(F_ADD_SEALS)");
	else if ((got = fcntl(fd, F_GET_SEALS)) != seals)
		r = probe_missing(out, "F_GET_SEALS gives %#x, not the seals added (%#x)", got, seals);
	else if (write(fd, "y", 1) >= 0 || errno != EPERM)
		r = probe_missing(out, "a write-sealed memfd still takes writes");
	else
		r = probe_supported(out, "memfd seals are kept and enforced");
	close(fd);
	return r;
}

enum check_result probe_pagemap_scan(struct probe_out *out)
{
	long page = sysconf(_SC_PAGESIZE);
	struct page_region regions[4];
	struct pm_scan_arg arg;
	enum check_result r;
	char *addr;
	long n;
	int fd;

	addr = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (addr == MAP_FAILED)
		return probe_errno(out, errno, -1, "mmap");
	/* Only the second page is ever touched. */
	addr[page] = 1;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		r = probe_errno(out, errno, -1, "open /proc/self/pagemap");
		goto out;
	}
	memset(&arg, 0, sizeof(arg));
	arg.size = sizeof(arg);
	arg.start = (uintptr_t)addr;
	arg.end = (uintptr_t)addr + 2 * page;
	arg.vec = (uintptr_t)regions;
	arg.vec_len = 4;
	arg.category_mask = PAGE_IS_PRESENT;
	arg.return_mask = PAGE_IS_PRESENT;
	n = ioctl(fd, PAGEMAP_SCAN, &arg);
	if (n < 0)
		r = probe_errno(out, errno, -1, "ioctl(PAGEMAP_SCAN)");
	else if (n != 1 || regions[0].start != (uintptr_t)addr + page ||
		 regions[0].end != (uintptr_t)addr + 2 * page)
		r = probe_missing(out, "PAGEMAP_SCAN does not find the one present page");
	else
		r = probe_supported(out, "PAGEMAP_SCAN finds present pages");
	close(fd);
out:
	munmap(addr, 2 * page);
	return r;
}
