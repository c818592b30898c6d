/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libimg: the status bits of a VMA entry (vma.proto's status), CRIU's values. */
#ifndef IMG_VMA_H
#define IMG_VMA_H

#define IMG_VMA_AREA_REGULAR (1u << 0)	/* a mapping restore rebuilds */
#define IMG_VMA_AREA_STACK (1u << 1)
#define IMG_VMA_AREA_VSYSCALL (1u << 2)
#define IMG_VMA_AREA_VDSO (1u << 3)
#define IMG_VMA_AREA_HEAP (1u << 5)
#define IMG_VMA_FILE_PRIVATE (1u << 6)
#define IMG_VMA_FILE_SHARED (1u << 7)
#define IMG_VMA_ANON_SHARED (1u << 8)
#define IMG_VMA_ANON_PRIVATE (1u << 9)
#define IMG_VMA_AREA_SYSVIPC (1u << 10)
#define IMG_VMA_AREA_SOCKET (1u << 11)
#define IMG_VMA_AREA_VVAR (1u << 12)
#define IMG_VMA_AREA_AIORING (1u << 13)
#define IMG_VMA_AREA_MEMFD (1u << 14)
#define IMG_VMA_AREA_SHSTK (1u << 15)
#define IMG_VMA_AREA_UPROBES (1u << 17)
#define IMG_VMA_UNSUPP (1u << 31)

#endif
