/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Open regular files whose path no longer leads to them (dump-link-remap.c):
 * the name was unlinked or replaced while another hard link remains, so the
 * restore cannot reopen them by path. With CR_DUMP_LINK_REMAP each such
 * inode gets a new hard link link_remap.N (N its REG entry id) in the folder
 * of its old name, and remap-fpath.img maps the file to it (type LINKED).
 */
#ifndef CR_DUMP_LINK_REMAP_H
#define CR_DUMP_LINK_REMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "dump.h"

/* Hard links one dump makes at most. */
#define LINK_REMAPS_MAX 4096

/*
 * The REG entry @reg_id is our @fd (of @st), open in task @pid, at @path
 * from crtool's root (@deleted: the kernel marked it " (deleted)"). Whatever has no path left
 * is saved: a deleted file without links as a ghost (dump-ghost.c), one
 * still linked elsewhere, or whose path now names another file, through a
 * new hard link (with CR_DUMP_LINK_REMAP; else refused). 0 when nothing
 * was needed or it is saved, else a negative errno, logged.
 */
int dump_path_gone(struct dump_ctx *ctx, pid_t pid, int fd, const struct stat *st, const char *path,
		   bool deleted, uint32_t reg_id);

/* Remove the links made unless @keep (a dump that is to be restored); free. */
void dump_link_remaps_finish(struct dump_ctx *ctx, bool keep);

#endif
