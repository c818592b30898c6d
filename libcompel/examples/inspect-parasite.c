// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The parasite of compel-inspect: two commands, written as plain handlers
 * on top of libcompel's parasite runtime.
 */
#include <linux/errno.h>
#include <sys/syscall.h>

#include "compel-pie.h"
#include "inspect.h"

/* Out: the handler address of every signal, INSPECT_NR_SIGNALS of them. */
static long report_handlers(void *data, uint32_t len, uint32_t room)
{
	unsigned long act[4], *out = data;	/* the kernel's struct sigaction */
	int sig;

	if (room < INSPECT_NR_SIGNALS * sizeof(*out))
		return -EINVAL;
	for (sig = 1; sig <= INSPECT_NR_SIGNALS; sig++) {
		long ret = pie_syscall6(SYS_rt_sigaction, sig, 0, (long)act, 8, 0, 0);

		out[sig - 1] = ret ? 0 : act[0];
	}
	return INSPECT_NR_SIGNALS * sizeof(*out);
}

/* In: an int fd. Sends it to the caller. */
static long send_fd(void *data, uint32_t len, uint32_t room)
{
	int fd;

	if (len != sizeof(fd))
		return -EINVAL;
	memcpy(&fd, data, sizeof(fd));
	return pie_send_fd(fd);
}

long pie_handle(uint32_t cmd, void *data, uint32_t len, uint32_t room)
{
	switch (cmd) {
	case INSPECT_HANDLERS:
		return report_handlers(data, len, room);
	case INSPECT_SEND_FD:
		return send_fd(data, len, room);
	default:
		return -EINVAL;
	}
}
