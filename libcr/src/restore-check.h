/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a restore checks before it creates anything. Every problem is a
 * finding: one line for a person, logged and handed to the caller's
 * cr_finding_fn. A check-only restore runs every check and reports every
 * finding, not just the first.
 */
#ifndef CR_RESTORE_CHECK_H
#define CR_RESTORE_CHECK_H

#include <stdbool.h>

#include "restore.h"

/* Report one finding (logged as an error, or as info in checking mode). */
__attribute__((format(printf, 4, 5))) void rst_finding(const struct rst_ctx *ctx, const char *kind,
						       const char *subject, const char *fmt, ...);

/* Every PID and TID the tree needs must be free: the number taken (each a finding). */
int rst_check_pids(const struct rst_ctx *ctx);

/* Binaries and libraries the dump fingerprinted, missing or changed here. */
int rst_check_files(const struct rst_ctx *ctx);

/*
 * Whether the regular file @reg, to be reopened at @path (its name or a
 * link to it), still has the size and mtime it had at dump: 0, or 1 after
 * a finding naming it (stale: what would be opened is not what was dumped).
 * A file open write-only with O_APPEND (a log) or with O_PATH is not checked.
 */
int rst_check_unchanged(const struct rst_ctx *ctx, const RegFileEntry *reg, const char *path);

/* Whether @reg may have changed since the dump and still be reopened (a log, an O_PATH file). */
bool rst_file_may_change(const RegFileEntry *reg);

/* The pages the images hold against MemAvailable and the memory cgroup limits. */
int rst_check_memory(const struct rst_ctx *ctx);

/* The XSAVE features of the dumping CPU (cpuinfo.img) missing here. */
int rst_check_cpu(const struct rst_ctx *ctx);

/*
 * The nice values and scheduling policies of the threads and the locked
 * memory of the tasks: valid, and what crtool may set here under the
 * image's rlimits. Reads the mm images. 0, or -EINVAL, -EOPNOTSUPP,
 * -EPERM naming the thread or task (logged).
 */
int rst_check_limits(struct rst_ctx *ctx);

/* The libcheck probes of the kernel features the images need. */
int rst_check_kernel(const struct rst_ctx *ctx);

/* The vDSO every live task ran with: this kernel's, or one a proxy can stand for (1: a finding). */
int rst_check_vdso(struct rst_ctx *ctx);

/*
 * Checking mode, after the images are read: run every check above. 0 when
 * nothing was found, else the negative errno of the first kind found
 * (-ENOENT files, -ENOMEM memory, -EEXIST PIDs, -EOPNOTSUPP CPU or kernel).
 */
int rst_check(struct rst_ctx *ctx);

#endif
