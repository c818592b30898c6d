// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "compel/compel.h"
#include "dump-tree.h"
#include "images.h"
#include "lib-log.h"
#include "proc-stat.h"

/* A tree that keeps forking while we seize it gets this many tries. */
#define SEIZE_ATTEMPTS 16

static int seize_task(const struct pstree_task *pt, struct dump_task *t)
{
	struct proc_stat st;
	int ret;

	ret = proc_stat_read(pt->pid, 0, &st);
	if (ret) {
		pr_err("cannot read the state of task %d: %s", pt->pid, strerror(-ret));
		return ret;
	}
	t->pt = pt;
	t->pgid = st.pgid;
	t->sid = st.sid;
	t->zombie_exit_code = st.exit_code;
	if (st.state == 'Z') {
		pr_info("task %d is a zombie (exit status %#x)", pt->pid, st.exit_code);
		t->ct = NULL;
		return 0;
	}
	t->ct = compel_task_seize(pt->pid);
	if (!t->ct) {
		ret = -errno;
		pr_err("cannot seize task %d: %s", pt->pid, strerror(-ret));
		return ret;
	}
	return 0;
}

static void release_tasks(struct dump_task *tasks, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		if (tasks[i].ct)
			compel_task_release(tasks[i].ct);
}

static int seize_once(pid_t root, struct dump_tree *tree, bool *stable)
{
	struct pstree again = { 0 };
	size_t i;
	int ret;

	ret = pstree_walk(root, &tree->pst);
	if (ret) {
		pr_err("cannot walk the tree of %d: %s", root, strerror(-ret));
		return ret;
	}
	tree->tasks = calloc(tree->pst.nr, sizeof(*tree->tasks));
	if (!tree->tasks)
		return -ENOMEM;
	for (i = 0; i < tree->pst.nr; i++) {
		ret = seize_task(&tree->pst.tasks[i], &tree->tasks[i]);
		if (ret)
			goto fail;
	}
	tree->nr = i;
	ret = pstree_walk(root, &again);
	if (ret)
		goto fail;
	*stable = pstree_equal(&tree->pst, &again);
	pstree_free(&again);
	return 0;
fail:
	release_tasks(tree->tasks, i);
	free(tree->tasks);
	pstree_free(&tree->pst);
	memset(tree, 0, sizeof(*tree));
	return ret;
}

int dump_tree_seize(pid_t root, struct dump_tree *tree)
{
	for (int attempt = 0; attempt < SEIZE_ATTEMPTS; attempt++) {
		bool stable = false;
		int ret = seize_once(root, tree, &stable);

		if (ret)
			return ret;
		if (stable) {
			pr_info("seized %zu tasks under %d", tree->nr, root);
			return 0;
		}
		pr_debug("the tree of %d changed while seizing it, again", root);
		dump_tree_release(tree, false);
	}
	pr_err("the tree of %d keeps changing, giving up", root);
	return -EAGAIN;
}

int dump_tree_release(struct dump_tree *tree, bool kill_tasks)
{
	int ret = 0;

	for (size_t i = 0; i < tree->nr; i++) {
		struct dump_task *t = &tree->tasks[i];
		int r;

		if (!t->ct)
			r = kill_tasks && kill(t->pt->pid, SIGKILL) && errno != ESRCH ? -errno : 0;
		else if (kill_tasks)
			r = compel_task_kill(t->ct);
		else
			r = compel_task_release(t->ct);
		if (r && !ret)
			ret = r;
	}
	free(tree->tasks);
	pstree_free(&tree->pst);
	memset(tree, 0, sizeof(*tree));
	return ret;
}

int dump_tree_write(struct img_dir *dir, const struct dump_tree *tree)
{
	struct img_file *f = img_file_open(dir, "PSTREE", 0, IMG_WRITE);
	int ret = 0, ret2;

	if (!f) {
		ret = -errno;
		pr_err("cannot create pstree.img: %s", strerror(-ret));
		return ret;
	}
	for (size_t i = 0; i < tree->nr && !ret; i++) {
		const struct dump_task *t = &tree->tasks[i];
		PstreeEntry pe = PSTREE_ENTRY__INIT;
		uint32_t *threads = calloc(t->pt->nr_threads, sizeof(*threads));

		if (!threads) {
			ret = -ENOMEM;
			break;
		}
		for (size_t j = 0; j < t->pt->nr_threads; j++)
			threads[j] = t->pt->threads[j];
		pe.pid = t->pt->pid;
		pe.ppid = t->pt->ppid;
		pe.pgid = t->pgid;
		pe.sid = t->sid;
		pe.n_threads = t->pt->nr_threads;
		pe.threads = threads;
		ret = img_file_write_entry(f, &pe.base);
		free(threads);
	}
	ret2 = img_file_close(f);
	if (!ret)
		ret = ret2;
	if (ret)
		pr_err("cannot write pstree.img: %s", strerror(-ret));
	return ret;
}
