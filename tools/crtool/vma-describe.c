// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <sys/mman.h>

#include "vma-describe.h"

/* CRIU's vma_entry.status bits (facts of the image format). */
#define VMA_AREA_VSYSCALL (1u << 2)
#define VMA_AREA_VDSO (1u << 3)
#define VMA_AREA_HEAP (1u << 5)
#define VMA_FILE_PRIVATE (1u << 6)
#define VMA_FILE_SHARED (1u << 7)
#define VMA_ANON_SHARED (1u << 8)
#define VMA_AREA_SYSVIPC (1u << 10)
#define VMA_AREA_SOCKET (1u << 11)
#define VMA_AREA_VVAR (1u << 12)
#define VMA_AREA_AIORING (1u << 13)

/* The special areas, by the status bit that marks them. */
static const struct {
	unsigned int bit;
	const char *name;
} special[] = {
	{ VMA_AREA_HEAP, "[heap]" },	     { VMA_AREA_VDSO, "[vdso]" },
	{ VMA_AREA_VVAR, "[vvar]" },	     { VMA_AREA_VSYSCALL, "[vsyscall]" },
	{ VMA_AREA_AIORING, "[aio]" },	     { VMA_AREA_SOCKET, "[packet socket ring]" },
};

/* What backs @vma: a name, or "" for private anonymous memory. */
static const char *backing(const VmaEntry *vma, const MmEntry *mm, const struct dump_files *fs,
			   char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (vma->status & special[i].bit)
			return special[i].name;
	/* The kernel names [stack] the area that holds the stack's start. */
	if (vma->start <= mm->mm_start_stack && mm->mm_start_stack < vma->end)
		return "[stack]";
	if (vma->status & (VMA_FILE_PRIVATE | VMA_FILE_SHARED))
		return dump_file_describe(fs, vma->shmid, buf, size);
	if (vma->status & VMA_AREA_SYSVIPC)
		snprintf(buf, size, "SYSV shm:[%llu]", (unsigned long long)vma->shmid);
	else if (vma->status & VMA_ANON_SHARED)
		snprintf(buf, size, "shmem:[%llu]", (unsigned long long)vma->shmid);
	else
		return "";
	return buf;
}

const char *vma_describe(const VmaEntry *vma, const MmEntry *mm, const struct dump_files *fs,
			 char *buf, size_t size)
{
	char what[512];
	const char *w = backing(vma, mm, fs, what, sizeof(what));

	snprintf(buf, size, "%012llx-%012llx %c%c%c%c%s%s", (unsigned long long)vma->start,
		 (unsigned long long)vma->end, vma->prot & PROT_READ ? 'r' : '-',
		 vma->prot & PROT_WRITE ? 'w' : '-', vma->prot & PROT_EXEC ? 'x' : '-',
		 vma->flags & MAP_SHARED ? 's' : 'p', w[0] ? " " : "", w);
	return buf;
}
