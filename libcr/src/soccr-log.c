// SPDX-License-Identifier: LGPL-2.1-or-later
#include <soccr/soccr.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib-log.h"
#include "soccr-log.h"

static void soccr_log(unsigned int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Its lines end with a newline, ours do not. */
	n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	if (level == SOCCR_LOG_ERR)
		pr_err("libsoccr: %s", msg);
	else
		pr_debug("libsoccr: %s", msg);
}

void soccr_log_init(void)
{
	libsoccr_set_log(SOCCR_LOG_DBG, soccr_log);
}
