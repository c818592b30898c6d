/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libimg: CRIU 4.x image files: read, write, decode to JSON and encode from it
 *
 * Conventions of every crtool library: functions return 0 (or a count) on
 * success and a negative errno on failure; constructors return NULL and set
 * errno. Nothing here prints, exits or aborts: messages go to the callback
 * installed with img_set_log().
 */
#ifndef IMG_IMG_H
#define IMG_IMG_H

#ifdef __cplusplus
extern "C" {
#endif

#define IMG_API __attribute__((visibility("default")))

/* Log levels, the numbers criu uses. */
enum img_log_level {
	IMG_LOG_MSG = 0,
	IMG_LOG_ERROR = 1,
	IMG_LOG_WARN = 2,
	IMG_LOG_INFO = 3,
	IMG_LOG_DEBUG = 4,
};

/*
 * Called once per message: @file and @line locate the message in the
 * library's sources, @msg is the formatted text without a trailing newline.
 */
typedef void (*img_log_fn)(int level, const char *file, int line, const char *msg, void *ctx);

/* Install the log callback (NULL: drop every message). Process-wide. */
IMG_API void img_set_log(img_log_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
