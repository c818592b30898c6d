// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crtool exec -t PID SYSCALL [ARG...]: run one syscall inside a task and
 * print what it returned. Numeric arguments are passed as they are; any
 * other argument is a string (C escapes such as \n understood) copied into
 * the task, and its address in the task is passed instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compel/compel.h"
#include "log.h"

#define MAX_ARGS 6

/*
 * Syscalls that take a buffer followed by its length: when the length is
 * left out after a string argument, the string's length is passed, so that
 * "crtool exec -t PID write 1 'hello\n'" writes the whole string.
 */
static const struct {
	const char *name;
	int buf;
} buffer_syscalls[] = {
	{ "write", 1 },
	{ "sethostname", 0 },
	{ "setdomainname", 0 },
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: crtool exec -t PID SYSCALL [ARG...]\n\n"
		     "Run SYSCALL inside task PID with up to six arguments and print its\n"
		     "return value. Numbers are passed as numbers; anything else is a\n"
		     "string (\\n, \\t, \\\\, \\0 and \\xHH understood) copied into the task;\n"
		     "write, sethostname and setdomainname get the string's length when\n"
		     "it is left out.\n"
		     "\n  -t, --tree PID   the task\n");
}

/* Decode C escapes of @s into @out (at least strlen(s) + 1 bytes); returns the length. */
static size_t unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s) {
		char c = *s++;

		if (c == '\\' && *s) {
			c = *s++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '0': c = '\0'; break;
			case 'x': {
				char hex[3] = { 0 };
				size_t i;

				for (i = 0; i < 2 && strchr("0123456789abcdefABCDEF", *s) && *s; i++)
					hex[i] = *s++;
				c = (char)strtol(hex, NULL, 16);
				break;
			}
			default: break;
			}
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return n;
}

static int parse_number(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 0);
	return *s && !*end && !errno;
}

/* The index of the length argument @name may leave out after a string, or -1. */
static int implicit_length(const char *name, int argc, char **argv)
{
	size_t i;
	long v;

	for (i = 0; i < sizeof(buffer_syscalls) / sizeof(buffer_syscalls[0]); i++)
		if (!strcmp(buffer_syscalls[i].name, name) && argc == buffer_syscalls[i].buf + 1 &&
		    !parse_number(argv[buffer_syscalls[i].buf], &v))
			return buffer_syscalls[i].buf + 1;
	return -1;
}

/*
 * Turn @argv into syscall arguments, copying strings into the task; returns
 * the number of arguments or a negative errno.
 */
static int build_args(struct compel_task *task, const char *name, int argc, char **argv,
		      long *args)
{
	int len_arg = implicit_length(name, argc, argv);
	size_t need = 0, used = 0, len;
	char *local;
	int i, ret;

	for (i = 0; i < argc; i++)
		if (!parse_number(argv[i], &args[i]))
			need += strlen(argv[i]) + 1;
	if (!need)
		return argc;
	ret = compel_task_map_shared(task, need);
	if (ret < 0) {
		pr_err("cannot map memory in the task for string arguments: %s", strerror(-ret));
		return ret;
	}
	local = compel_task_shared_local(task);
	for (i = 0; i < argc; i++) {
		if (parse_number(argv[i], &args[i]))
			continue;
		args[i] = compel_task_shared_remote(task) + used;
		len = unescape(argv[i], local + used);
		used += len + 1;
		if (i + 1 == len_arg)
			args[len_arg] = len;
	}
	return argc;
}

int cmd_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tree", required_argument, NULL, 't' },
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	long args[MAX_ARGS] = { 0 }, nr, result;
	struct compel_task *task;
	long pid = 0;
	int opt, ret;

	optind = 1;
	/* '+': stop at the syscall name, so that "-1" stays an argument. */
	while ((opt = getopt_long(argc, argv, "+t:" COMMON_SHORT_OPTIONS, opts, NULL)) != -1) {
		if (opt == 't') {
			if (!parse_number(optarg, &pid) || pid <= 0) {
				fprintf(stderr, "crtool exec: bad PID '%s'\n", optarg);
				return EXIT_FAIL;
			}
			continue;
		}
		ret = cli_common_option(opt, optarg);
		if (ret == 1) {
			usage(stdout);
			return EXIT_OK;
		}
		if (ret < 0) {
			usage(stderr);
			return EXIT_FAIL;
		}
	}
	if (!pid || optind >= argc || argc - optind - 1 > MAX_ARGS) {
		usage(stderr);
		return EXIT_FAIL;
	}
	if (cli_open_log() != EXIT_OK)
		return EXIT_FAIL;
	if (!parse_number(argv[optind], &nr)) {
		nr = compel_syscall_nr(argv[optind]);
		if (nr < 0) {
			pr_err("unknown syscall '%s' (give its number instead)", argv[optind]);
			return EXIT_FAIL;
		}
	}

	task = compel_task_seize(pid);
	if (!task) {
		pr_err("cannot seize %ld: %s", pid, strerror(errno));
		return EXIT_FAIL;
	}
	ret = build_args(task, argv[optind], argc - optind - 1, argv + optind + 1, args);
	if (ret >= 0)
		ret = compel_task_syscall(task, nr, args, &result);
	if (compel_task_release(task) < 0 && !ret)
		ret = -EIO;
	if (ret < 0) {
		pr_err("cannot run %s in %ld: %s", argv[optind], pid, strerror(-ret));
		return EXIT_FAIL;
	}
	pr_msg("%ld\n", result);
	if (result < 0 && result > -4096) {
		pr_err("%s failed in %ld: %s", argv[optind], pid, strerror((int)-result));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
