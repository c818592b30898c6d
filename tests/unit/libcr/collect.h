/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Callbacks of the tests that keep what a reader hands out, names copied. */
#ifndef TEST_LIBCR_COLLECT_H
#define TEST_LIBCR_COLLECT_H

#include "proc-fdinfo.h"
#include "proc-maps.h"

#define COLLECT_MAX_VMAS 256
#define COLLECT_MAX_ENTRIES 8

struct vmas {
	int nr;
	struct proc_vma v[COLLECT_MAX_VMAS];
	char names[COLLECT_MAX_VMAS][256];
};

/* A proc_vma_fn: appends to the struct vmas @arg (the caller zeroes it). */
int collect_vma(const struct proc_vma *vma, void *arg);

struct entries {
	int nr;
	struct proc_fdinfo_entry e[COLLECT_MAX_ENTRIES];
};

/* A proc_fdinfo_entry_fn: appends to the struct entries @arg. */
int collect_entry(const struct proc_fdinfo_entry *e, void *arg);

#endif
