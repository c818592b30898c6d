// SPDX-License-Identifier: LGPL-2.1-or-later
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "array.h"
#include "lib-log.h"
#include "proc-dir.h"
#include "proc-file.h"
#include "proc-parse.h"

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int proc_dir_numbers(pid_t pid, const char *dir, size_t max, int **out, size_t *nr)
{
	size_t cap = 0, n = 0;
	struct dirent *de;
	int *nums = NULL;
	int fd, ret = 0;
	DIR *d;

	fd = proc_open(pid, dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		char *s = de->d_name;
		int v;

		if (de->d_name[0] == '.')
			continue;
		if (proc_parse_int(&s, &v) || *s) {
			pr_err("/proc/%d/%s: '%s' is not a number", (int)pid, dir, de->d_name);
			ret = -EINVAL;
			break;
		}
		ret = array_grow((void **)&nums, &cap, n, sizeof(*nums), max);
		if (ret) {
			if (ret == -E2BIG)
				pr_err("/proc/%d/%s: more than %zu entries", (int)pid, dir, max);
			break;
		}
		nums[n++] = v;
	}
	closedir(d);
	if (ret) {
		free(nums);
		return ret;
	}
	qsort(nums, n, sizeof(*nums), cmp_int);
	*out = nums;
	*nr = n;
	return 0;
}
