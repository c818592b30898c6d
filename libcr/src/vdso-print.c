// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

#include "proc-maps.h"
#include "vdso-print.h"

struct vdso_walk {
	struct sha256 s;
	bool found;
};

static int hash_vdso(const struct proc_vma *v, void *arg)
{
	struct vdso_walk *w = arg;

	if (v->kind == PROC_VMA_VDSO) {
		sha256_update(&w->s, (const void *)(uintptr_t)v->start, v->end - v->start);
		w->found = true;
	}
	return 0;
}

int vdso_print(uint8_t out[SHA256_LEN])
{
	struct vdso_walk w = { .found = false };
	int ret;

	sha256_init(&w.s);
	ret = proc_smaps_read(getpid(), false, hash_vdso, &w);
	if (ret)
		return ret;
	if (!w.found)
		return -ENOENT;
	sha256_final(&w.s, out);
	return 0;
}
