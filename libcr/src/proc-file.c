// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "lib-log.h"
#include "proc-file.h"

int proc_open(pid_t pid, const char *name, int flags)
{
	char path[128];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name) >= sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		/* A task that is gone is the caller's business, not an error yet. */
		if (fd == -ENOENT || fd == -ESRCH)
			pr_debug("open %s: %m", path);
		else
			pr_perror("open %s", path);
	}
	return fd;
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
