// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The process tree of a dump in the order a tree is printed: depth first,
 * siblings in pstree.img's order. pstree.img is untrusted, so the walk uses
 * its own stack (a deep chain of tasks cannot overflow crtool's) and checks
 * that every task is reached once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "log.h"

struct by_pid {
	uint32_t pid;
	size_t idx;
};

static int cmp_pid(const void *a, const void *b)
{
	const struct by_pid *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* The index of the task with PID @pid, or -1. */
static long find_pid(const struct by_pid *sorted, size_t n, uint32_t pid)
{
	struct by_pid key = { .pid = pid };
	const struct by_pid *p = bsearch(&key, sorted, n, sizeof(*sorted), cmp_pid);

	return p ? (long)p->idx : -1;
}

/* Depth-first walk from the roots; fills @order and the tasks' depth. */
static size_t walk(struct dump_task *t, size_t n, const long *parent, const long *first_child,
		   const long *next_sibling, size_t *order, long *stack)
{
	size_t done = 0, top = 0;
	long i, c;

	for (i = (long)n - 1; i >= 0; i--)
		if (parent[i] < 0)
			stack[top++] = i;
	while (top) {
		i = stack[--top];
		order[done++] = i;
		t[i].depth = parent[i] < 0 ? 0 : t[parent[i]].depth + 1;
		/* Children were linked last to first: pushing them so pops them in order. */
		for (c = first_child[i]; c >= 0; c = next_sibling[c])
			stack[top++] = c;
	}
	return done;
}

int dump_tree_sort(struct dump_task *t, size_t n)
{
	long *parent = calloc(n + 1, sizeof(long)), *first_child = calloc(n + 1, sizeof(long));
	long *next_sibling = calloc(n + 1, sizeof(long)), *stack = calloc(n + 1, sizeof(long));
	struct by_pid *sorted = calloc(n + 1, sizeof(*sorted));
	struct dump_task *copy = calloc(n + 1, sizeof(*copy));
	size_t *order = calloc(n + 1, sizeof(size_t)), i, done;
	int ret = -ENOMEM;

	if (!parent || !first_child || !next_sibling || !stack || !sorted || !copy || !order)
		goto out;
	for (i = 0; i < n; i++)
		sorted[i] = (struct by_pid){ t[i].pid, i };
	qsort(sorted, n, sizeof(*sorted), cmp_pid);
	ret = -EINVAL;
	for (i = 1; i < n; i++)
		if (sorted[i].pid == sorted[i - 1].pid) {
			pr_err("pstree.img: PID %u appears twice", sorted[i].pid);
			goto out;
		}
	for (i = 0; i < n; i++) {
		parent[i] = find_pid(sorted, n, t[i].ppid);
		first_child[i] = -1;
	}
	/* Link each task's children, last first, so the walk's stack pops them in order. */
	for (i = 0; i < n; i++) {
		if (parent[i] < 0)
			continue;
		next_sibling[i] = first_child[parent[i]];
		first_child[parent[i]] = i;
	}
	done = walk(t, n, parent, first_child, next_sibling, order, stack);
	if (done != n) {
		pr_err("pstree.img: %zu tasks are not reachable from a root "
		       "(their parents form a cycle)", n - done);
		goto out;
	}
	memcpy(copy, t, n * sizeof(*t));
	for (i = 0; i < n; i++)
		t[i] = copy[order[i]];
	ret = 0;
out:
	free(parent);
	free(first_child);
	free(next_sibling);
	free(stack);
	free(sorted);
	free(copy);
	free(order);
	return ret;
}
