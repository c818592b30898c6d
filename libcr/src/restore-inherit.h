/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Files handed in by the caller (cr_restore_opts.inherit_fds): a task fd
 * whose file has the key of one of them gets a duplicate of the caller's
 * descriptor instead of a file rebuilt from the images. A file dumped as
 * external (type EXT, with its key) must be handed in.
 */
#ifndef CR_RESTORE_INHERIT_H
#define CR_RESTORE_INHERIT_H

#include "restore.h"

/* In crtool: every inherited descriptor is open and has a key. 0 or -EBADF (logged). */
int rst_inherit_check(const struct rst_ctx *ctx);

/*
 * Put in *@fd the caller's descriptor that file @fe is taken from, -1 when
 * none is handed in for it (the file is rebuilt from the images).
 * @fifo_path is the path of a FIFO's REG entry, else NULL. 0, or -ENOENT
 * (logged) for an external file nobody hands in.
 */
int rst_inherit_lookup(const struct rst_ctx *ctx, const FileEntry *fe, const char *fifo_path,
		       int *fd);

#endif
