// SPDX-License-Identifier: LGPL-2.1-or-later
#include "check/check.h"
#include "lib-log.h"

struct lib_log check_logger;

CHECK_API void check_set_log(check_log_fn fn, void *ctx)
{
	check_logger.fn = fn;
	check_logger.ctx = ctx;
}
