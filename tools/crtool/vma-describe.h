/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One line for a memory area of a dump, as /proc/PID/maps would print it. */
#ifndef CRTOOL_VMA_DESCRIBE_H
#define CRTOOL_VMA_DESCRIBE_H

#include "mm.pb-c.h"

#include "dump-files.h"

/*
 * "START-END PROT WHAT": hex addresses, rwxp/rwxs, and what backs the area:
 * the file's path, memfd:NAME, [heap], [stack], [vdso], [vvar], [vsyscall],
 * shmem:[ID], or nothing for private anonymous memory. Returns @buf.
 */
const char *vma_describe(const VmaEntry *vma, const MmEntry *mm, const struct dump_files *fs,
			 char *buf, size_t size);

#endif
