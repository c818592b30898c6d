/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Freezing a whole tree: every process seized, until the tree stops changing. */
#ifndef CR_DUMP_TREE_H
#define CR_DUMP_TREE_H

#include <stdbool.h>

#include "dump.h"
#include "pstree.h"

struct dump_tree {
	struct pstree pst;
	struct dump_task *tasks;	/* one per pst.tasks[i], same order */
	size_t nr;
};

/* A dumped zombie has no compel_task: it cannot be seized, only described. */
static inline bool dump_task_is_zombie(const struct dump_task *t)
{
	return t->ct == NULL;
}

/*
 * Walk the tree under @root and seize every process in it, walking again
 * until the tree seen before seizing is the tree held. 0 or a negative
 * errno; on failure nothing stays seized.
 */
int dump_tree_seize(pid_t root, struct dump_tree *tree);

/*
 * Let every task go: resumed as it was (@kill false), or killed first
 * (@kill true). Frees @tree. 0 or the first negative errno.
 */
int dump_tree_release(struct dump_tree *tree, bool kill);

/* pstree.img from @tree. */
int dump_tree_write(struct img_dir *dir, const struct dump_tree *tree);

#endif
