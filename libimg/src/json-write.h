/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A streaming JSON writer producing Python json.dump()'s text: compact with
 * ", " and ": ", or pretty with an indent of 4; strings ASCII-only.
 */
#ifndef IMG_JSON_WRITE_H
#define IMG_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "bufio.h"

#define JW_MAX_DEPTH 64

struct jw {
	struct wbuf *out;
	bool pretty;
	bool after_key;
	bool too_deep;
	int depth;
	unsigned int count[JW_MAX_DEPTH];
};

void jw_init(struct jw *j, struct wbuf *out, bool pretty);
void jw_open(struct jw *j, char bracket);   /* '{' or '[' */
void jw_close(struct jw *j, char bracket);  /* '}' or ']' */
void jw_key(struct jw *j, const char *key);
void jw_string(struct jw *j, const char *s, size_t len);
/* A number, true, false or null, as text. */
void jw_literal(struct jw *j, const char *text);
/* A string written in pieces that are already escaped JSON text (base64). */
void jw_string_open(struct jw *j);
void jw_string_piece(struct jw *j, const char *s, size_t len);
void jw_string_close(struct jw *j);
/* 0, or the first error: a write failure or -E2BIG for too deep nesting. */
int jw_error(const struct jw *j);

#endif
