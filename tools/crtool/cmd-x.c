// SPDX-License-Identifier: GPL-2.0-or-later
/* crtool x DIR ps|fds|mems|rss: summaries of a whole dump, as criu's image tool's x. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dump-print.h"
#include "log.h"

static const char usage[] =
	"Usage: crtool x DIR ps|fds|mems|rss\n"
	"Summarize the dump in DIR:\n"
	"  ps    the process tree: PID, PGID, SID and COMM of each task\n"
	"  fds   each task's fds (what each is: path, pipe, socket...), cwd and root\n"
	"  mems  each task's memory areas: addresses, protection, what backs them\n"
	"  rss   the number of pages the dump holds for each memory area\n";

static int print_ps(struct dump *d)
{
	dump_print_tree(d, false);
	return 0;
}

static const struct {
	const char *name;
	int (*print)(struct dump *d);
} actions[] = {
	{ "ps", print_ps },
	{ "fds", dump_print_fds },
	{ "mems", dump_print_mems },
	{ "rss", dump_print_rss },
};

int cli_dump_run(const char *path, int (*print)(struct dump *d))
{
	struct dump d;
	int ret = dump_open(&d, path);

	if (ret < 0)
		return EXIT_FAIL;
	ret = print(&d);
	dump_close(&d);
	if (fflush(stdout) || ferror(stdout)) {
		pr_err("cannot write the summary of %s", path);
		return EXIT_FAIL;
	}
	return ret < 0 ? EXIT_FAIL : EXIT_OK;
}

int cmd_x(int argc, char **argv)
{
	size_t i;
	int ret;

	ret = cli_simple_command(argc, argv, usage, 2);
	if (ret >= 0)
		return ret;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(argv[optind + 1], actions[i].name))
			return cli_dump_run(argv[optind], actions[i].print);
	fprintf(stderr, "crtool x: unknown summary '%s'\n%s", argv[optind + 1], usage);
	return EXIT_FAIL;
}
