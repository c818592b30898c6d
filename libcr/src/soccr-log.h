/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsoccr's messages, into libcr's log. */
#ifndef CR_SOCCR_LOG_H
#define CR_SOCCR_LOG_H

/* Send libsoccr's messages (errors and debug) to our log. Process-wide. */
void soccr_log_init(void);

#endif
