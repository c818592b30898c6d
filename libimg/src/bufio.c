// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bufio.h"

int rbuf_init(struct rbuf *r, int fd)
{
	struct stat st;
	off_t cur;

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->buf = malloc(BUFIO_SIZE);
	if (!r->buf)
		return -ENOMEM;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		cur = lseek(fd, 0, SEEK_CUR);
		if (cur >= 0) {
			r->off = cur;
			r->size = st.st_size;
			r->size_known = true;
		}
	}
	return 0;
}

void rbuf_fini(struct rbuf *r)
{
	free(r->buf);
	r->buf = NULL;
}

static ssize_t read_retry(int fd, void *dst, size_t n)
{
	ssize_t ret;

	do
		ret = read(fd, dst, n);
	while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : ret;
}

ssize_t rbuf_read(struct rbuf *r, void *dst, size_t n)
{
	char *out = dst;
	size_t done = 0;
	ssize_t got;

	while (done < n) {
		if (r->pos == r->len) {
			/* Large reads skip the buffer. */
			if (n - done >= BUFIO_SIZE) {
				got = read_retry(r->fd, out + done, n - done);
				if (got < 0)
					return got;
				if (got == 0)
					break;
				done += got;
				r->off += got;
				continue;
			}
			got = read_retry(r->fd, r->buf, BUFIO_SIZE);
			if (got < 0)
				return got;
			if (got == 0)
				break;
			r->pos = 0;
			r->len = got;
		}
		got = r->len - r->pos;
		if ((size_t)got > n - done)
			got = n - done;
		memcpy(out + done, r->buf + r->pos, got);
		r->pos += got;
		r->off += got;
		done += got;
	}
	return done;
}

uint64_t rbuf_left(const struct rbuf *r)
{
	if (!r->size_known)
		return UINT64_MAX;
	return r->size > r->off ? r->size - r->off : 0;
}

int wbuf_init(struct wbuf *w, int fd)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->buf = malloc(BUFIO_SIZE);
	return w->buf ? 0 : -ENOMEM;
}

int write_all(int fd, const void *src, size_t n)
{
	const char *p = src;
	ssize_t ret;

	while (n) {
		ret = write(fd, p, n);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += ret;
		n -= ret;
	}
	return 0;
}

int wbuf_flush(struct wbuf *w)
{
	int ret;

	if (w->err || !w->len)
		return w->err;
	ret = write_all(w->fd, w->buf, w->len);
	w->len = 0;
	if (ret)
		w->err = ret;
	return ret;
}

int wbuf_write(struct wbuf *w, const void *src, size_t n)
{
	if (w->err)
		return w->err;
	w->off += n;
	if (w->len + n > BUFIO_SIZE) {
		if (wbuf_flush(w))
			return w->err;
		if (n >= BUFIO_SIZE) {
			w->err = write_all(w->fd, src, n);
			return w->err;
		}
	}
	memcpy(w->buf + w->len, src, n);
	w->len += n;
	return 0;
}

int wbuf_fini(struct wbuf *w)
{
	int ret = 0;

	if (w->buf)
		ret = wbuf_flush(w);
	free(w->buf);
	w->buf = NULL;
	return ret;
}

int read_to_end(int fd, size_t max, char **data, size_t *len)
{
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap + 1), *bigger;
	ssize_t got;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap >= max) {
				free(buf);
				return -EFBIG;
			}
			cap = cap * 2 > max ? max : cap * 2;
			bigger = realloc(buf, cap + 1);
			if (!bigger) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
		}
		got = read_retry(fd, buf + n, cap - n);
		if (got < 0) {
			free(buf);
			return got;
		}
		if (got == 0)
			break;
		n += got;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}
