/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The control block at the start of the parasite's data area, shared by
 * the caller (libcompel) and the parasite runtime. The caller fills cmd,
 * len and data, lets the parasite run until it waits again, and reads ret
 * and data back.
 */
#ifndef COMPEL_PIE_CTL_H
#define COMPEL_PIE_CTL_H

#include <stdint.h>

#define PIE_MSG_LOG 'L'	/* then the text of one log line */
#define PIE_MSG_FD 'F'	/* with one fd in SCM_RIGHTS */

struct pie_ctl {
	uint32_t cmd;
	uint32_t len;	/* bytes of arguments in data */
	uint32_t room;	/* bytes data can hold */
	int32_t sock;	/* the parasite's end of the control socket */
	int64_t ret;	/* reply length or -errno */
	unsigned char data[];
};

#endif
