/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Buffered reading and writing on a file descriptor, keeping the offset so
 * that errors can say where in the file they happened.
 */
#ifndef IMG_BUFIO_H
#define IMG_BUFIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BUFIO_SIZE (64 * 1024)

struct rbuf {
	int fd;
	uint64_t off;       /* file offset of the next byte handed out */
	uint64_t size;      /* file size when known (regular file) */
	bool size_known;
	char *buf;
	size_t pos, len;
};

/* 0 or -errno. Reading starts at the fd's current offset. */
int rbuf_init(struct rbuf *r, int fd);
void rbuf_fini(struct rbuf *r);

/* Up to @n bytes: fewer only at the end of the file. Count or -errno. */
ssize_t rbuf_read(struct rbuf *r, void *dst, size_t n);

/* Bytes left when the size is known, else UINT64_MAX. */
uint64_t rbuf_left(const struct rbuf *r);

struct wbuf {
	int fd;
	uint64_t off;       /* bytes written so far, buffered ones included */
	int err;            /* first error, sticky */
	char *buf;
	size_t len;
};

int wbuf_init(struct wbuf *w, int fd);
/* Flushes; returns the first error seen (0 or -errno) and frees the buffer. */
int wbuf_fini(struct wbuf *w);
int wbuf_write(struct wbuf *w, const void *src, size_t n);
int wbuf_flush(struct wbuf *w);

/* Whole-fd helpers: write all of @n bytes; read until EOF (at most @max). */
int write_all(int fd, const void *src, size_t n);
int read_to_end(int fd, size_t max, char **data, size_t *len);

#endif
