// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crtool restore -D DIR: bring the tree back. Without -d, wait for the
 * restored root and exit with its status, as criu does.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "cr/cr.h"
#include "findings.h"
#include "images-dir.h"
#include "inherit-fd.h"
#include "log.h"

enum {
	OPT_PIDFILE = 0x2000,
	OPT_CHECK_ONLY,
	OPT_JSON,
	OPT_INHERIT_FD,
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: crtool restore -D DIR [options]\n\n"
		     "Bring back the process tree checkpointed in the images folder DIR,\n"
		     "with its PIDs. Without -d, wait for it and exit with its status.\n\n"
		     "  -D, --images-dir DIR      the images\n"
		     "  -d, --restore-detached    exit once the tree runs\n"
		     "  -j, --shell-job           the tree's session is crtool's own\n"
		     "      --inherit-fd fd[N]:ID every fd of the tree whose file was ID (as\n"
		     "                            dump --inherit-fd takes it, or pipe:[1234]\n"
		     "                            or a path for any pipe or file) gets a copy\n"
		     "                            of crtool's fd N, used as it is (repeatable)\n"
		     "      --tcp-established     restore the established TCP connections of\n"
		     "                            the images (dumped with --tcp-established)\n"
		     "      --pidfile FILE        write the restored root's PID to FILE\n"
		     "      --check-only          a dry run: report what would make the restore\n"
		     "                            fail here (changed binaries, memory, taken\n"
		     "                            PIDs, kernel features), then do every step\n"
		     "                            but filling memory and kill the tree before\n"
		     "                            it resumes; on by itself for the images of\n"
		     "                            dump --check-only\n"
		     "      --json                the check-only findings as JSON\n"
		     "  -o, --log-file FILE       log to FILE (a bare name goes into DIR)\n"
		     "  -v[N], --verbosity=N      log level 0-4\n");
}

/* The restored root's wait status as a shell would report it. */
static int exit_code_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return EXIT_FAIL;
}

/* A check-only restore: nothing stays running, only the verdict counts. */
static int restore_check(struct cr_restore_opts *o, struct findings *fs)
{
	int ret;

	/* criu's words, which scripts look for; not in the way of --json */
	if (fs->json)
		pr_info("Checking mode enabled");
	else
		pr_msg("Checking mode enabled\n");
	o->finding = findings_add;
	o->finding_ctx = fs;
	ret = cr_restore(o, NULL);
	if (ret < 0) {
		findings_end(fs, log_first_error() ? log_first_error() : strerror(-ret));
		report_failure("restore", ret);
		return EXIT_FAIL;
	}
	findings_end(fs, NULL);
	return EXIT_OK;
}

/* cmd_restore() with room in @ifds for every --inherit-fd. */
static int restore_command(int argc, char **argv, struct cr_inherit_fd *ifds)
{
	static const struct option opts[] = {
		{ "images-dir", required_argument, NULL, 'D' },
		{ "restore-detached", no_argument, NULL, 'd' },
		{ "shell-job", no_argument, NULL, 'j' },
		{ "pidfile", required_argument, NULL, OPT_PIDFILE },
		{ "check-only", no_argument, NULL, OPT_CHECK_ONLY },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "inherit-fd", required_argument, NULL, OPT_INHERIT_FD },
		{ "tcp-established", no_argument, NULL, OPT_TCP_ESTABLISHED },
		NOT_BUILT_CR_OPTIONS,
		COMMON_LONG_OPTIONS,
		{ 0 },
	};
	struct findings fs = { 0 };
	struct cr_restore_opts o = { .sz = sizeof(o), .inherit_fds = ifds };
	const char *dir = NULL, *pidfile = NULL;
	bool detached = false;
	pid_t root = 0;
	int opt, ret, status;

	while ((opt = getopt_long(argc, argv, "D:dj" COMMON_SHORT_OPTIONS, opts, NULL)) != -1) {
		switch (opt) {
		case 'D':
			dir = optarg;
			break;
		case 'd':
			detached = true;
			break;
		case 'j':
			o.flags |= CR_RESTORE_SHELL_JOB;
			break;
		case OPT_TCP_ESTABLISHED:
			o.flags |= CR_RESTORE_TCP_ESTABLISHED;
			break;
		case OPT_PIDFILE:
			pidfile = optarg;
			break;
		case OPT_CHECK_ONLY:
			o.flags |= CR_RESTORE_CHECK_ONLY;
			break;
		case OPT_JSON:
			fs.json = true;
			break;
		case OPT_INHERIT_FD:
			if (!inherit_fd_parse(optarg, &ifds[o.nr_inherit_fds++]))
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
	if (optind != argc) {
		usage(stderr);
		return EXIT_FAIL;
	}
	o.images_dirfd = images_dir_open(dir, false);
	if (o.images_dirfd < 0)
		return EXIT_FAIL;
	if (cli_open_log_in(dir) != EXIT_OK) {
		close(o.images_dirfd);
		return EXIT_FAIL;
	}
	if (cr_images_check_only(o.images_dirfd) == 1)
		o.flags |= CR_RESTORE_CHECK_ONLY;
	if (o.flags & CR_RESTORE_CHECK_ONLY) {
		ret = restore_check(&o, &fs);
		close(o.images_dirfd);
		return ret;
	}
	if (fs.json) {
		fprintf(stderr, "crtool: --json goes with --check-only\n");
		close(o.images_dirfd);
		return EXIT_FAIL;
	}
	/* Without -d the status comes after the tree ends: the pidfile must come first. */
	o.flags |= CR_RESTORE_DETACHED;
	ret = cr_restore(&o, &root);
	close(o.images_dirfd);
	if (ret < 0) {
		report_failure("restore", ret);
		return EXIT_FAIL;
	}
	if (pidfile && pidfile_write(pidfile, root))
		return EXIT_FAIL;
	if (detached)
		return EXIT_OK;
	if (waitpid(root, &status, 0) != root) {
		fprintf(stderr, "crtool: cannot wait for the restored task %d: %m\n", root);
		return EXIT_FAIL;
	}
	return exit_code_of(status);
}

int cmd_restore(int argc, char **argv)
{
	/* at most one per argument */
	struct cr_inherit_fd *ifds = calloc(argc, sizeof(*ifds));
	int ret;

	if (!ifds) {
		fprintf(stderr, "crtool: out of memory\n");
		return EXIT_FAIL;
	}
	ret = restore_command(argc, argv, ifds);
	free(ifds);
	return ret;
}
