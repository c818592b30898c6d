// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stddef.h>

#include "soccr/soccr.h"
#include "soccr-log.h"

unsigned int soccr_log_level;
void (*soccr_log_fn)(unsigned int level, const char *fmt, ...);

SOCCR_API void libsoccr_set_log(unsigned int level, void (*fn)(unsigned int level, const char *fmt, ...))
{
	soccr_log_level = level;
	soccr_log_fn = fn;
}
