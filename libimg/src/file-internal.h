/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the rest of libimg sees of an open image file. */
#ifndef IMG_FILE_INTERNAL_H
#define IMG_FILE_INTERNAL_H

#include "img/file.h"
#include "bufio.h"
#include "image-table.h"

struct img_file {
	int fd;
	char *name;
	const struct img_kind *kind;
	enum img_mode mode;
	unsigned long nr_entries; /* entries read or written so far */
	struct rbuf r;
	struct wbuf w;
};

/* Up to @len payload bytes: fewer only at the end. Count or -errno. */
ssize_t img_file_read_some(struct img_file *f, void *buf, size_t len);

/* Bytes left to read when the file's size is known, else UINT64_MAX. */
uint64_t img_file_left(const struct img_file *f);

#endif
