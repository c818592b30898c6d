// SPDX-License-Identifier: LGPL-2.1-or-later
/* Restartable sequences: restored threads register their rseq area again. */
#include <errno.h>
#include <linux/rseq.h>
#include <stdint.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probes.h"

/* The signature glibc uses on x86. */
#define PROBE_RSEQ_SIG 0x53053053

/* In a child without a glibc rseq area: register one, see the cpu appear. */
static int register_rseq(void *arg)
{
	static struct rseq area __attribute__((aligned(32))) = {
		.cpu_id = RSEQ_CPU_ID_UNINITIALIZED,
	};

	if (syscall(SYS_rseq, &area, sizeof(area), 0, PROBE_RSEQ_SIG))
		return errno;
	return (int32_t)area.cpu_id >= 0 ? 0 : EPROTO;
}

enum check_result probe_rseq(struct probe_out *out)
{
	const struct rseq *area;
	int err;

	/* glibc registers every thread's area itself unless told not to. */
	if (__rseq_size > 0) {
		area = (const struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
		if ((int32_t)area->cpu_id < 0)
			return probe_missing(out, "the rseq area glibc registered has no cpu id");
		return probe_supported(out, "rseq areas are registered and updated");
	}
	err = probe_in_child(0, register_rseq, NULL);
	return probe_answer(out, err, -1, "rseq", "a registered rseq area gets no cpu id",
			    "rseq areas can be registered");
}
