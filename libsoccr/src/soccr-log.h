/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsoccr keeps CRIU's printf-style log callback for source compatibility,
 * so it does not use common/lib-log.h.
 */
#ifndef SOCCR_LOG_H
#define SOCCR_LOG_H

#include "soccr/soccr.h"

extern unsigned int soccr_log_level;
extern void (*soccr_log_fn)(unsigned int level, const char *fmt, ...);

#define soccr_log(lvl, fmt, ...)                                                                    \
	do {                                                                                        \
		if (soccr_log_fn && (lvl) <= soccr_log_level)                                       \
			soccr_log_fn((lvl), "%s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__); \
	} while (0)

#define loge(fmt, ...) soccr_log(SOCCR_LOG_ERR, "Error: " fmt, ##__VA_ARGS__)
#define logerr(fmt, ...) soccr_log(SOCCR_LOG_ERR, "Error: " fmt ": %m", ##__VA_ARGS__)
#define logd(fmt, ...) soccr_log(SOCCR_LOG_DBG, fmt, ##__VA_ARGS__)

#endif
