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

/*
 * Errors every reader returns, each logged with the file name and offset:
 *   -EINVAL    the file starts with a magic that is not the expected one, or
 *              one no image kind has;
 *   -ENODATA   the file ends inside a magic, an entry or its payload;
 *   -EFBIG     an entry claims more than IMG_ENTRY_MAX bytes;
 *   -EOVERFLOW an entry claims more bytes than the file has left;
 *   -EBADMSG   an entry does not unpack as its protobuf message;
 *   -ERANGE    a pagemap points outside its pages file.
 */
#define IMG_ENTRY_MAX (64u << 20)

#ifdef __cplusplus
}
#endif

#include "img/dir.h"
#include "img/file.h"
#include "img/pagemap.h"
#include "img/json.h"
#include "img/vma.h"

#endif
