/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Growing arrays with a hard cap, so that no input can make them huge. */
#ifndef CR_ARRAY_H
#define CR_ARRAY_H

#include <errno.h>
#include <stdlib.h>

/*
 * Make room in *@arr (elements of @size, *@cap allocated) for element @nr,
 * doubling. 0, -E2BIG when @nr reaches @max, or -ENOMEM.
 */
static inline int array_grow(void **arr, size_t *cap, size_t nr, size_t size, size_t max)
{
	size_t n;
	void *p;

	if (nr < *cap)
		return 0;
	if (nr >= max)
		return -E2BIG;
	n = *cap ? *cap * 2 : 16;
	if (n > max)
		n = max;
	p = realloc(*arr, n * size);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = n;
	return 0;
}

#endif
