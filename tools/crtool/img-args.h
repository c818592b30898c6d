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

/* Turns what is on @in into what goes to @out: 0 or a negative errno. */
typedef int (*img_convert_fn)(int in, const char *in_name, int out, const struct img_args *a);

/*
 * The whole of decode or encode: parse @argv (--pretty only when
 * @with_pretty; @usage for --help and errors), open the input (stdin for
 * "-") and the output (stdout for "-" or none, else created with mode 0600),
 * run @convert, and remove a half-written output file on failure. Returns
 * the exit code.
 */
int img_args_convert(int argc, char **argv, const char *usage, bool with_pretty,
		     img_convert_fn convert);

#endif
