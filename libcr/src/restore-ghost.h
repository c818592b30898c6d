/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Deleted files on restore: a REG entry that remap-fpath.img maps to a
 * ghost is opened through a file made from ghost-file-N.img beside its old
 * path (PATH.crtool-ghost.N), which is removed again once every file is
 * open, so the tasks hold an unlinked file as they did.
 */
#ifndef CR_RESTORE_GHOST_H
#define CR_RESTORE_GHOST_H

#include "images.h"

struct rst_ghosts;

/* In crtool: read remap-fpath.img (none is fine). 0 or a negative errno, logged. */
int rst_ghosts_load(struct img_dir *dir, struct rst_ghosts **gs);

/*
 * The path to open the REG entry @reg at: its own name, or the ghost it is
 * mapped to, made from its image the first time. NULL on failure (logged).
 */
const char *rst_ghost_path(struct rst_ghosts *gs, struct img_dir *dir, const RegFileEntry *reg);

/* Remove every ghost made so far: what was opened through them keeps them. */
void rst_ghosts_unlink(struct rst_ghosts *gs);

void rst_ghosts_free(struct rst_ghosts *gs);

#endif
