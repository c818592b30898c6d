// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "proc-parse.h"

void proc_skip_blanks(char **s)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int proc_parse_u64(char **s, int base, uint64_t *v)
{
	uint64_t acc = 0;
	char *p = *s;
	int d;

	if (digit_value(*p) >= base)
		return -EINVAL;
	while ((d = digit_value(*p)) < base) {
		if (acc > (UINT64_MAX - d) / base)
			return -EINVAL;
		acc = acc * base + d;
		p++;
	}
	*v = acc;
	*s = p;
	return 0;
}

int proc_parse_s64(char **s, int64_t *v)
{
	char *p = *s;
	int neg = *p == '-';
	uint64_t u;

	p += neg;
	if (proc_parse_u64(&p, 10, &u))
		return -EINVAL;
	if (u > (uint64_t)INT64_MAX + neg)
		return -EINVAL;
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	*s = p;
	return 0;
}

int proc_parse_u32(char **s, int base, uint32_t *v)
{
	char *p = *s;
	uint64_t u;

	if (proc_parse_u64(&p, base, &u) || u > UINT32_MAX)
		return -EINVAL;
	*v = u;
	*s = p;
	return 0;
}

int proc_parse_int(char **s, int *v)
{
	char *p = *s;
	int64_t x;

	if (proc_parse_s64(&p, &x) || x < INT_MIN || x > INT_MAX)
		return -EINVAL;
	*v = x;
	*s = p;
	return 0;
}

int proc_next_u64(char **s, int base, uint64_t *v)
{
	proc_skip_blanks(s);
	return proc_parse_u64(s, base, v);
}

int proc_next_u32(char **s, int base, uint32_t *v)
{
	proc_skip_blanks(s);
	return proc_parse_u32(s, base, v);
}

int proc_next_int(char **s, int *v)
{
	proc_skip_blanks(s);
	return proc_parse_int(s, v);
}

int proc_expect(char **s, char c)
{
	if (**s != c)
		return -EINVAL;
	(*s)++;
	return 0;
}

int proc_expect_word(char **s, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(*s, word, n))
		return -EINVAL;
	*s += n;
	return 0;
}

int proc_expect_end(char *s)
{
	proc_skip_blanks(&s);
	return *s ? -EINVAL : 0;
}

char *proc_split_key(char *line)
{
	char *colon = strchr(line, ':');

	if (!colon)
		return NULL;
	*colon++ = '\0';
	proc_skip_blanks(&colon);
	return colon;
}
