/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fault injection for tests: built with -Dfault_injection=true, a step
 * named in the environment variable CRTOOL_FAULT fails with -EIO, so the
 * tests can check that a dump or restore failing there harms nothing.
 */
#ifndef CR_FAULT_H
#define CR_FAULT_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib-log.h"

static inline int cr_fault(const char *step)
{
#ifdef CR_FAULT_INJECTION
	const char *want = getenv("CRTOOL_FAULT");

	if (want && !strcmp(want, step)) {
		pr_err("injected failure at step %s", step);
		return -EIO;
	}
#endif
	(void)step;
	return 0;
}

#endif
