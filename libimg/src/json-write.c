// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "json-write.h"

static void put(struct jw *j, const char *s, size_t len)
{
	wbuf_write(j->out, s, len);
}

static void puts_(struct jw *j, const char *s)
{
	put(j, s, strlen(s));
}

static void newline(struct jw *j, int depth)
{
	static const char spaces[] = "                                ";
	int n = depth * 4;

	put(j, "\n", 1);
	for (; n > 0; n -= 32)
		put(j, spaces, n > 32 ? 32 : n);
}

/* What goes before a value or a key inside the current container. */
static void separate(struct jw *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->depth)
		return;
	if (j->count[j->depth - 1]++)
		put(j, j->pretty ? "," : ", ", j->pretty ? 1 : 2);
	if (j->pretty)
		newline(j, j->depth);
}

void jw_init(struct jw *j, struct wbuf *out, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
}

void jw_open(struct jw *j, char bracket)
{
	separate(j);
	put(j, &bracket, 1);
	if (j->depth == JW_MAX_DEPTH) {
		j->too_deep = true;
		return;
	}
	j->count[j->depth++] = 0;
}

void jw_close(struct jw *j, char bracket)
{
	if (!j->depth)
		return;
	if (j->count[--j->depth] && j->pretty)
		newline(j, j->depth);
	put(j, &bracket, 1);
}

static void put_escaped(struct jw *j, const char *str, size_t len);

void jw_key(struct jw *j, const char *key)
{
	separate(j);
	put_escaped(j, key, strlen(key));
	put(j, ": ", 2);
	j->after_key = true;
}

void jw_literal(struct jw *j, const char *text)
{
	separate(j);
	puts_(j, text);
}

/* Length of the UTF-8 sequence at @s and its code point; 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] < 0xe0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] < 0xf0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] < 0xf5) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c < 0xe000))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return n;
}

static void put_u16(struct jw *j, unsigned int v)
{
	static const char hex[] = "0123456789abcdef";
	char buf[6] = { '\\', 'u', hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15] };

	put(j, buf, 6);
}

/*
 * Non-ASCII text becomes \uXXXX escapes. A byte that is not valid UTF-8
 * becomes the lone surrogate \udcXX, which the parser turns back into that
 * byte, so any string survives a round trip.
 */
static void put_escaped(struct jw *j, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start, n;
	uint32_t cp;

	put(j, "\"", 1);
	while (i < len) {
		start = i;
		while (i < len && s[i] >= 0x20 && s[i] < 0x80 && s[i] != '"' && s[i] != '\\')
			i++;
		put(j, str + start, i - start);
		if (i == len)
			break;
		switch (s[i]) {
		case '"': put(j, "\\\"", 2); i++; continue;
		case '\\': put(j, "\\\\", 2); i++; continue;
		case '\n': put(j, "\\n", 2); i++; continue;
		case '\r': put(j, "\\r", 2); i++; continue;
		case '\t': put(j, "\\t", 2); i++; continue;
		case '\b': put(j, "\\b", 2); i++; continue;
		case '\f': put(j, "\\f", 2); i++; continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (!n) {
			put_u16(j, 0xdc00 | s[i]);
			i++;
			continue;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			put_u16(j, 0xd800 | cp >> 10);
			put_u16(j, 0xdc00 | (cp & 0x3ff));
		} else {
			put_u16(j, cp);
		}
		i += n;
	}
	put(j, "\"", 1);
}

void jw_string(struct jw *j, const char *str, size_t len)
{
	separate(j);
	put_escaped(j, str, len);
}

void jw_string_open(struct jw *j)
{
	separate(j);
	put(j, "\"", 1);
}

void jw_string_piece(struct jw *j, const char *s, size_t len)
{
	put(j, s, len);
}

void jw_string_close(struct jw *j)
{
	put(j, "\"", 1);
}

int jw_error(const struct jw *j)
{
	if (j->out->err)
		return j->out->err;
	return j->too_deep ? -E2BIG : 0;
}
