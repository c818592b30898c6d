// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib-log.h"
#include "proc-lines.h"

/* Hand one record of @buf to @fn, NUL-terminating it in place. */
static int deliver(char *rec, size_t len, proc_record_fn fn, void *arg)
{
	if (len > PROC_LINE_MAX) {
		pr_err("proc: record of %zu bytes is longer than %d", len, PROC_LINE_MAX);
		return -EINVAL;
	}
	if (memchr(rec, '\0', len)) {
		pr_err("proc: NUL byte inside a record");
		return -EINVAL;
	}
	rec[len] = '\0';
	return fn(rec, len, arg);
}

/*
 * Deliver every complete record of buf[0..*fill) and move what is left to
 * the front. At @eof the remainder is a record too.
 */
static int drain(char *buf, size_t *fill, char sep, int eof, proc_record_fn fn, void *arg)
{
	size_t pos = 0;
	int ret;

	while (pos < *fill) {
		char *end = memchr(buf + pos, sep, *fill - pos);
		size_t len;

		if (!end) {
			if (!eof)
				break;
			len = *fill - pos;
		} else {
			len = end - (buf + pos);
		}
		ret = deliver(buf + pos, len, fn, arg);
		if (ret < 0)
			return ret;
		pos += len + (end != NULL);
	}
	memmove(buf, buf + pos, *fill - pos);
	*fill -= pos;
	return 0;
}

int proc_records_from_buf(const char *buf, size_t len, char sep, proc_record_fn fn, void *arg)
{
	char *copy;
	size_t fill = len;
	int ret;

	/* The records must be writable and NUL-terminated: work on a copy. */
	copy = malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	ret = drain(copy, &fill, sep, 1, fn, arg);
	free(copy);
	return ret;
}

int proc_records_from_fd(int fd, char sep, proc_record_fn fn, void *arg)
{
	/* Room for the longest record, its separator and the NUL put after it. */
	const size_t room = PROC_LINE_MAX + 1;
	char *buf = malloc(room + 1);
	size_t fill = 0;
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		/* A full buffer left undrained holds no separator. */
		if (fill == room) {
			pr_err("proc: record longer than %d bytes", PROC_LINE_MAX);
			ret = -EINVAL;
			break;
		}
		n = read(fd, buf + fill, room - fill);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			pr_perror("proc: read");
			break;
		}
		fill += n;
		ret = drain(buf, &fill, sep, n == 0, fn, arg);
		if (ret < 0 || n == 0)
			break;
	}
	free(buf);
	return ret;
}
