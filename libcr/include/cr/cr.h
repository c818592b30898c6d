/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcr: dump and restore of process trees
 *
 * Conventions of every crtool library: functions return 0 (or a count) on
 * success and a negative errno on failure; constructors return NULL and set
 * errno. Nothing here prints, exits or aborts: messages go to the callback
 * installed with cr_set_log().
 */
#ifndef CR_CR_H
#define CR_CR_H

#ifdef __cplusplus
extern "C" {
#endif

#define CR_API __attribute__((visibility("default")))

/* Log levels, the numbers criu uses. */
enum cr_log_level {
	CR_LOG_MSG = 0,
	CR_LOG_ERROR = 1,
	CR_LOG_WARN = 2,
	CR_LOG_INFO = 3,
	CR_LOG_DEBUG = 4,
};

/*
 * Called once per message: @file and @line locate the message in the
 * library's sources, @msg is the formatted text without a trailing newline.
 */
typedef void (*cr_log_fn)(int level, const char *file, int line, const char *msg, void *ctx);

/* Install the log callback (NULL: drop every message). Process-wide. */
CR_API void cr_set_log(cr_log_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
