// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inherit-fd.h"

bool inherit_fd_parse(const char *arg, struct cr_inherit_fd *in)
{
	char *end = NULL;
	long n = -1;

	errno = 0;
	if (!strncmp(arg, "fd[", 3) && isdigit((unsigned char)arg[3]))
		n = strtol(arg + 3, &end, 10);
	if (n < 0 || errno || n > INT_MAX || end[0] != ']' || end[1] != ':' || !end[2]) {
		fprintf(stderr,
			"crtool: --inherit-fd %s: expected fd[N]:ID, N a descriptor number "
			"and ID what the file was, as pipe:[1234] or /tmp/log\n",
			arg);
		return false;
	}
	if (fcntl(n, F_GETFD) < 0) {
		fprintf(stderr, "crtool: --inherit-fd %s: fd %ld is not open in crtool\n", arg, n);
		return false;
	}
	in->fd = n;
	in->key = end + 2;
	return true;
}
