// SPDX-License-Identifier: GPL-2.0-or-later
#include "img/img.h"

#include "cli.h"
#include "img-args.h"

static const char usage[] =
	"Usage: crtool encode -i JSON -o IMAGE\n"
	"Turn JSON (as crtool decode or criu's image tool writes it) back into an image.\n"
	"  -i, --input FILE    the JSON; - for stdin\n"
	"  -o, --output FILE   the image (mode 0600); stdout with -\n"
	"      --log-file FILE the log (encode's -o is its output)\n";

static int encode(int in, const char *in_name, int out, const struct img_args *a)
{
	return img_json_encode(in, in_name, out);
}

int cmd_encode(int argc, char **argv)
{
	return img_args_convert(argc, argv, usage, false, encode);
}
