/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `crtool restore --check-only` prints of libcr's findings: one line
 * each as they come, or (--json) one JSON object at the end.
 */
#ifndef CRTOOL_FINDINGS_H
#define CRTOOL_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "cr/cr.h"

struct findings {
	bool json;
	char **entries; /* JSON: each finding as an object */
	size_t nr;
};

/* A cr_finding_fn: @arg is the struct findings. */
void findings_add(const struct cr_finding *f, void *arg);

/*
 * The end of a check: @error is NULL when it passed, else why it failed.
 * JSON: print every finding, the verdict and @error. Frees the findings.
 */
void findings_end(struct findings *fs, const char *error);

#endif
