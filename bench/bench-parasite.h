/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one command of compel-bench's parasite. */
#ifndef COMPEL_BENCH_PARASITE_H
#define COMPEL_BENCH_PARASITE_H

/* Does nothing and replies with the length of its arguments. */
#define BENCH_CMD_NOP 1

#endif
