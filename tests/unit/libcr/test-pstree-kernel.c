// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The process-tree walk on a real tree (suite 'kernel'):
 *
 *   root (main thread + thread T)
 *    |- A (forked by the main thread)
 *    |   `- G
 *    `- B (forked by thread T: listed in T's children file only)
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "child.h"
#include "pstree.h"

struct report {
	pid_t a, b, g, thread;
};

/* Shared with the whole tree: each member writes its pid here. */
static volatile struct report *shared;

static void sleep_forever(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
		pause();
}

static void *thread_main(void *arg)
{
	pid_t b;

	shared->thread = gettid();
	b = fork();
	if (!b)
		sleep_forever();
	shared->b = b;
	for (;;)
		pause();
	return NULL;
}

/* Runs in root: build the tree, wait until every pid is known. */
static void setup(void *arg)
{
	struct report *r = arg;
	pthread_t t;
	pid_t a;

	a = fork();
	if (!a) {
		pid_t g = fork();

		if (!g)
			sleep_forever();
		shared->g = g;
		/* Reap G when the test kills it, so that it leaves the tree. */
		waitpid(g, NULL, 0);
		sleep_forever();
	}
	shared->a = a;
	if (pthread_create(&t, NULL, thread_main, NULL))
		_exit(1);
	while (!shared->b || !shared->g || !shared->thread)
		usleep(1000);
	memcpy(r, (void *)shared, sizeof(*r));
}

static void assert_threads(const struct pstree_task *t, int nr, pid_t t0, pid_t t1)
{
	assert_non_null(t);
	assert_int_equal(t->nr_threads, nr);
	assert_int_equal(t->threads[0], t0);
	if (nr > 1)
		assert_int_equal(t->threads[1], t1);
}

static void test_tree(void **state)
{
	struct pstree tree, again;
	struct child root;
	struct report r;
	size_t i;

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(shared != MAP_FAILED);
	memset((void *)shared, 0, sizeof(*shared));
	child_start(&root, setup, &r, sizeof(r));

	assert_int_equal(pstree_walk(root.pid, &tree), 0);
	assert_int_equal(tree.nr, 4);
	assert_int_equal(tree.tasks[0].pid, root.pid);
	assert_int_equal(tree.tasks[0].ppid, 0);
	assert_threads(&tree.tasks[0], 2, root.pid, r.thread);	/* the leader has the lowest tid */
	assert_int_equal(pstree_find(&tree, r.a)->ppid, root.pid);
	assert_int_equal(pstree_find(&tree, r.b)->ppid, root.pid);
	assert_int_equal(pstree_find(&tree, r.g)->ppid, r.a);
	assert_threads(pstree_find(&tree, r.a), 1, r.a, 0);
	assert_threads(pstree_find(&tree, r.g), 1, r.g, 0);
	for (i = 2; i < tree.nr; i++)
		assert_true(tree.tasks[i].pid > tree.tasks[i - 1].pid);
	assert_null(pstree_find(&tree, getpid()));

	/* Nothing moved: a second walk sees the same tree. */
	assert_int_equal(pstree_walk(root.pid, &again), 0);
	assert_true(pstree_equal(&tree, &again));
	pstree_free(&again);

	/* G dies and is reaped by A: the tree changed. */
	assert_int_equal(kill(r.g, SIGKILL), 0);
	for (;;) {
		assert_int_equal(pstree_walk(root.pid, &again), 0);
		if (again.nr != 4)
			break;
		pstree_free(&again);
		usleep(1000);
	}
	assert_int_equal(again.nr, 3);
	assert_null(pstree_find(&again, r.g));
	assert_false(pstree_equal(&tree, &again));
	pstree_free(&again);

	/* A subtree walks on its own. */
	assert_int_equal(pstree_walk(r.a, &again), 0);
	assert_int_equal(again.nr, 1);
	assert_int_equal(again.tasks[0].pid, r.a);
	pstree_free(&again);

	pstree_free(&tree);
	assert_int_equal(tree.nr, 0);
	kill(r.a, SIGKILL);
	kill(r.b, SIGKILL);
	child_stop(&root);
	munmap((void *)shared, sizeof(*shared));
}

static void test_gone(void **state)
{
	struct pstree tree;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_int_equal(pstree_walk(pid, &tree), -ESRCH);
	assert_int_equal(tree.nr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
