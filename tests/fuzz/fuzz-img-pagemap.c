// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz the pagemap reader: the input is pagemap-1.img; its head names a
 * pages file, which exists with a few pages in it.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "img/img.h"

static struct img_dir *dir;
static char *buf;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char tmpl[] = "/tmp/fuzz-pagemap-XXXXXX", name[32];
	unsigned int id;
	int fd;

	if (!mkdtemp(tmpl))
		abort();
	dir = img_dir_open(tmpl, 0);
	buf = malloc(64 * IMG_PAGE_SIZE);
	if (!dir || !buf)
		abort();
	/* pages-1..4.img: 1 to 4 pages each. */
	for (id = 1; id <= 4; id++) {
		snprintf(name, sizeof(name), "pages-%u.img", id);
		fd = openat(img_dir_fd(dir), name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, id * IMG_PAGE_SIZE))
			abort();
		close(fd);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = openat(img_dir_fd(dir), "pagemap-1.img", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	struct img_page_run run;
	struct img_pagemap *pm;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	pm = img_pagemap_open(dir, 1);
	if (!pm)
		return 0;
	while (img_pagemap_next(pm, &run) > 0)
		if ((run.flags & IMG_PE_PRESENT) && run.nr_pages <= 64 &&
		    img_pagemap_read_run(pm, &run, buf))
			abort(); /* a run the reader accepted must be readable */
	img_pagemap_close(pm);
	return 0;
}
