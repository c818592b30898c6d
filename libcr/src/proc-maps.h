/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /proc/PID/maps and /proc/PID/smaps: one struct proc_vma per mapping,
 * handed to a callback in address order. smaps adds the sizes and VmFlags.
 */
#ifndef CR_PROC_MAPS_H
#define CR_PROC_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What the name column of a mapping says. */
enum proc_vma_kind {
	PROC_VMA_ANON,		/* no name */
	PROC_VMA_FILE,		/* a path, or a pseudo-file name like "anon_inode:..." */
	PROC_VMA_HEAP,		/* [heap] */
	PROC_VMA_STACK,		/* [stack] */
	PROC_VMA_VDSO,		/* [vdso] */
	PROC_VMA_VVAR,		/* [vvar] */
	PROC_VMA_VVAR_VCLOCK,	/* [vvar_vclock] */
	PROC_VMA_VSYSCALL,	/* [vsyscall] */
	PROC_VMA_UPROBES,	/* [uprobes] */
	PROC_VMA_ANON_NAMED,	/* [anon:NAME] or [anon_shmem:NAME]: name holds NAME */
	PROC_VMA_SPECIAL,	/* any other [...] */
};

/* smaps' VmFlags, one bit per two-letter mnemonic. */
enum proc_vmflag {
	PROC_VMF_RD = 1ULL << 0,	/* readable */
	PROC_VMF_WR = 1ULL << 1,	/* writable */
	PROC_VMF_EX = 1ULL << 2,	/* executable */
	PROC_VMF_SH = 1ULL << 3,	/* shared */
	PROC_VMF_MR = 1ULL << 4,	/* may read */
	PROC_VMF_MW = 1ULL << 5,	/* may write */
	PROC_VMF_ME = 1ULL << 6,	/* may execute */
	PROC_VMF_MS = 1ULL << 7,	/* may share */
	PROC_VMF_GD = 1ULL << 8,	/* stack grows down */
	PROC_VMF_PF = 1ULL << 9,	/* pure PFN range */
	PROC_VMF_DW = 1ULL << 10,	/* writes disabled (old kernels) */
	PROC_VMF_LO = 1ULL << 11,	/* mlocked */
	PROC_VMF_IO = 1ULL << 12,	/* I/O memory */
	PROC_VMF_SR = 1ULL << 13,	/* MADV_SEQUENTIAL */
	PROC_VMF_RR = 1ULL << 14,	/* MADV_RANDOM */
	PROC_VMF_DC = 1ULL << 15,	/* MADV_DONTFORK */
	PROC_VMF_DE = 1ULL << 16,	/* not expanded on remap */
	PROC_VMF_AC = 1ULL << 17,	/* accountable */
	PROC_VMF_NR = 1ULL << 18,	/* no swap space reserved */
	PROC_VMF_HT = 1ULL << 19,	/* huge TLB */
	PROC_VMF_SF = 1ULL << 20,	/* synchronous page faults */
	PROC_VMF_NL = 1ULL << 21,	/* non-linear (old kernels) */
	PROC_VMF_AR = 1ULL << 22,	/* architecture specific */
	PROC_VMF_WF = 1ULL << 23,	/* MADV_WIPEONFORK */
	PROC_VMF_DD = 1ULL << 24,	/* MADV_DONTDUMP */
	PROC_VMF_SD = 1ULL << 25,	/* soft-dirty */
	PROC_VMF_MM = 1ULL << 26,	/* mixed map */
	PROC_VMF_HG = 1ULL << 27,	/* MADV_HUGEPAGE */
	PROC_VMF_NH = 1ULL << 28,	/* MADV_NOHUGEPAGE */
	PROC_VMF_MG = 1ULL << 29,	/* MADV_MERGEABLE */
	PROC_VMF_UM = 1ULL << 30,	/* userfaultfd missing */
	PROC_VMF_UW = 1ULL << 31,	/* userfaultfd write-protect */
	PROC_VMF_SS = 1ULL << 32,	/* shadow stack */
	PROC_VMF_LF = 1ULL << 33,	/* mlocked on fault */
	PROC_VMF_SL = 1ULL << 34,	/* sealed (mseal) */
	PROC_VMF_BT = 1ULL << 35,	/* arm64 BTI guarded */
	PROC_VMF_MT = 1ULL << 36,	/* arm64 MTE */
	PROC_VMF_UNKNOWN = 1ULL << 63,	/* a mnemonic this reader does not know */
};

struct proc_vma {
	uint64_t start, end;	/* [start, end) */
	uint64_t pgoff;		/* offset in the file, in bytes */
	unsigned int prot;	/* PROT_READ | PROT_WRITE | PROT_EXEC */
	bool shared;		/* 's' in the perms column, else private */
	unsigned int dev_major, dev_minor;
	uint64_t inode;
	enum proc_vma_kind kind;
	bool deleted;		/* the path ended in " (deleted)", now stripped */
	/*
	 * The path, or the bracketed name without brackets (anon names
	 * without their "anon:" prefix); "" for anonymous memory. Owned by
	 * the parser: valid during the callback only. Newlines in paths
	 * stay escaped as the kernel wrote them ("\012").
	 */
	const char *name;

	/* From smaps only (have_smaps); sizes in kB. */
	bool have_smaps;
	bool have_vmflags;
	uint64_t vmflags;	/* enum proc_vmflag bits */
	uint64_t size_kb, rss_kb, anon_kb, swap_kb, locked_kb;
};

/* Called per mapping; a negative return stops the walk and is returned. */
typedef int (*proc_vma_fn)(const struct proc_vma *vma, void *arg);

/*
 * Parse maps or smaps text (@buf, @len bytes; either format) and call @fn
 * per mapping. 0, or -EINVAL on malformed text, or what @fn returned.
 * Suitable as a fuzz entry point.
 */
int proc_smaps_parse(const char *buf, size_t len, proc_vma_fn fn, void *arg);

/* The same on /proc/@pid/smaps (@smaps) or /proc/@pid/maps. */
int proc_smaps_read(pid_t pid, bool smaps, proc_vma_fn fn, void *arg);

/* Parse a VmFlags value ("rd wr mr mw me ac"): the bits, or -EINVAL. */
int proc_vmflags_parse(const char *s, uint64_t *flags);

/*
 * Open the file behind a mapping through /proc/@pid/map_files/ (the real
 * file, even when its path is deleted or shadowed): an fd or -errno.
 * Needs CAP_SYS_ADMIN, or CAP_CHECKPOINT_RESTORE in the initial user ns.
 */
int proc_vma_open_file(pid_t pid, const struct proc_vma *vma, int flags);

#endif
