/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsoccr: save and restore one live TCP connection with TCP_REPAIR.
 *
 * Source-compatible with the libsoccr API that CRIU ships: the same names,
 * the same structures, the same call sequence.
 */
#ifndef SOCCR_SOCCR_H
#define SOCCR_SOCCR_H

#ifdef __cplusplus
extern "C" {
#endif

#define SOCCR_API __attribute__((visibility("default")))

/* Log levels understood by libsoccr_set_log(). */
#define SOCCR_LOG_ERR 1
#define SOCCR_LOG_DBG 2

/*
 * Install the log function: messages of @level and below (more severe) go to
 * @fn, formatted printf-style. Process-wide; NULL drops every message.
 */
SOCCR_API void libsoccr_set_log(unsigned int level, void (*fn)(unsigned int level, const char *fmt, ...));

#ifdef __cplusplus
}
#endif

#endif
