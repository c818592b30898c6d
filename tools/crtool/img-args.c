// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "img-args.h"
#include "log.h"

#define OPT_LOG_FILE 0x1001
#define OPT_PRETTY 0x1002

static int parse(int argc, char **argv, struct img_args *a, bool with_pretty, const char *usage)
{
	static const struct option longs[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "pretty", no_argument, NULL, OPT_PRETTY },
		{ "log-file", required_argument, NULL, OPT_LOG_FILE },
		{ "verbosity", optional_argument, NULL, OPT_VERBOSITY },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "i:o:v::h", longs, NULL)) != -1) {
		switch (opt) {
		case 'i':
			a->in = optarg;
			continue;
		case 'o':
			a->out = optarg;
			continue;
		case OPT_PRETTY:
			if (!with_pretty) {
				fprintf(stderr, "crtool %s: unknown option --pretty\n", argv[0]);
				return EXIT_FAIL;
			}
			a->pretty = true;
			continue;
		}
		ret = cli_common_option(opt == OPT_LOG_FILE ? 'o' : opt, optarg);
		if (ret == 1) {
			printf("%s", usage);
			return EXIT_OK;
		}
		if (ret < 0)
			return EXIT_FAIL;
	}
	if (optind < argc || !a->in) {
		fprintf(stderr, "%s", usage);
		return EXIT_FAIL;
	}
	return cli_open_log() == EXIT_OK ? -1 : EXIT_FAIL;
}

static int open_in(const struct img_args *a)
{
	int fd;

	if (!strcmp(a->in, "-"))
		return STDIN_FILENO;
	fd = open(a->in, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		pr_err("cannot open %s: %s", a->in, strerror(errno));
	return fd;
}

static int open_out(const struct img_args *a)
{
	int fd;

	if (!a->out || !strcmp(a->out, "-"))
		return STDOUT_FILENO;
	fd = open(a->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		pr_err("cannot create %s: %s", a->out, strerror(errno));
	return fd;
}

int img_args_convert(int argc, char **argv, const char *usage, bool with_pretty,
		     img_convert_fn convert)
{
	struct img_args a = { 0 };
	int ret = parse(argc, argv, &a, with_pretty, usage), in, out;

	if (ret >= 0)
		return ret;
	in = open_in(&a);
	if (in < 0)
		return EXIT_FAIL;
	out = open_out(&a);
	if (out < 0) {
		close(in);
		return EXIT_FAIL;
	}
	ret = convert(in, a.in, out, &a);
	if (in != STDIN_FILENO)
		close(in);
	if (out != STDOUT_FILENO && close(out) && !ret)
		ret = -errno;
	if (!ret)
		return EXIT_OK;
	pr_err("cannot %s %s: %s", argv[0], a.in, strerror(-ret));
	if (out != STDOUT_FILENO)
		unlink(a.out);
	return EXIT_FAIL;
}
