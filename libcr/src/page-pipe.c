// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lib-log.h"
#include "page-pipe.h"

/* pipe-max-size's default: the most a caller without CAP_SYS_RESOURCE gets. */
#define PIPE_SIZE (1 << 20)
#define DISCARD_BUF (64 << 10)

struct page_pipe {
	struct compel_task *ct;
	struct img_pagemap_writer *w;
	int task_fd;			/* the write end, in the task; -1 once closed */
	int fd;				/* the read end, ours */
	struct iovec *iov;		/* in the shared area: here ... */
	unsigned long iov_remote;	/* ... and in the task */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	const struct page_region *batch; /* the runs the thread writes; NULL when done */
	size_t nr;
	bool stopping;
	int err;			/* the thread's first error */
};

static long remote(struct compel_task *ct, long nr, long a0, long a1, long a2, long a3)
{
	const long args[6] = { a0, a1, a2, a3 };
	long res;
	int err = compel_task_syscall(ct, nr, args, &res);

	return err ? err : res;
}

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
	long ret;

	if (pp->task_fd < 0)
		return;
	ret = remote(pp->ct, SYS_close, pp->task_fd, 0, 0, 0);
	if (ret)
		pr_warn("cannot close the page pipe in %d: %s", compel_task_pid(pp->ct),
			strerror((int)-ret));
	pp->task_fd = -1;
}

size_t page_pipe_room(size_t max_runs)
{
	size_t need = max_runs * sizeof(struct iovec);

	return need > 2 * sizeof(int) ? need : 2 * sizeof(int);
}

/* Our copy of the read end of a new pipe of the task; its write end is left there. */
static int open_pipe(struct page_pipe *pp)
{
	pid_t pid = compel_task_pid(pp->ct);
	int *fds = compel_task_shared_local(pp->ct), pidfd, err;
	long ret;

	ret = remote(pp->ct, SYS_pipe2, (long)compel_task_shared_remote(pp->ct), O_CLOEXEC, 0, 0);
	if (ret)
		return (int)ret;
	pp->task_fd = fds[1];
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	pp->fd = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, fds[0], 0);
	err = errno;
	if (pidfd >= 0)
		close(pidfd);
	ret = remote(pp->ct, SYS_close, fds[0], 0, 0, 0);
	if (pp->fd < 0)
		return -err;
	if (ret)
		return (int)ret;
	/* A smaller pipe works too, with more round trips. */
	if (fcntl(pp->fd, F_SETPIPE_SZ, PIPE_SIZE) < 0)
		pr_debug("page pipe of %d keeps its size: %s", pid, strerror(errno));
	return 0;
}

struct page_pipe *page_pipe_open(struct compel_task *ct, struct img_pagemap_writer *w,
				 size_t max_runs)
{
	struct page_pipe *pp;
	int err;

	if (compel_task_shared_size(ct) < page_pipe_room(max_runs)) {
		errno = ENOSPC;
		return NULL;
	}
	pp = calloc(1, sizeof(*pp));
	if (!pp)
		return NULL;
	pp->ct = ct;
	pp->w = w;
	pp->fd = -1;
	pp->iov = compel_task_shared_local(ct);
	pp->iov_remote = compel_task_shared_remote(ct);
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

/* vmsplice() every run into the pipe, as often as the task takes only part. */
static int splice_runs(struct page_pipe *pp, size_t n)
{
	size_t i = 0;

	while (i < n) {
		long done = remote(pp->ct, SYS_vmsplice, pp->task_fd,
				   (long)(pp->iov_remote + i * sizeof(struct iovec)), (long)(n - i),
				   0);

		if (done <= 0) {
			pr_err("cannot splice the pages at %p of %d: %s", pp->iov[i].iov_base,
			       compel_task_pid(pp->ct), done ? strerror((int)-done) : "nothing taken");
			return done ? (int)done : -EIO;
		}
		for (; i < n && (size_t)done >= pp->iov[i].iov_len; i++)
			done -= (long)pp->iov[i].iov_len;
		if (done) {
			pp->iov[i].iov_base = (char *)pp->iov[i].iov_base + done;
			pp->iov[i].iov_len -= (size_t)done;
		}
	}
	return 0;
}

int page_pipe_dump(struct page_pipe *pp, const struct page_region *runs, size_t n)
{
	size_t i;
	int ret;

	if (pp->task_fd < 0)
		return -EBADF;
	for (i = 0; i < n; i++) {
		pp->iov[i].iov_base = (void *)(uintptr_t)runs[i].start;
		pp->iov[i].iov_len = runs[i].end - runs[i].start;
	}
	pthread_mutex_lock(&pp->lock);
	pp->batch = runs;
	pp->nr = n;
	pthread_cond_broadcast(&pp->changed);
	pthread_mutex_unlock(&pp->lock);

	ret = splice_runs(pp, n);
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
