// SPDX-License-Identifier: LGPL-2.1-or-later
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "lib-log.h"
#include "proc-auxv.h"
#include "proc-file.h"

int proc_auxv_parse(const void *buf, size_t len, struct proc_auxv *a)
{
	const char *p = buf;
	size_t i;

	memset(a, 0, sizeof(*a));
	if (len % 16) {
		pr_err("auxv: %zu bytes is not a whole number of pairs", len);
		return -EINVAL;
	}
	for (i = 0; i < len / 16; i++) {
		if (i == PROC_AUXV_MAX) {
			pr_err("auxv: more than %d entries", PROC_AUXV_MAX);
			return -EINVAL;
		}
		memcpy(&a->type[i], p + 16 * i, 8);
		memcpy(&a->val[i], p + 16 * i + 8, 8);
		if (a->type[i] == AT_NULL) {
			a->nr = i + 1;
			return 0;
		}
	}
	pr_err("auxv: no AT_NULL entry");
	return -EINVAL;
}

int proc_auxv_read(pid_t pid, struct proc_auxv *a)
{
	uint64_t buf[2 * PROC_AUXV_MAX];
	long len;

	len = proc_read_all(pid, "auxv", buf, sizeof(buf));
	if (len < 0)
		return len;
	return proc_auxv_parse(buf, len, a);
}

int proc_auxv_get(const struct proc_auxv *a, uint64_t type, uint64_t *val)
{
	size_t i;

	for (i = 0; i < a->nr; i++) {
		if (a->type[i] == type) {
			*val = a->val[i];
			return 0;
		}
	}
	return -ENOENT;
}
