// SPDX-License-Identifier: LGPL-2.1-or-later
/* The parasite runtime: memory helpers and the command loop. */
#include "compel-pie.h"
#include "compel-pie-ctl.h"

PIE_HIDDEN void pie_wait(void);
PIE_HIDDEN void pie_main(struct pie_ctl *ctl) __attribute__((noreturn));

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Serve commands for ever: the caller ends us by taking the thread back. */
void pie_main(struct pie_ctl *ctl)
{
	for (;;) {
		pie_wait();
		ctl->ret = pie_handle(ctl->cmd, ctl->data, ctl->len, ctl->room);
	}
}
