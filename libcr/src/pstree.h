/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Discovery of a process tree from /proc: every process under a root, its
 * parent and its threads. One walk sees a moving tree at one moment; the
 * caller that freezes tasks walks again until pstree_equal() says the tree
 * stopped changing.
 */
#ifndef CR_PSTREE_H
#define CR_PSTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A walk gives up (-E2BIG) past this many processes, or threads in one. */
#define PSTREE_MAX_TASKS 65536

struct pstree_task {
	pid_t pid;
	pid_t ppid;		/* 0 for the root */
	size_t nr_threads;
	pid_t *threads;		/* TIDs in increasing order, pid itself included */
};

struct pstree {
	size_t nr;
	struct pstree_task *tasks;	/* tasks[0] is the root, the rest by increasing pid */
};

/*
 * Walk /proc/PID/task/TID/children of every thread from @root down and
 * fill @tree (freed with pstree_free()). Tasks and threads that vanish
 * during the walk are left out. 0, -ESRCH when @root is gone, -E2BIG past
 * PSTREE_MAX_TASKS, or another negative errno.
 */
int pstree_walk(pid_t root, struct pstree *tree);

/* Release what pstree_walk() allocated; @tree is left empty. */
void pstree_free(struct pstree *tree);

/* The task with @pid, or NULL. */
const struct pstree_task *pstree_find(const struct pstree *tree, pid_t pid);

/* Same processes, same parents, same threads. */
bool pstree_equal(const struct pstree *a, const struct pstree *b);

/*
 * Parse a children file (@buf, @len bytes: pids separated by spaces) into
 * @pids (room for @max): the count, -EINVAL on garbage, -E2BIG past @max.
 * Suitable as a fuzz entry point.
 */
int pstree_children_parse(const char *buf, size_t len, pid_t *pids, size_t max);

#endif
