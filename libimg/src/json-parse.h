/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A small JSON parser building a tree in an arena; keys keep their order. */
#ifndef IMG_JSON_PARSE_H
#define IMG_JSON_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jnode {
	enum jtype type;
	const char *key;        /* member name inside an object */
	struct jnode *next;     /* next element or member */
	bool b;
	const char *s;          /* J_STR: decoded text (NUL-terminated); J_NUM: the text */
	size_t len;             /* of s */
	struct jnode *first;    /* J_ARR, J_OBJ */
	size_t n;               /* number of elements or members */
};

/*
 * Parse @len bytes of @text into a tree allocated in @a. NULL on a syntax
 * error, logged with @name and the offset.
 */
struct jnode *json_parse(struct arena *a, const char *text, size_t len, const char *name);

/* The member @key of object @obj, or NULL. */
struct jnode *json_get(const struct jnode *obj, const char *key);

/* Integer value of a J_NUM: 0, or -ERANGE/-EINVAL. */
int json_int(const struct jnode *n, int64_t *v);
int json_uint(const struct jnode *n, uint64_t *v);

/* Deep equality, members compared in order. */
bool json_equal(const struct jnode *a, const struct jnode *b);

#endif
