// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <unistd.h>

#include "img/img.h"

#include "cli.h"
#include "img-args.h"

static const char usage[] =
	"Usage: crtool decode -i IMAGE [-o JSON] [--pretty]\n"
	"Turn an image file into JSON (criu's image tool format).\n"
	"  -i, --input FILE    the image; - for stdin\n"
	"  -o, --output FILE   where the JSON goes; stdout by default or with -\n"
	"      --pretty        indent, and write addresses, flags and devices as text\n"
	"      --log-file FILE the log (decode's -o is its output)\n";

static int decode(int in, const char *in_name, int out, const struct img_args *a)
{
	int ret = img_json_decode(in, in_name, out, a->pretty ? IMG_JSON_PRETTY : 0);

	/* On a terminal or a pipe, end the text with a newline. */
	if (!ret && out == STDOUT_FILENO && write(out, "\n", 1) != 1)
		ret = -errno;
	return ret;
}

int cmd_decode(int argc, char **argv)
{
	return img_args_convert(argc, argv, usage, true, decode);
}
