/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Files whose path was gone at dump, on restore (remap-fpath.img). A REG
 * entry mapped to a ghost is opened through a file made from
 * ghost-file-N.img beside its old path (PATH.crtool-ghost.N), which is
 * removed again once every file is open, so the tasks hold an unlinked file
 * as they did. One mapped to a link (LINKED, criu's --link-remap) is opened
 * through the hard link the dump made, removed once the tree runs.
 */
#ifndef CR_RESTORE_GHOST_H
#define CR_RESTORE_GHOST_H

#include <stdbool.h>

#include "images.h"

struct rst_ghosts;
struct rst_files;

/* In crtool: read remap-fpath.img (none is fine). 0 or a negative errno, logged. */
int rst_ghosts_load(struct img_dir *dir, struct rst_ghosts **gs);

/* Whether the REG entry @reg_id is opened through a ghost. */
bool rst_ghost_of(const struct rst_ghosts *gs, uint32_t reg_id);

/*
 * The path to open the REG entry @reg at, where the file it had is now: its
 * own name, or the link it is mapped to (in @rf). NULL when the link's
 * entry is missing (logged). For an entry not opened through a ghost.
 */
const char *rst_link_path(const struct rst_ghosts *gs, const struct rst_files *rf,
			  const RegFileEntry *reg);

/*
 * The path to open the REG entry @reg at: rst_link_path(), or the ghost it
 * is mapped to, made from its image the first time. NULL on failure (logged).
 */
const char *rst_ghost_path(struct rst_ghosts *gs, const struct rst_files *rf, struct img_dir *dir,
			   const RegFileEntry *reg);

/* Remove every ghost made so far: what was opened through them keeps them. */
void rst_ghosts_unlink(struct rst_ghosts *gs);

/* Once the tree runs: remove the links the dump made, the tasks hold the files. */
void rst_links_unlink(const struct rst_ghosts *gs, const struct rst_files *rf);

void rst_ghosts_free(struct rst_ghosts *gs);

#endif
