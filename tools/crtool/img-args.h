/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What decode and encode share: "-i IN -o OUT" where "-" (or no -o) means
 * stdin/stdout. Their -o is the output file, as in criu's image tool, so the
 * log file is given with --log-file only.
 */
#ifndef CRTOOL_IMG_ARGS_H
#define CRTOOL_IMG_ARGS_H

#include <stdbool.h>

struct img_args {
	const char *in, *out;
	bool pretty;
};

/*
 * Parse @argv into @a (--pretty only when @with_pretty). Returns -1 to go
 * on, else the exit code (after --help or an error, both printed).
 */
int img_args_parse(int argc, char **argv, struct img_args *a, bool with_pretty, const char *usage);

/* Open a's input (stdin for "-") and output (stdout for "-" or none; else
 * created with mode 0600). An fd, or -1 after logging why. */
int img_args_open_in(const struct img_args *a);
int img_args_open_out(const struct img_args *a);

#endif
