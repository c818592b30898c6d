// SPDX-License-Identifier: LGPL-2.1-or-later
#include "compel/compel.h"
#include "lib-log.h"

struct lib_log compel_logger;

COMPEL_API void compel_set_log(compel_log_fn fn, void *ctx)
{
	compel_logger.fn = fn;
	compel_logger.ctx = ctx;
}
