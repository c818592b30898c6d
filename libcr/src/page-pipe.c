// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib-log.h"
#include "page-parasite-blob.h"
#include "page-parasite.h"
#include "page-pipe.h"

#define DISCARD_BUF (64 << 10)

struct page_pipe {
	struct compel_task *ct;
	struct img_pagemap_writer *w;
	int task_fd;			/* the write end, in the task; -1 once closed */
	int fd;				/* the read end, ours */
	size_t max_runs;		/* the most runs of a call */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	const struct page_region *batch; /* the runs the thread writes; NULL when done */
	size_t nr;
	bool stopping;
	int err;			/* the thread's first error */
};

/* Empty the pipe until the task's end is closed: the task never blocks on us. */
static void discard(struct page_pipe *pp)
{
	char buf[DISCARD_BUF];
	ssize_t got;

	do
		got = read(pp->fd, buf, sizeof(buf));
	while (got > 0 || (got < 0 && errno == EINTR));
}

static void write_batch(struct page_pipe *pp, const struct page_region *runs, size_t n)
{
	int ret = 0;
	size_t i;

	for (i = 0; i < n && !ret; i++)
		ret = img_pagemap_writer_add_pipe(pp->w, runs[i].start,
						  (runs[i].end - runs[i].start) / IMG_PAGE_SIZE,
						  IMG_PE_PRESENT, pp->fd);
	if (ret) {
		pthread_mutex_lock(&pp->lock);
		pp->err = ret;
		pthread_cond_broadcast(&pp->changed);
		pthread_mutex_unlock(&pp->lock);
		discard(pp);
	}
}

static void *write_loop(void *arg)
{
	struct page_pipe *pp = arg;

	pthread_mutex_lock(&pp->lock);
	for (;;) {
		const struct page_region *runs;

		while (!pp->batch && !pp->stopping)
			pthread_cond_wait(&pp->changed, &pp->lock);
		if (!pp->batch)
			break;
		runs = pp->batch;
		pthread_mutex_unlock(&pp->lock);
		if (!pp->err)
			write_batch(pp, runs, pp->nr);
		pthread_mutex_lock(&pp->lock);
		pp->batch = NULL;
		pthread_cond_broadcast(&pp->changed);
	}
	pthread_mutex_unlock(&pp->lock);
	return NULL;
}

static void close_task_end(struct page_pipe *pp)
{
	const long args[6] = { pp->task_fd };
	long ret;
	int err;

	if (pp->task_fd < 0)
		return;
	err = compel_task_syscall(pp->ct, SYS_close, args, &ret);
	if (err)
		ret = err;
	if (ret)
		pr_warn("cannot close the page pipe in %d: %s", compel_task_pid(pp->ct),
			strerror((int)-ret));
	pp->task_fd = -1;
}

/* Our read end of a new pipe of the parasite's; its write end is left there. */
static int open_pipe(struct page_pipe *pp)
{
	size_t room;
	int32_t *fd = compel_parasite_data(pp->ct, &room);
	long reply;
	int ret;

	ret = compel_parasite_call(pp->ct, PAGE_PARASITE_PIPE, 0, &reply);
	if (!ret && reply < 0)
		ret = (int)reply;
	if (ret)
		return ret;
	pp->task_fd = *fd;
	pp->fd = compel_parasite_recv_fd(pp->ct);
	return pp->fd < 0 ? pp->fd : 0;
}

struct page_pipe *page_pipe_open(struct compel_task *ct, struct img_pagemap_writer *w,
				 size_t max_runs)
{
	struct page_pipe *pp;
	int err;

	err = -compel_task_infect(ct, &page_parasite,
				  sizeof(struct page_runs) + max_runs * sizeof(struct page_run));
	if (err) {
		errno = err;
		return NULL;
	}
	/*
	 * A call lasts as long as its runs take to write: the thread here
	 * always empties the pipe (or discards what it cannot write).
	 */
	compel_task_set_timeout(ct, 0);
	pp = calloc(1, sizeof(*pp));
	if (!pp)
		return NULL;
	pp->ct = ct;
	pp->w = w;
	pp->task_fd = -1;
	pp->fd = -1;
	pp->max_runs = max_runs;
	pthread_mutex_init(&pp->lock, NULL);
	pthread_cond_init(&pp->changed, NULL);
	err = -open_pipe(pp);
	if (!err)
		err = pthread_create(&pp->thread, NULL, write_loop, pp);
	if (!err)
		return pp;
	close_task_end(pp);
	if (pp->fd >= 0)
		close(pp->fd);
	pthread_mutex_destroy(&pp->lock);
	pthread_cond_destroy(&pp->changed);
	free(pp);
	errno = err;
	return NULL;
}

/* The parasite vmsplice()s every run into the pipe. */
static int splice_runs(struct page_pipe *pp, const struct page_region *runs, size_t n)
{
	size_t room;
	struct page_runs *r = compel_parasite_data(pp->ct, &room);
	long reply;
	int ret;

	r->fd = pp->task_fd;
	r->nr = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		r->runs[i] = (struct page_run){ runs[i].start, runs[i].end - runs[i].start };
	ret = compel_parasite_call(pp->ct, PAGE_PARASITE_SPLICE,
				   sizeof(*r) + n * sizeof(r->runs[0]), &reply);
	if (!ret && reply < 0)
		ret = (int)reply;
	if (ret)
		pr_err("cannot splice the pages at %#llx of %d: %s",
		       (unsigned long long)runs[0].start, compel_task_pid(pp->ct), strerror(-ret));
	return ret;
}

int page_pipe_dump(struct page_pipe *pp, const struct page_region *runs, size_t n)
{
	int ret;

	if (pp->task_fd < 0)
		return -EBADF;
	if (n > pp->max_runs)
		return -EINVAL;
	pthread_mutex_lock(&pp->lock);
	pp->batch = runs;
	pp->nr = n;
	pthread_cond_broadcast(&pp->changed);
	pthread_mutex_unlock(&pp->lock);

	ret = splice_runs(pp, runs, n);
	pthread_mutex_lock(&pp->lock);
	while (!ret && pp->batch && !pp->err)
		pthread_cond_wait(&pp->changed, &pp->lock);
	pthread_mutex_unlock(&pp->lock);
	/* Either side failed: the end of the pipe lets the other one stop. */
	if (ret || pp->err)
		close_task_end(pp);
	pthread_mutex_lock(&pp->lock);
	while (pp->batch)
		pthread_cond_wait(&pp->changed, &pp->lock);
	ret = ret ?: pp->err;
	pthread_mutex_unlock(&pp->lock);
	return ret;
}

int page_pipe_close(struct page_pipe *pp)
{
	int ret;

	if (!pp)
		return 0;
	close_task_end(pp);
	pthread_mutex_lock(&pp->lock);
	pp->stopping = true;
	pthread_cond_broadcast(&pp->changed);
	pthread_mutex_unlock(&pp->lock);
	pthread_join(pp->thread, NULL);
	ret = pp->err;
	close(pp->fd);
	pthread_mutex_destroy(&pp->lock);
	pthread_cond_destroy(&pp->changed);
	free(pp);
	return ret;
}
