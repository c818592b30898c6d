// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crtool: checkpoint/restore of Linux process trees. This file only picks
 * the command; each command lives in its own cmd-*.c file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* Commands without a function are criu's that this build does not have yet. */
static const struct command commands[] = {
	{ "check", cmd_check, "probe the kernel for the features checkpoint/restore needs" },
	{ "dump", cmd_dump, "checkpoint a process tree into an images folder" },
	{ "pre-dump", NULL, "copy memory ahead of a dump, leaving the tree running" },
	{ "restore", cmd_restore, "bring a process tree back from an images folder" },
	{ "show", cmd_show, "print one image file as JSON" },
	{ "decode", cmd_decode, "turn an image file into JSON" },
	{ "encode", cmd_encode, "turn JSON back into an image file" },
	{ "exec", cmd_exec, "run one syscall inside a task" },
	{ "page-server", NULL, "receive memory pages over the network" },
	{ "lazy-pages", NULL, "serve memory pages of a restored tree on demand" },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: crtool [OPTIONS] COMMAND [COMMAND OPTIONS]\n\n"
		     "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-12s %s%s\n", commands[i].name, commands[i].summary,
			commands[i].run ? "" : " (not built yet)");
	fprintf(out, "\nOptions every command takes:\n"
		     "  -o, --log-file FILE   write the log to FILE instead of stderr\n"
		     "  -v[N], --verbosity=N  log level: 0 messages only, 1 errors, 2 warnings\n"
		     "                        (default), 3 information, 4 debug; -v alone adds one\n"
		     "  -h, --help            this text, or a command's own with COMMAND --help\n"
		     "  -V, --version         print the version\n"
		     "\n'crtool COMMAND --help' describes each command's options.\n");
}

int main(int argc, char **argv)
{
	const struct command *cmd = NULL;
	size_t i;
	int first = 1;

	log_attach_libraries();

	/* Options before the command: the common ones, --help and --version. */
	while (first < argc && argv[first][0] == '-') {
		const char *a = argv[first];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return EXIT_OK;
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("Version: %s\n", CRTOOL_VERSION);
			return EXIT_OK;
		}
		if (!strcmp(a, "-o") || !strcmp(a, "--log-file")) {
			if (first + 1 >= argc) {
				fprintf(stderr, "crtool: %s needs a file name\n", a);
				return EXIT_FAIL;
			}
			cli_common_option('o', argv[first + 1]);
			first += 2;
			continue;
		}
		if (!strncmp(a, "--log-file=", 11)) {
			cli_common_option('o', a + 11);
		} else if (!strncmp(a, "-v", 2)) {
			if (cli_common_option('v', a[2] ? a + 2 : NULL) < 0)
				return EXIT_FAIL;
		} else if (!strncmp(a, "--verbosity", 11) && (a[11] == '=' || !a[11])) {
			if (cli_common_option(OPT_VERBOSITY, a[11] ? a + 12 : NULL) < 0)
				return EXIT_FAIL;
		} else {
			fprintf(stderr, "crtool: unknown option %s before the command\n", a);
			usage(stderr);
			return EXIT_FAIL;
		}
		first++;
	}
	if (first >= argc) {
		usage(stderr);
		return EXIT_FAIL;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[first], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		fprintf(stderr, "crtool: unknown command '%s'\n", argv[first]);
		usage(stderr);
		return EXIT_FAIL;
	}
	if (!cmd->run) {
		fprintf(stderr, "crtool: '%s' is not built yet in this version of crtool\n", cmd->name);
		return EXIT_FAIL;
	}
	return cmd->run(argc - first, argv + first);
}
