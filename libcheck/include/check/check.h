/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcheck: kernel feature probes for checkpoint/restore, sorted in categories
 *
 * Conventions of every crtool library: functions return 0 (or a count) on
 * success and a negative errno on failure; constructors return NULL and set
 * errno. Nothing here prints, exits or aborts: messages go to the callback
 * installed with check_set_log().
 */
#ifndef CHECK_CHECK_H
#define CHECK_CHECK_H

#ifdef __cplusplus
extern "C" {
#endif

#define CHECK_API __attribute__((visibility("default")))

/* Log levels, the numbers criu uses. */
enum check_log_level {
	CHECK_LOG_MSG = 0,
	CHECK_LOG_ERROR = 1,
	CHECK_LOG_WARN = 2,
	CHECK_LOG_INFO = 3,
	CHECK_LOG_DEBUG = 4,
};

/*
 * Called once per message: @file and @line locate the message in the
 * library's sources, @msg is the formatted text without a trailing newline.
 */
typedef void (*check_log_fn)(int level, const char *file, int line, const char *msg, void *ctx);

/* Install the log callback (NULL: drop every message). Process-wide. */
CHECK_API void check_set_log(check_log_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
