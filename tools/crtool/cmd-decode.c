// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>
#include <unistd.h>

#include "img/img.h"

#include "cli.h"
#include "img-args.h"
#include "log.h"

static const char usage[] =
	"Usage: crtool decode -i IMAGE [-o JSON] [--pretty]\n"
	"Turn an image file into JSON (criu's image tool format).\n"
	"  -i, --input FILE    the image; - for stdin\n"
	"  -o, --output FILE   where the JSON goes; stdout by default or with -\n"
	"      --pretty        indent, and write addresses, flags and devices as text\n"
	"      --log-file FILE the log (decode's -o is its output)\n";

int cmd_decode(int argc, char **argv)
{
	struct img_args a = { 0 };
	int ret = img_args_parse(argc, argv, &a, true, usage), in, out;

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
	ret = img_json_decode(in, a.in, out, a.pretty ? IMG_JSON_PRETTY : 0);
	if (!ret && out == STDOUT_FILENO)
		ret = write(out, "\n", 1) == 1 ? 0 : -1;
	if (in != STDIN_FILENO)
		close(in);
	if (out != STDOUT_FILENO && close(out) && !ret)
		ret = -1;
	if (ret) {
		pr_err("cannot decode %s", a.in);
		if (out != STDOUT_FILENO)
			unlink(a.out);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
