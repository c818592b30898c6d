/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Timing helpers every benchmark program shares (header only: the scripts build some with cc). */
#ifndef CRTOOL_BENCH_TIME_H
#define CRTOOL_BENCH_TIME_H

#include <stdlib.h>
#include <time.h>

/* Monotonic seconds. */
static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sort the @n samples of @v up and return their median. */
static inline double bench_sort_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

#endif
