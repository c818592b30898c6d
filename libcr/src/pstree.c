// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "lib-log.h"
#include "proc-dir.h"
#include "proc-file.h"
#include "proc-parse.h"
#include "pstree.h"

/* One word of a children file: 1 and *pid, 0 for an empty word, or -EINVAL. */
static int parse_pid_word(char *word, pid_t *pid)
{
	char *s = word;
	int v;

	if (!*word)
		return 0;
	if (proc_parse_int(&s, &v) || *s || v <= 0) {
		pr_err("children: bad pid '%.20s'", word);
		return -EINVAL;
	}
	*pid = v;
	return 1;
}

struct pid_array {
	pid_t *pids;
	size_t nr, max;
};

static int collect_pid(char *word, size_t len, void *arg)
{
	struct pid_array *a = arg;
	pid_t pid;
	int ret = parse_pid_word(word, &pid);

	if (ret <= 0)
		return ret;
	if (a->nr == a->max)
		return -E2BIG;
	a->pids[a->nr++] = pid;
	return 0;
}

int pstree_children_parse(const char *buf, size_t len, pid_t *pids, size_t max)
{
	struct pid_array a = { pids, 0, max };
	int ret = proc_records_from_buf(buf, len, ' ', collect_pid, &a);

	return ret ? ret : (int)a.nr;
}

struct walk {
	struct pstree *tree;
	size_t cap;
	pid_t parent;
};

static int add_task(struct walk *w, pid_t pid, pid_t ppid)
{
	struct pstree *tree = w->tree;
	int ret = array_grow((void **)&tree->tasks, &w->cap, tree->nr, sizeof(*tree->tasks), PSTREE_MAX_TASKS);

	if (ret == -E2BIG)
		pr_err("pstree: more than %d tasks", PSTREE_MAX_TASKS);
	if (ret)
		return ret;
	tree->tasks[tree->nr++] = (struct pstree_task){ .pid = pid, .ppid = ppid };
	return 0;
}

static int add_child(char *word, size_t len, void *arg)
{
	struct walk *w = arg;
	pid_t pid;
	int ret = parse_pid_word(word, &pid);

	return ret <= 0 ? ret : add_task(w, pid, w->parent);
}

/* Threads of task @i and the children each of them forked. */
static int walk_task(struct walk *w, size_t i)
{
	struct pstree_task *t = &w->tree->tasks[i];
	pid_t pid = t->pid;
	size_t j, nr;
	int ret;

	/* -ENOENT: the task is gone. */
	ret = proc_dir_numbers(pid, "task", PSTREE_MAX_TASKS, &t->threads, &t->nr_threads);
	if (ret)
		return ret;
	/* add_child() may move tasks[]: keep what is needed by value. */
	nr = t->nr_threads;
	for (j = 0; j < nr; j++) {
		char name[64];

		snprintf(name, sizeof(name), "task/%d/children", (int)w->tree->tasks[i].threads[j]);
		w->parent = pid;
		ret = proc_read_records(pid, name, ' ', add_child, w);
		/* A thread that exited meanwhile has no children left to show. */
		if (ret && ret != -ENOENT && ret != -ESRCH)
			return ret;
	}
	return 0;
}

static int cmp_task(const void *a, const void *b)
{
	pid_t x = ((const struct pstree_task *)a)->pid, y = ((const struct pstree_task *)b)->pid;

	return (x > y) - (x < y);
}

/* Drop tasks that vanished (no threads) or were seen twice; sort by pid. */
static void tidy(struct pstree *tree)
{
	size_t i, n = 1;

	if (tree->nr > 1)
		qsort(tree->tasks + 1, tree->nr - 1, sizeof(*tree->tasks), cmp_task);
	for (i = 1; i < tree->nr; i++) {
		struct pstree_task *t = &tree->tasks[i];

		if (!t->nr_threads || t->pid == tree->tasks[n - 1].pid || t->pid == tree->tasks[0].pid) {
			free(t->threads);
			continue;
		}
		tree->tasks[n++] = *t;
	}
	tree->nr = n;
}

int pstree_walk(pid_t root, struct pstree *tree)
{
	struct walk w = { .tree = tree };
	size_t i;
	int ret;

	memset(tree, 0, sizeof(*tree));
	ret = add_task(&w, root, 0);
	for (i = 0; !ret && i < tree->nr; i++) {
		ret = walk_task(&w, i);
		if (ret == -ENOENT && i > 0)
			ret = 0;	/* exited during the walk */
		else if (ret == -ENOENT)
			ret = -ESRCH;
	}
	if (ret) {
		if (ret == -ESRCH)
			pr_err("pstree: process %d is gone", (int)root);
		pstree_free(tree);
		return ret;
	}
	tidy(tree);
	return 0;
}

void pstree_free(struct pstree *tree)
{
	size_t i;

	for (i = 0; i < tree->nr; i++)
		free(tree->tasks[i].threads);
	free(tree->tasks);
	memset(tree, 0, sizeof(*tree));
}

const struct pstree_task *pstree_find(const struct pstree *tree, pid_t pid)
{
	size_t i;

	for (i = 0; i < tree->nr; i++)
		if (tree->tasks[i].pid == pid)
			return &tree->tasks[i];
	return NULL;
}

bool pstree_equal(const struct pstree *a, const struct pstree *b)
{
	size_t i;

	if (a->nr != b->nr)
		return false;
	/* Both are in the order pstree_walk() leaves them. */
	for (i = 0; i < a->nr; i++) {
		const struct pstree_task *x = &a->tasks[i], *y = &b->tasks[i];

		if (x->pid != y->pid || x->ppid != y->ppid || x->nr_threads != y->nr_threads ||
		    memcmp(x->threads, y->threads, x->nr_threads * sizeof(pid_t)))
			return false;
	}
	return true;
}
