// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * peak-rss OUTFILE COMMAND [ARG...]: runs COMMAND, then appends to OUTFILE
 * one line "SECONDS PEAK_RSS_KIB": its wall-clock time, from fork to its
 * end, and the peak resident set of COMMAND (and of the children it waited
 * for). Exits with COMMAND's status (128 + signal when killed).
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-time.h"

int main(int argc, char **argv)
{
	struct rusage ru;
	double start, secs;
	int status;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "Usage: %s OUTFILE COMMAND [ARG...]\n", argv[0]);
		return 2;
	}
	start = bench_now();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("wait4");
		return 2;
	}
	secs = bench_now() - start;
	out = fopen(argv[1], "a");
	if (!out || fprintf(out, "%.6f %ld\n", secs, ru.ru_maxrss) < 0 || fclose(out)) {
		perror(argv[1]);
		return 2;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
