/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Splitting /proc text into records (lines, or words for the children
 * files) with a bounded buffer. Every record handed to a callback is
 * NUL-terminated and writable; a record longer than PROC_LINE_MAX or one
 * holding a NUL byte is an error (-EINVAL), never a truncation.
 */
#ifndef CR_PROC_LINES_H
#define CR_PROC_LINES_H

#include <stddef.h>

/*
 * The longest record accepted: a maps line whose path (PATH_MAX) is made of
 * newlines, each escaped by the kernel as four characters, plus the columns.
 */
#define PROC_LINE_MAX (4 * 4096 + 512)

/* Called once per record; a negative return stops the walk and is returned. */
typedef int (*proc_record_fn)(char *rec, size_t len, void *arg);

/* Records of @buf (@len bytes) separated by @sep; the last may lack it. */
int proc_records_from_buf(const char *buf, size_t len, char sep, proc_record_fn fn, void *arg);

/* The same, read from @fd until end of file. */
int proc_records_from_fd(int fd, char sep, proc_record_fn fn, void *arg);

#endif
