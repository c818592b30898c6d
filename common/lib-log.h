/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Logging inside the crtool libraries. Compiled into each library on its own
 * (the libraries never depend on each other), so every piece here is static
 * and each library names its own logger through -DLIB_LOGGER=<symbol>.
 *
 * A library never prints: it formats the message and hands it to the
 * callback its caller installed, or drops it when none is installed.
 */
#ifndef CRTOOL_COMMON_LIB_LOG_H
#define CRTOOL_COMMON_LIB_LOG_H

#include <stdarg.h>
#include <stdio.h>

/* Levels shared by every library: the numbers criu uses. */
#define LIB_LOG_MSG 0
#define LIB_LOG_ERROR 1
#define LIB_LOG_WARN 2
#define LIB_LOG_INFO 3
#define LIB_LOG_DEBUG 4

typedef void (*lib_log_fn)(int level, const char *file, int line, const char *msg, void *ctx);

struct lib_log {
	lib_log_fn fn;
	void *ctx;
};

#ifndef LIB_LOGGER
#error "LIB_LOGGER must name the library's logger (see the root meson.build)"
#endif

/* Defined once in each library, hidden. */
extern struct lib_log LIB_LOGGER;

__attribute__((format(printf, 4, 5), unused)) static void
lib_log_emit(int level, const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!LIB_LOGGER.fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	LIB_LOGGER.fn(level, file, line, msg, LIB_LOGGER.ctx);
}

#define pr_err(fmt, ...) lib_log_emit(LIB_LOG_ERROR, __FILE__, __LINE__, fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) lib_log_emit(LIB_LOG_WARN, __FILE__, __LINE__, fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) lib_log_emit(LIB_LOG_INFO, __FILE__, __LINE__, fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) lib_log_emit(LIB_LOG_DEBUG, __FILE__, __LINE__, fmt, ##__VA_ARGS__)
/* pr_perror: like pr_err, with strerror(errno) appended. */
#define pr_perror(fmt, ...) pr_err(fmt ": %m", ##__VA_ARGS__)

#endif
