/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers shared by libimg's unit tests. */
#ifndef IMG_TEST_H
#define IMG_TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* Every fixture image with a JSON reference: "fdzoo/core-23897.img", ... */
extern const char *fixture_names[];
extern size_t nr_fixtures;
void fixtures_scan(void);

/* Whole file into a malloc'ed buffer (fails the test on error). */
char *slurp(const char *path, size_t *len);
char *fixture_path(const char *name);

/* A memfd holding @len bytes, offset 0. */
int memfd_with(const void *data, size_t len);
/* The whole content of fd @fd (from offset 0). */
char *fd_content(int fd, size_t *len);

/* The log of libimg since the last log_reset(). */
void log_capture(void);
void log_reset(void);
const char *log_text(void);

/* A fresh folder under /tmp, removed (with its files) by rm_tree(). */
char *make_tmpdir(void);
void rm_tree(const char *path);

#endif
