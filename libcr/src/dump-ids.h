/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ids-PID.img and inventory.img: which kernel objects each task uses. */
#ifndef CR_DUMP_IDS_H
#define CR_DUMP_IDS_H

#include "dump-tree.h"

/*
 * Write ids-PID.img for every live task of @tree and inventory.img (marked
 * check_only when @check_only). Each
 * task gets its own mm, files, fs and sighand ids (tasks that share them
 * are refused earlier); namespaces get one id per namespace inode.
 */
int dump_ids(struct img_dir *dir, struct dump_tree *tree, bool check_only);

#endif
