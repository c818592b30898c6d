// SPDX-License-Identifier: LGPL-2.1-or-later
/* What /proc tells about a task before and while we hold it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int proc_status_read(pid_t pid, struct proc_status *st)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	memset(st, 0, sizeof(*st));
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "State:", 6))
			sscanf(line + 6, " %c", &st->state);
		else if (!strncmp(line, "Tgid:", 5))
			st->tgid = atoi(line + 5);
		else if (!strncmp(line, "TracerPid:", 10))
			st->tracer = atoi(line + 10);
		else if (!strncmp(line, "Seccomp:", 8))
			st->seccomp = atoi(line + 8);
		else if (!strncmp(line, "Kthread:", 8))
			st->kthread = atoi(line + 8);
	}
	fclose(f);
	return st->state ? 0 : -ESRCH;
}

int proc_vma_find(pid_t pid, const char *name, unsigned long *start, unsigned long *end)
{
	char path[64], line[512];
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *nl = strchr(line, '\n');
		size_t n = strlen(name);

		if (nl)
			*nl = '\0';
		if (strlen(line) < n || strcmp(line + strlen(line) - n, name))
			continue;
		if (sscanf(line, "%lx-%lx", start, end) == 2) {
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}
