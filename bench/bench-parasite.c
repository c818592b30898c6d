// SPDX-License-Identifier: LGPL-2.1-or-later
/* compel-bench's parasite: one command that does nothing, to time the round trip. */
#include <linux/errno.h>

#include "compel-pie.h"
#include "bench-parasite.h"

long pie_handle(uint32_t cmd, void *data, uint32_t len, uint32_t room)
{
	return cmd == BENCH_CMD_NOP ? (long)len : -EINVAL;
}
