// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The page parasite: makes the page pipe in the task and feeds it runs of
 * the task's memory with vmsplice(), which only references the pages. Each
 * call blocks until the pipe has room, as crtool's thread empties it into
 * the images, and takes what fits: the loop goes on until every run is in.
 */
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <sys/syscall.h>

#include "compel-pie.h"
#include "page-parasite.h"

#ifndef F_SETPIPE_SZ
#define F_SETPIPE_SZ 1031
#endif

static long make_pipe(void *data, uint32_t room)
{
	int fds[2];
	long ret;

	if (room < sizeof(int32_t))
		return -EINVAL;
	ret = pie_syscall(SYS_pipe2, fds, O_CLOEXEC, 0);
	if (ret)
		return ret;
	/* A smaller pipe works too, with more calls. */
	pie_syscall(SYS_fcntl, fds[1], F_SETPIPE_SZ, PAGE_PIPE_SIZE);
	ret = pie_send_fd(fds[0]);
	pie_syscall(SYS_close, fds[0], 0, 0);
	if (ret) {
		pie_syscall(SYS_close, fds[1], 0, 0);
		return ret;
	}
	memcpy(data, &fds[1], sizeof(int32_t));
	return sizeof(int32_t);
}

static long splice_runs(struct page_runs *r, uint32_t len)
{
	uint32_t i = 0;

	if (len < sizeof(*r) || r->nr > (len - sizeof(*r)) / sizeof(r->runs[0]))
		return -EINVAL;
	while (i < r->nr) {
		/* struct page_run is laid out as struct iovec. */
		long done = pie_syscall(SYS_vmsplice, r->fd, &r->runs[i], r->nr - i);

		if (done <= 0)
			return done ? done : -EIO;
		for (; i < r->nr && (uint64_t)done >= r->runs[i].len; i++)
			done -= (long)r->runs[i].len;
		if (done) {
			r->runs[i].start += (uint64_t)done;
			r->runs[i].len -= (uint64_t)done;
		}
	}
	return 0;
}

long pie_handle(uint32_t cmd, void *data, uint32_t len, uint32_t room)
{
	switch (cmd) {
	case PAGE_PARASITE_PIPE:
		return make_pipe(data, room);
	case PAGE_PARASITE_SPLICE:
		return splice_runs(data, len);
	default:
		return -EINVAL;
	}
}
