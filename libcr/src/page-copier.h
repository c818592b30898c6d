/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Restored pages put in place with one copy and no zeroing: the fresh
 * private areas are registered with a userfaultfd (user-mode faults only,
 * which needs no privilege), the pages file is mapped read-only, and
 * UFFDIO_COPY fills each missing page straight from the page cache. A read()
 * into the areas instead zeroes every page as it faults it in, then copies.
 */
#ifndef CR_PAGE_COPIER_H
#define CR_PAGE_COPIER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct page_copier {
	int uffd;
	const uint8_t *src;	/* the pages file, mapped */
	size_t src_len;
};

/*
 * Map the pages file @pages_fd and open the userfaultfd. 0, or a negative
 * errno (no userfaultfd here, an empty file...): then read() the pages.
 */
int page_copier_open(struct page_copier *pc, int pages_fd);

/* Take the fresh private area [@addr, @addr + @len) (nothing in it yet). */
int page_copier_register(struct page_copier *pc, uint64_t addr, size_t len);

/* Fill [@dst, @dst + @len) of a registered area with the bytes at @off of the file. */
int page_copier_copy(struct page_copier *pc, uint64_t dst, uint64_t off, size_t len);

/* Let go of the areas and the file (@pc may have failed to open). */
void page_copier_close(struct page_copier *pc);

#endif
