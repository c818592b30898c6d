/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Many small allocations freed at once: a parsed JSON tree, a built entry. */
#ifndef IMG_ARENA_H
#define IMG_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *chunks;
};

/* Zeroed memory that lives until arena_free(); NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
void arena_free(struct arena *a);

#endif
