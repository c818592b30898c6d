// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "img/img.h"

#include "cli.h"
#include "dump-print.h"
#include "log.h"

static const char usage[] =
	"Usage: crtool show IMAGE | DIR\n"
	"Print one image file (- for stdin) as pretty JSON, like criu's image tool's show;\n"
	"for a dump's folder, its process tree and how many images of each kind it has.\n";

int cmd_show(int argc, char **argv)
{
	struct stat st;
	int ret, fd;

	ret = cli_simple_command(argc, argv, usage, 1);
	if (ret >= 0)
		return ret;
	if (!stat(argv[optind], &st) && S_ISDIR(st.st_mode))
		return cli_dump_run(argv[optind], dump_print_summary);
	fd = strcmp(argv[optind], "-") ? open(argv[optind], O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if (fd < 0) {
		pr_err("cannot open %s: %s", argv[optind], strerror(errno));
		return EXIT_FAIL;
	}
	ret = img_json_decode(fd, argv[optind], STDOUT_FILENO, IMG_JSON_PRETTY);
	if (fd != STDIN_FILENO)
		close(fd);
	if (ret) {
		pr_err("cannot show %s", argv[optind]);
		return EXIT_FAIL;
	}
	pr_msg("\n");
	return EXIT_OK;
}
