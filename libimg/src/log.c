// SPDX-License-Identifier: LGPL-2.1-or-later
#include "img/img.h"
#include "lib-log.h"

struct lib_log img_logger;

IMG_API void img_set_log(img_log_fn fn, void *ctx)
{
	img_logger.fn = fn;
	img_logger.ctx = ctx;
}
