// SPDX-License-Identifier: LGPL-2.1-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "collect.h"

int collect_vma(const struct proc_vma *vma, void *arg)
{
	struct vmas *c = arg;

	assert_true(c->nr < COLLECT_MAX_VMAS);
	c->v[c->nr] = *vma;
	snprintf(c->names[c->nr], sizeof(c->names[0]), "%s", vma->name);
	c->v[c->nr].name = c->names[c->nr];
	c->nr++;
	return 0;
}

int collect_entry(const struct proc_fdinfo_entry *e, void *arg)
{
	struct entries *c = arg;

	assert_true(c->nr < COLLECT_MAX_ENTRIES);
	c->e[c->nr++] = *e;
	return 0;
}
