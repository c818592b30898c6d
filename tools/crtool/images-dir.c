// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "images-dir.h"
#include "log.h"

int images_dir_open(const char *path, bool create)
{
	int fd;

	if (!path) {
		fprintf(stderr, "crtool: the images folder is missing (-D DIR)\n");
		return -1;
	}
	if (create && mkdir(path, 0700) && errno != EEXIST) {
		fprintf(stderr, "crtool: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		fprintf(stderr, "crtool: cannot open the images folder %s: %s\n", path,
			strerror(errno));
	return fd;
}

int pidfile_write(const char *path, pid_t pid)
{
	FILE *f = fopen(path, "we");

	if (!f || fprintf(f, "%d\n", pid) < 0 || fclose(f)) {
		fprintf(stderr, "crtool: cannot write the pidfile %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

bool parse_pid(const char *s, pid_t *pid)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > INT_MAX) {
		fprintf(stderr, "crtool: '%s' is not a PID\n", s);
		return false;
	}
	*pid = v;
	return true;
}

void report_failure(const char *what, int err)
{
	const char *why = log_first_error();

	fprintf(stderr, "crtool: %s failed: %s", what, why ? why : strerror(-err));
	if (cli_log_path())
		fprintf(stderr, " (details in %s)", cli_log_path());
	fputc('\n', stderr);
}
