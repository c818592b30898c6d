// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crtool dump -t PID -D DIR: checkpoint the tree under PID into DIR.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cr/cr.h"
#include "images-dir.h"
#include "log.h"

enum {
	OPT_LEAVE_RUNNING = 0x2000,
	OPT_PIDFILE,
	OPT_CHECK_ONLY,
	OPT_INHERIT_FD,
	OPT_EXT_UNIX_SK,
	OPT_LINK_REMAP,
	OPT_GHOST_LIMIT,
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: crtool dump -t PID -D DIR [options]\n\n"
		     "Checkpoint the process tree under PID into the images folder DIR,\n"
		     "then kill the tree (or leave it running).\n\n"
		     "  -t, --tree PID        root of the tree\n"
		     "  -D, --images-dir DIR  where the images go (created 0700 if missing)\n"
		     "  -j, --shell-job       the tree's session leader is outside the tree\n"
		     "      --leave-running   resume the tree after the dump\n"
		     "      --ext-unix-sk     dump unix sockets whose peer is outside the\n"
		     "                        tree (a datagram socket is reconnected to its\n"
		     "                        peer's name at restore)\n"
		     "      --tcp-established dump established TCP connections (TCP_REPAIR):\n"
		     "                        their queues and sequence numbers; the peer\n"
		     "                        is told nothing and must not send until the\n"
		     "                        restore\n"
		     "      --check-only      a dry run: every step but writing the memory\n"
		     "                        pages; the tree keeps running and the images\n"
		     "                        are marked for a check-only restore\n"
		     "      --inherit-fd ID   the file ID is external (repeatable): ID is\n"
		     "                        what /proc/PID/fd/N links to, as pipe:[1234]\n"
		     "                        or /tmp/log (tmp/log: relative to the task's\n"
		     "                        root); its contents are not dumped, restore\n"
		     "                        --inherit-fd fd[N]:ID must hand it in\n"
		     "      --link-remap      save an open file whose name was removed or\n"
		     "                        replaced (another hard link left) through a\n"
		     "                        new hard link link_remap.N beside its old name,\n"
		     "                        removed by the restore\n"
		     "      --ghost-limit SIZE  the biggest deleted open file saved whole\n"
		     "                        (bytes, or with a K, M or G suffix; 1M)\n"
		     "      --pidfile FILE    write the root's PID to FILE\n"
		     "  -o, --log-file FILE   log to FILE (a bare name goes into DIR)\n"
		     "  -v[N], --verbosity=N  log level 0-4\n");
}

/* criu's sizes: a number of bytes, or of KiB, MiB or GiB with a K, M or G suffix. */
static int parse_size(const char *arg, unsigned long long *size)
{
	static const char units[] = "KMG";
	unsigned long long n;
	const char *unit;
	char *end;

	errno = 0;
	n = strtoull(arg, &end, 10);
	unit = *end ? strchr(units, *end) : NULL;
	if (errno || end == arg || *arg == '-' || (*end && (!unit || !*unit || end[1])) || !n) {
		fprintf(stderr, "crtool: --ghost-limit needs a size in bytes (4096, 64K, 1M, 2G), "
				"not '%s'\n",
			arg);
		return -1;
	}
	for (int i = 0; unit && i <= unit - units; i++) {
		if (n > ~0ULL >> 10) {
			fprintf(stderr, "crtool: --ghost-limit %s is too big\n", arg);
			return -1;
		}
		n <<= 10;
	}
	*size = n;
	return 0;
}

/* cmd_dump() with room in @keys for every --inherit-fd. */
static int dump_command(int argc, char **argv, const char **keys)
{
	static const struct option opts[] = {
		{ "tree", required_argument, NULL, 't' },
		{ "images-dir", required_argument, NULL, 'D' },
		{ "shell-job", no_argument, NULL, 'j' },
		{ "leave-running", no_argument, NULL, OPT_LEAVE_RUNNING },
		{ "ext-unix-sk", no_argument, NULL, OPT_EXT_UNIX_SK },
		{ "tcp-established", no_argument, NULL, OPT_TCP_ESTABLISHED },
		{ "link-remap", no_argument, NULL, OPT_LINK_REMAP },
		{ "ghost-limit", required_argument, NULL, OPT_GHOST_LIMIT },
		{ "pidfile", required_argument, NULL, OPT_PIDFILE },
		{ "check-only", no_argument, NULL, OPT_CHECK_ONLY },
		{ "inherit-fd", required_argument, NULL, OPT_INHERIT_FD },
		NOT_BUILT_CR_OPTIONS,
		COMMON_LONG_OPTIONS,
		{ 0 },
	};
	struct cr_dump_opts o = { .sz = sizeof(o), .inherit_keys = keys };
	const char *dir = NULL, *pidfile = NULL;
	int opt, idx, ret;

	while ((opt = getopt_long(argc, argv, "t:D:j" COMMON_SHORT_OPTIONS, opts, &idx)) != -1) {
		switch (opt) {
		case 't':
			if (!parse_pid(optarg, &o.pid))
				return EXIT_FAIL;
			break;
		case 'D':
			dir = optarg;
			break;
		case 'j':
			o.flags |= CR_DUMP_SHELL_JOB;
			break;
		case OPT_LEAVE_RUNNING:
			o.flags |= CR_DUMP_LEAVE_RUNNING;
			break;
		case OPT_EXT_UNIX_SK:
			o.flags |= CR_DUMP_EXT_UNIX_SK;
			break;
		case OPT_TCP_ESTABLISHED:
			o.flags |= CR_DUMP_TCP_ESTABLISHED;
			break;
		case OPT_PIDFILE:
			pidfile = optarg;
			break;
		case OPT_CHECK_ONLY:
			o.flags |= CR_DUMP_CHECK_ONLY;
			break;
		case OPT_INHERIT_FD:
			if (!*optarg) {
				fprintf(stderr, "crtool: --inherit-fd needs the ID of a file\n");
				return EXIT_FAIL;
			}
			keys[o.nr_inherit_keys++] = optarg;
			break;
		case OPT_LINK_REMAP:
			o.flags |= CR_DUMP_LINK_REMAP;
			break;
		case OPT_GHOST_LIMIT:
			if (parse_size(optarg, &o.ghost_limit))
				return EXIT_FAIL;
			break;
		case OPT_NOT_BUILT:
			return cli_not_built(argv[optind - 1]);
		default:
			ret = cli_common_option(opt, optarg);
			if (ret == 1) {
				usage(stdout);
				return EXIT_OK;
			}
			if (ret)
				return EXIT_FAIL;
		}
	}
	if (!o.pid || optind != argc) {
		usage(stderr);
		return EXIT_FAIL;
	}
	o.images_dirfd = images_dir_open(dir, true);
	if (o.images_dirfd < 0)
		return EXIT_FAIL;
	if (cli_open_log_in(dir) != EXIT_OK) {
		close(o.images_dirfd);
		return EXIT_FAIL;
	}
	if (pidfile && pidfile_write(pidfile, o.pid)) {
		close(o.images_dirfd);
		return EXIT_FAIL;
	}
	/* criu's words, which scripts look for */
	if (o.flags & CR_DUMP_CHECK_ONLY)
		pr_msg("Only checking if requested operation will succeed\n");
	ret = cr_dump(&o);
	close(o.images_dirfd);
	if (ret) {
		char what[32];

		snprintf(what, sizeof(what), "dump of %d", o.pid);
		report_failure(what, ret);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_dump(int argc, char **argv)
{
	/* at most one key per argument */
	const char **keys = calloc(argc, sizeof(*keys));
	int ret;

	if (!keys) {
		fprintf(stderr, "crtool: out of memory\n");
		return EXIT_FAIL;
	}
	ret = dump_command(argc, argv, keys);
	free(keys);
	return ret;
}
