// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for libcr's /proc readers. The first byte picks the
 * parser, the rest is the file's text: a kernel we do not know, or a task
 * that names itself ") (", must never crash dump.
 */
#include <stddef.h>
#include <stdint.h>

#include "proc-auxv.h"
#include "proc-fdinfo.h"
#include "proc-limits.h"
#include "proc-maps.h"
#include "proc-mountinfo.h"
#include "proc-stat.h"
#include "proc-status.h"
#include "pstree.h"

static int on_vma(const struct proc_vma *vma, void *arg)
{
	return 0;
}

static int on_mount(const struct proc_mount *m, void *arg)
{
	return 0;
}

static int on_fdinfo_entry(const struct proc_fdinfo_entry *e, void *arg)
{
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	struct proc_status status;
	struct proc_limits limits;
	struct proc_fdinfo fdinfo;
	struct proc_auxv auxv;
	struct proc_stat stat;
	pid_t pids[64];

	if (size < 1)
		return 0;
	size--;
	switch (data[0] % 8) {
	case 0:
		proc_smaps_parse(text, size, on_vma, NULL);
		break;
	case 1:
		proc_stat_parse(text, size, &stat);
		break;
	case 2:
		proc_status_parse(text, size, &status);
		break;
	case 3:
		proc_limits_parse(text, size, &limits);
		break;
	case 4:
		proc_auxv_parse(text, size, &auxv);
		break;
	case 5:
		proc_mountinfo_parse(text, size, on_mount, NULL);
		break;
	case 6:
		proc_fdinfo_parse(text, size, &fdinfo, on_fdinfo_entry, NULL);
		break;
	case 7:
		pstree_children_parse(text, size, pids, 64);
		break;
	}
	return 0;
}
