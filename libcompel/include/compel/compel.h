/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcompel: parasite code injection: seize a task, run code inside it, cure it
 *
 * Conventions of every crtool library: functions return 0 (or a count) on
 * success and a negative errno on failure; constructors return NULL and set
 * errno. Nothing here prints, exits or aborts: messages go to the callback
 * installed with compel_set_log().
 */
#ifndef COMPEL_COMPEL_H
#define COMPEL_COMPEL_H

#ifdef __cplusplus
extern "C" {
#endif

#define COMPEL_API __attribute__((visibility("default")))

/* Log levels, the numbers criu uses. */
enum compel_log_level {
	COMPEL_LOG_MSG = 0,
	COMPEL_LOG_ERROR = 1,
	COMPEL_LOG_WARN = 2,
	COMPEL_LOG_INFO = 3,
	COMPEL_LOG_DEBUG = 4,
};

/*
 * Called once per message: @file and @line locate the message in the
 * library's sources, @msg is the formatted text without a trailing newline.
 */
typedef void (*compel_log_fn)(int level, const char *file, int line, const char *msg, void *ctx);

/* Install the log callback (NULL: drop every message). Process-wide. */
COMPEL_API void compel_set_log(compel_log_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
