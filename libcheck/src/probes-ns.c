// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Namespace probes. Each new namespace is made in a child, which takes it
 * away when it exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

#include "probes.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct new_ns {
	int flag;
	const char *file;
};

/* In a child: unshare and check that /proc/self/ns/<file> has changed. */
static int unshare_and_compare(void *arg)
{
	const struct new_ns *ns = arg;
	unsigned long before = probe_ns_inode(ns->file);

	if (!before)
		return ENOENT;
	if (unshare(ns->flag))
		return errno;
	return probe_ns_inode(ns->file) != before ? 0 : EPROTO;
}

static enum check_result probe_unshare(struct probe_out *out, int flag, const char *file,
				       int cap, const char *what)
{
	struct new_ns ns = { flag, file };
	int err = probe_in_child(0, unshare_and_compare, &ns);

	if (err == EPROTO)
		return probe_missing(out, "unshare(%s) leaves the namespace as it was", what);
	if (err)
		return probe_errno(out, err, cap, what);
	return probe_supported(out, "%s namespaces can be created", what);
}

enum check_result probe_userns(struct probe_out *out)
{
	return probe_unshare(out, CLONE_NEWUSER, "user", CAP_SYS_ADMIN, "user");
}

enum check_result probe_cgroupns(struct probe_out *out)
{
	return probe_unshare(out, CLONE_NEWCGROUP, "cgroup", CAP_SYS_ADMIN, "cgroup");
}

/* In a child: a new time namespace for its children, with an offset. */
static int timens_with_offset(void *arg)
{
	const char offsets[] = "monotonic 100 0\n";
	int fd;

	if (unshare(CLONE_NEWTIME))
		return errno;
	fd = open("/proc/self/timens_offsets", O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, offsets, strlen(offsets)) != (ssize_t)strlen(offsets))
		return errno;
	return 0;
}

enum check_result probe_timens(struct probe_out *out)
{
	int err = probe_in_child(0, timens_with_offset, NULL);

	return probe_answer(out, err, CAP_SYS_ADMIN, "time namespace with clock offsets", NULL,
			    "time namespaces take clock offsets");
}

static const char *const ipc_next_id[] = { "msg_next_id", "sem_next_id", "shm_next_id" };

/* In a child with an IPC namespace of its own: choose the next queue id. */
static int msg_next_id_in_new_ipcns(void *arg)
{
	const int want = 4242;
	char num[16];
	int fd, id, len;

	if (unshare(CLONE_NEWIPC))
		return errno;
	fd = open("/proc/sys/kernel/msg_next_id", O_WRONLY);
	if (fd < 0)
		return errno;
	len = snprintf(num, sizeof(num), "%d", want);
	if (write(fd, num, len) != len)
		return errno;
	close(fd);
	id = msgget(IPC_PRIVATE, 0600);
	if (id < 0)
		return errno;
	return id == want ? 0 : EPROTO;
}

enum check_result probe_ipc_ns_sysctls(struct probe_out *out)
{
	char path[64], buf[32];
	size_t i;
	int err;

	for (i = 0; i < sizeof(ipc_next_id) / sizeof(ipc_next_id[0]); i++) {
		snprintf(path, sizeof(path), "/proc/sys/kernel/%s", ipc_next_id[i]);
		err = probe_read_file(path, buf, sizeof(buf));
		if (err < 0)
			return probe_errno(out, -err, -1, path);
	}
	err = probe_in_child(0, msg_next_id_in_new_ipcns, NULL);
	return probe_answer(out, err, CAP_SYS_ADMIN, "set msg_next_id in a new IPC namespace",
			    "msg_next_id does not choose the next message queue id",
			    "msg/sem/shm_next_id choose the next IPC ids");
}
