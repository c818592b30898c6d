// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check/check.h"
#include "compel/compel.h"
#include "cr/cr.h"
#include "img/img.h"

#include "log.h"

struct lib_log crtool_logger = { .fn = log_sink };

static FILE *log_file;
static int verbosity = DEFAULT_VERBOSITY;
static struct timespec log_start;

static FILE *log_stream(void)
{
	return log_file ? log_file : stderr;
}

int log_open(const char *path)
{
	FILE *f;

	clock_gettime(CLOCK_MONOTONIC, &log_start);
	if (!path || !strcmp(path, "-"))
		return 0;
	f = fopen(path, "ae");
	if (!f)
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);
	log_close();
	log_file = f;
	return 0;
}

void log_close(void)
{
	if (log_file)
		fclose(log_file);
	log_file = NULL;
}

void log_set_verbosity(int level)
{
	verbosity = level;
}

int log_get_verbosity(void)
{
	return verbosity;
}

/* Meson compiles with paths relative to the build folder: drop the "../". */
static const char *source_name(const char *file)
{
	while (!strncmp(file, "../", 3))
		file += 3;
	return file;
}

/* The first error logged: the one-line reason a failing command prints. */
static char first_error[512];

const char *log_first_error(void)
{
	return first_error[0] ? first_error : NULL;
}

void log_sink(int level, const char *file, int line, const char *msg, void *ctx)
{
	struct timespec now;
	long sec, usec;

	if (level == LIB_LOG_ERROR && !first_error[0])
		snprintf(first_error, sizeof(first_error), "%s", msg);
	if (level > verbosity)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	sec = now.tv_sec - log_start.tv_sec;
	usec = (now.tv_nsec - log_start.tv_nsec) / 1000;
	if (usec < 0) {
		sec--;
		usec += 1000000;
	}
	if (level == LIB_LOG_ERROR || level == LIB_LOG_WARN)
		fprintf(log_stream(), "(%02ld.%06ld) %-5s (%s:%d): %s\n", sec, usec,
			level == LIB_LOG_ERROR ? "Error" : "Warn", source_name(file), line, msg);
	else
		fprintf(log_stream(), "(%02ld.%06ld) %s\n", sec, usec, msg);
}

void log_attach_libraries(void)
{
	img_set_log(log_sink, NULL);
	check_set_log(log_sink, NULL);
	compel_set_log(log_sink, NULL);
	/* libcr routes libsoccr's log, which it uses, through its own. */
	cr_set_log(log_sink, NULL);
}

void pr_msg(const char *fmt, ...)
{
	char msg[4096];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs(msg, stdout);
	fflush(stdout);
	if (log_file) {
		len = strlen(msg);
		if (len && msg[len - 1] == '\n')
			msg[len - 1] = '\0';
		log_sink(LIB_LOG_MSG, __FILE__, __LINE__, msg, NULL);
	}
}
