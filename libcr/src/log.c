// SPDX-License-Identifier: LGPL-2.1-or-later
#include "cr/cr.h"
#include "lib-log.h"

struct lib_log cr_logger;

CR_API void cr_set_log(cr_log_fn fn, void *ctx)
{
	cr_logger.fn = fn;
	cr_logger.ctx = ctx;
}
