// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib-log.h"
#include "proc-file.h"

/* Log a failed call on a /proc path and return -errno. */
static int proc_failed(const char *what, const char *path)
{
	int err = errno;

	/* A task that is gone is the caller's business, not an error yet. */
	if (err == ENOENT || err == ESRCH)
		pr_debug("%s %s: %s", what, path, strerror(err));
	else
		pr_err("%s %s: %s", what, path, strerror(err));
	return -err;
}

/* "/proc/@pid/@name" into @path (128 bytes), or -ENAMETOOLONG. */
static int proc_path(char *path, pid_t pid, const char *name)
{
	if ((size_t)snprintf(path, 128, "/proc/%d/%s", (int)pid, name) >= 128)
		return -ENAMETOOLONG;
	return 0;
}

int proc_open(pid_t pid, const char *name, int flags)
{
	char path[128];
	int fd;

	if (proc_path(path, pid, name))
		return -ENAMETOOLONG;
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? proc_failed("open", path) : fd;
}

long proc_readlink(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[128];
	ssize_t n;

	if (proc_path(path, pid, name))
		return -ENAMETOOLONG;
	n = readlink(path, buf, size);
	if (n < 0)
		return proc_failed("readlink", path);
	if ((size_t)n >= size) {
		pr_err("readlink %s: longer than %zu bytes", path, size);
		return -ENAMETOOLONG;
	}
	buf[n] = '\0';
	return n;
}

long proc_read_all(pid_t pid, const char *name, void *buf, size_t size)
{
	size_t fill = 0;
	long ret;
	int fd;

	fd = proc_open(pid, name, O_RDONLY);
	if (fd < 0)
		return fd;
	for (;;) {
		char extra;
		ssize_t n;

		if (fill == size)
			n = read(fd, &extra, 1);
		else
			n = read(fd, (char *)buf + fill, size - fill);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			pr_perror("read /proc/%d/%s", (int)pid, name);
			break;
		}
		if (n == 0) {
			ret = fill;
			break;
		}
		if (fill == size) {
			pr_err("/proc/%d/%s is larger than %zu bytes", (int)pid, name, size);
			ret = -E2BIG;
			break;
		}
		fill += n;
	}
	close(fd);
	return ret;
}

int proc_read_records(pid_t pid, const char *name, char sep, proc_record_fn fn, void *arg)
{
	int fd, ret;

	fd = proc_open(pid, name, O_RDONLY);
	if (fd < 0)
		return fd;
	ret = proc_records_from_fd(fd, sep, fn, arg);
	close(fd);
	return ret;
}

void proc_task_name(char *buf, size_t size, pid_t tid, const char *file)
{
	if (tid > 0)
		snprintf(buf, size, "task/%d/%s", (int)tid, file);
	else
		snprintf(buf, size, "%s", file);
}
