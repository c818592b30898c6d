/* SPDX-License-Identifier: GPL-2.0-or-later */
/* How `crtool check` prints what libcheck found: as text or as JSON. */
#ifndef CRTOOL_CHECK_REPORT_H
#define CRTOOL_CHECK_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "check/check.h"

/* criu's words, which scripts look for. */
#define CHECK_GOOD "Looks good."
#define CHECK_BAD "Does not look good."
#define CHECK_MAYBE                                                                \
	"Looks good but some kernel features are missing\n"                        \
	"which, depending on your process tree, may cause\n"                       \
	"dump or restore failure."

/* @s as a JSON string, quotes included, into @dst; truncates. */
const char *json_string(char *dst, size_t size, const char *s);

struct check_report {
	bool json;
	/*
	 * JSON: the last entry, held back until we know whether a comma
	 * follows it, so that every pr_msg() call prints whole lines.
	 */
	char pending[1024];
};

/* Start and end a report over @categories (CHECK_CAT_BIT set). */
void check_report_begin(struct check_report *rep, struct check_ctx *ctx, unsigned int categories);
void check_report_end(struct check_report *rep, enum check_verdict verdict);

/* A check_report_fn for check_run(): @arg is the struct check_report. */
void check_report_probe(struct check_ctx *ctx, const struct check_probe *probe,
			enum check_result result, void *arg);

/* The names of every probe, on one line (JSON: with category and description). */
void check_report_list(struct check_ctx *ctx, bool json);

#endif
