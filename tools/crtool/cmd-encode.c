// SPDX-License-Identifier: GPL-2.0-or-later
#include <unistd.h>

#include "img/img.h"

#include "cli.h"
#include "img-args.h"
#include "log.h"

static const char usage[] =
	"Usage: crtool encode -i JSON -o IMAGE\n"
	"Turn JSON (as crtool decode or criu's image tool writes it) back into an image.\n"
	"  -i, --input FILE    the JSON; - for stdin\n"
	"  -o, --output FILE   the image (mode 0600); stdout with -\n"
	"      --log-file FILE the log (encode's -o is its output)\n";

int cmd_encode(int argc, char **argv)
{
	struct img_args a = { 0 };
	int ret = img_args_parse(argc, argv, &a, false, usage), in, out;

	if (ret >= 0)
		return ret;
	in = img_args_open_in(&a);
	if (in < 0)
		return EXIT_FAIL;
	out = img_args_open_out(&a);
	if (out < 0) {
		close(in);
		return EXIT_FAIL;
	}
	ret = img_json_encode(in, a.in, out);
	if (in != STDIN_FILENO)
		close(in);
	if (out != STDOUT_FILENO && close(out) && !ret)
		ret = -1;
	if (ret) {
		pr_err("cannot encode %s", a.in);
		if (out != STDOUT_FILENO)
			unlink(a.out);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
