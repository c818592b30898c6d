// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"

static const char *log_path;

static int parse_verbosity(const char *arg)
{
	char *end;
	long v;

	if (!arg) {
		log_set_verbosity(log_get_verbosity() + 1);
		return 0;
	}
	v = strtol(arg, &end, 10);
	if (*end || end == arg || v < 0 || v > 4) {
		fprintf(stderr, "crtool: verbosity must be 0 to 4, not '%s'\n", arg);
		return -1;
	}
	log_set_verbosity(v);
	return 0;
}

int cli_common_option(int opt, const char *arg)
{
	switch (opt) {
	case 'o':
		log_path = arg;
		return 0;
	case 'v':
	case OPT_VERBOSITY:
		return parse_verbosity(arg);
	case 'h':
		return 1;
	default:
		/* getopt_long() has already said what was wrong. */
		return -1;
	}
}

int cli_open_log(void)
{
	return cli_open_log_in(NULL);
}

int cli_open_log_in(const char *dir)
{
	char path[4096];
	const char *p = log_path;
	int ret;

	/* criu's rule: a bare file name lives in the images folder. */
	if (dir && p && strcmp(p, "-") && !strchr(p, '/')) {
		snprintf(path, sizeof(path), "%s/%s", dir, p);
		p = path;
	}
	ret = log_open(p);
	if (ret < 0) {
		fprintf(stderr, "crtool: cannot open log file %s: %s\n", p, strerror(-ret));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

const char *cli_log_path(void)
{
	return log_path;
}

int cli_not_built(const char *option)
{
	fprintf(stderr, "crtool: %s is not supported by this build of crtool yet\n", option);
	return EXIT_FAIL;
}

int cli_simple_command(int argc, char **argv, const char *usage, int nargs)
{
	static const struct option longs[] = { COMMON_LONG_OPTIONS, { 0 } };
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, COMMON_SHORT_OPTIONS, longs, NULL)) != -1) {
		ret = cli_common_option(opt, optarg);
		if (ret == 1) {
			printf("%s", usage);
			return EXIT_OK;
		}
		if (ret < 0)
			return EXIT_FAIL;
	}
	if (optind + nargs != argc) {
		fprintf(stderr, "%s", usage);
		return EXIT_FAIL;
	}
	return cli_open_log() == EXIT_OK ? -1 : EXIT_FAIL;
}
