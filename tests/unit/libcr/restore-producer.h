/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A minimal dump for the restore tests: what dump_mm/dump_core will write,
 * produced here from a stopped victim (ptrace register sets, /proc, and
 * what the victim reported about itself).
 */
#ifndef TEST_LIBCR_RESTORE_PRODUCER_H
#define TEST_LIBCR_RESTORE_PRODUCER_H

#include <stdint.h>
#include <sys/types.h>

#include "images.h"

/* What only the victim knows, sent through a pipe before it is dumped. */
struct victim_self {
	uint64_t sigactions[64][4]; /* kernel struct sigaction per signal */
	uint64_t blocked;
	uint64_t brk;
	uint64_t itimers[3][4]; /* real, virt, prof: interval s/us, value s/us */
	uint64_t clear_tid[2];	/* per thread, in thread order */
	int32_t tids[2];
	uint32_t uid[8];     /* r, e, s, fs uid then gid */
	uint32_t caps[3][2]; /* inh, prm, eff */
	uint64_t cap_bnd;
	uint32_t secbits;
};

/*
 * Dump stopped (seized, interrupted) victim @pid with threads @tids into
 * @dir: mm, pagemap, pages, core per thread, files. Asserts on failure.
 * The cores, in @tids order, go to *@cores (free each with
 * protobuf_c_message_free_unpacked).
 */
void produce_dump(struct img_dir *dir, pid_t pid, const pid_t *tids, int nr_threads,
		  const struct victim_self *self, CoreEntry **cores);

/* The dumped layout, for comparison after restore: [start, end) pairs. */
int read_dumped_vmas(struct img_dir *dir, pid_t pid, uint64_t (*out)[3], int max);

#endif
