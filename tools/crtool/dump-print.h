/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The summaries of a whole dump that "crtool show DIR" and "crtool x DIR"
 * print on stdout. Each returns 0 or a negative errno (already logged).
 */
#ifndef CRTOOL_DUMP_PRINT_H
#define CRTOOL_DUMP_PRINT_H

#include <stdbool.h>

#include "dump.h"

/*
 * The process tree, one task a line, children indented under their parent;
 * @detailed adds the parent PID and the thread count.
 */
void dump_print_tree(const struct dump *d, bool detailed);

/* The header line of one task in the per-task summaries. */
void dump_print_task(const struct dump_task *t);

/* show DIR: the tree, then the number of images of each kind. */
int dump_print_summary(struct dump *d);

/* x DIR fds: each task's fds, cwd and root. */
int dump_print_fds(struct dump *d);

/* x DIR mems: each task's memory areas. x DIR rss: their dumped pages. */
int dump_print_mems(struct dump *d);
int dump_print_rss(struct dump *d);

/*
 * Open the dump in @path, run @print on it and return the exit code
 * (EXIT_FAIL also when stdout could not take the text).
 */
int cli_dump_run(const char *path, int (*print)(struct dump *d));

#endif
