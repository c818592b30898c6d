/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Strict scanning of the numbers and words of /proc text. Each helper takes
 * a cursor (char **), advances it past what it consumed, and returns 0 or
 * -EINVAL: no digits, a sign where none is allowed, overflow.
 */
#ifndef CR_PROC_PARSE_H
#define CR_PROC_PARSE_H

#include <stdint.h>

/* Skip spaces and tabs. */
void proc_skip_blanks(char **s);

/* An unsigned number in @base (10, 16 or 8) without sign or prefix. */
int proc_parse_u64(char **s, int base, uint64_t *v);

/* A decimal number with an optional leading '-'. */
int proc_parse_s64(char **s, int64_t *v);

/* Bounded variants: -EINVAL when the value does not fit. */
int proc_parse_u32(char **s, int base, uint32_t *v);
int proc_parse_int(char **s, int *v);

/* Blanks, then a number: the usual shape of a column or a "key: value". */
int proc_next_u64(char **s, int base, uint64_t *v);
int proc_next_u32(char **s, int base, uint32_t *v);
int proc_next_int(char **s, int *v);

/* Consume the character @c or fail. */
int proc_expect(char **s, char c);

/* Consume the literal @word or fail. */
int proc_expect_word(char **s, const char *word);

/* Only blanks are left. */
int proc_expect_end(char *s);

/*
 * Split "Key:<blanks>value": NUL-terminate the key in @line and return the
 * value with its leading blanks skipped, or NULL when there is no ':'.
 */
char *proc_split_key(char *line);

#endif
