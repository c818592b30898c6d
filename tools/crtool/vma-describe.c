// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <sys/mman.h>

#include "img/vma.h"
#include "vma-describe.h"

/* The special areas, by the status bit that marks them. */
static const struct {
	unsigned int bit;
	const char *name;
} special[] = {
	{ IMG_VMA_AREA_HEAP, "[heap]" },	     { IMG_VMA_AREA_VDSO, "[vdso]" },
	{ IMG_VMA_AREA_VVAR, "[vvar]" },	     { IMG_VMA_AREA_VSYSCALL, "[vsyscall]" },
	{ IMG_VMA_AREA_AIORING, "[aio]" },	     { IMG_VMA_AREA_SOCKET, "[packet socket ring]" },
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
	if (vma->status & (IMG_VMA_FILE_PRIVATE | IMG_VMA_FILE_SHARED))
		return dump_file_describe(fs, vma->shmid, buf, size);
	if (vma->status & IMG_VMA_AREA_SYSVIPC)
		snprintf(buf, size, "SYSV shm:[%llu]", (unsigned long long)vma->shmid);
	else if (vma->status & IMG_VMA_ANON_SHARED)
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
