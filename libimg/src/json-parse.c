// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json-parse.h"
#include "lib-log.h"

#define JSON_MAX_DEPTH 256

struct parser {
	struct arena *a;
	const char *p, *start, *end;
	const char *name;
	int depth;
	bool failed;
};

static void *fail(struct parser *ps, const char *what)
{
	if (!ps->failed)
		pr_err("%s: bad JSON at offset %zu: %s", ps->name, (size_t)(ps->p - ps->start),
		       what);
	ps->failed = true;
	return NULL;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int hex4(const char *s, unsigned int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return -1;
	}
	return 0;
}

static size_t put_utf8(char *out, unsigned int cp)
{
	if (cp < 0x80) {
		out[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | (cp >> 6 & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	out[0] = 0xf0 | cp >> 18;
	out[1] = 0x80 | (cp >> 12 & 0x3f);
	out[2] = 0x80 | (cp >> 6 & 0x3f);
	out[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* A \uXXXX escape (and its low surrogate) at ps->p, just past the 'u'. */
static int unicode_escape(struct parser *ps, char *out, size_t *o)
{
	unsigned int cp, lo;

	if (ps->end - ps->p < 4 || hex4(ps->p, &cp))
		return -1;
	ps->p += 4;
	if (cp >= 0xd800 && cp < 0xdc00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
	    ps->p[1] == 'u' && !hex4(ps->p + 2, &lo) && lo >= 0xdc00 && lo < 0xe000) {
		ps->p += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else if (cp >= 0xdc80 && cp < 0xdd00) {
		/* A lone surrogate standing for a byte that was not UTF-8. */
		out[(*o)++] = cp & 0xff;
		return 0;
	}
	*o += put_utf8(out + *o, cp);
	return 0;
}

static struct jnode *parse_string(struct parser *ps, struct jnode *n)
{
	const char *q = ++ps->p;
	size_t o = 0;
	char *out;

	while (q < ps->end && *q != '"')
		q += *q == '\\' ? 2 : 1;
	if (q >= ps->end)
		return fail(ps, "string without its closing quote");
	/* Decoded text is never longer than its escaped form. */
	out = arena_alloc(ps->a, q - ps->p + 1);
	if (!out)
		return fail(ps, "out of memory");
	while (*ps->p != '"') {
		char c = *ps->p++;

		if ((unsigned char)c < 0x20)
			return fail(ps, "control character in a string");
		if (c != '\\') {
			out[o++] = c;
			continue;
		}
		c = *ps->p++;
		switch (c) {
		case '"': case '\\': case '/': out[o++] = c; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'u':
			if (unicode_escape(ps, out, &o))
				return fail(ps, "bad \\u escape");
			break;
		default:
			return fail(ps, "bad escape in a string");
		}
	}
	ps->p++;
	out[o] = '\0';
	n->type = J_STR;
	n->s = out;
	n->len = o;
	return n;
}

static struct jnode *parse_number(struct parser *ps, struct jnode *n)
{
	const char *s = ps->p;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
		return fail(ps, "unexpected character");
	while (ps->p < ps->end && *ps->p && strchr("0123456789.eE+-", *ps->p))
		ps->p++;
	n->type = J_NUM;
	n->len = ps->p - s;
	n->s = arena_alloc(ps->a, n->len + 1);
	if (!n->s)
		return fail(ps, "out of memory");
	memcpy((char *)n->s, s, n->len);
	return n;
}

static struct jnode *parse_value(struct parser *ps);

/* Elements of an array or members of an object, after the bracket. */
static struct jnode *parse_container(struct parser *ps, struct jnode *n, bool obj)
{
	struct jnode **tail = &n->first, *kid;
	char close = obj ? '}' : ']';
	struct jnode key;

	n->type = obj ? J_OBJ : J_ARR;
	if (++ps->depth > JSON_MAX_DEPTH)
		return fail(ps, "nested too deep");
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return n;
	}
	for (;;) {
		skip_ws(ps);
		if (obj) {
			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, "expected a member name");
			if (!parse_string(ps, &key))
				return NULL;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return fail(ps, "expected ':'");
			ps->p++;
		}
		kid = parse_value(ps);
		if (!kid)
			return NULL;
		if (obj)
			kid->key = key.s;
		*tail = kid;
		tail = &kid->next;
		n->n++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return n;
		}
		return fail(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static bool literal(struct parser *ps, const char *word)
{
	size_t len = strlen(word);

	if ((size_t)(ps->end - ps->p) < len || memcmp(ps->p, word, len))
		return false;
	ps->p += len;
	return true;
}

static struct jnode *parse_value(struct parser *ps)
{
	struct jnode *n;

	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end");
	n = arena_alloc(ps->a, sizeof(*n));
	if (!n)
		return fail(ps, "out of memory");
	switch (*ps->p) {
	case '{':
		return parse_container(ps, n, true);
	case '[':
		return parse_container(ps, n, false);
	case '"':
		return parse_string(ps, n);
	}
	if (literal(ps, "true")) {
		n->type = J_BOOL;
		n->b = true;
	} else if (literal(ps, "false")) {
		n->type = J_BOOL;
	} else if (literal(ps, "null")) {
		n->type = J_NULL;
	} else {
		return parse_number(ps, n);
	}
	return n;
}

struct jnode *json_parse(struct arena *a, const char *text, size_t len, const char *name)
{
	struct parser ps = { .a = a, .p = text, .start = text, .end = text + len, .name = name };
	struct jnode *root = parse_value(&ps);

	if (!root)
		return NULL;
	skip_ws(&ps);
	if (ps.p != ps.end)
		return fail(&ps, "text after the end of the JSON value");
	return root;
}

struct jnode *json_get(const struct jnode *obj, const char *key)
{
	struct jnode *n;

	if (!obj || obj->type != J_OBJ)
		return NULL;
	for (n = obj->first; n; n = n->next)
		if (!strcmp(n->key, key))
			return n;
	return NULL;
}

static bool plain_integer(const struct jnode *n)
{
	return n->type == J_NUM && !strpbrk(n->s, ".eE");
}

int json_int(const struct jnode *n, int64_t *v)
{
	char *end;

	if (!plain_integer(n))
		return -EINVAL;
	errno = 0;
	*v = strtoll(n->s, &end, 10);
	if (errno || *end)
		return -ERANGE;
	return 0;
}

int json_uint(const struct jnode *n, uint64_t *v)
{
	char *end;

	if (!plain_integer(n) || n->s[0] == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoull(n->s, &end, 10);
	if (errno || *end)
		return -ERANGE;
	return 0;
}

bool json_equal(const struct jnode *a, const struct jnode *b)
{
	const struct jnode *x, *y;

	if (a->type != b->type)
		return false;
	switch (a->type) {
	case J_NULL:
		return true;
	case J_BOOL:
		return a->b == b->b;
	case J_NUM:
	case J_STR:
		return a->len == b->len && !memcmp(a->s, b->s, a->len);
	default:
		if (a->n != b->n)
			return false;
		for (x = a->first, y = b->first; x; x = x->next, y = y->next)
			if ((a->type == J_OBJ && strcmp(x->key, y->key)) || !json_equal(x, y))
				return false;
		return true;
	}
}
