/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/PID/mountinfo: the mounts a task sees, one callback per mount. */
#ifndef CR_PROC_MOUNTINFO_H
#define CR_PROC_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct proc_mount {
	int mnt_id, parent_id;
	unsigned int dev_major, dev_minor;
	/*
	 * Strings point into the parser's line (valid during the callback
	 * only); octal escapes like "\040" are decoded.
	 */
	const char *root;		/* root of the mount inside its filesystem */
	const char *mountpoint;		/* relative to the task's root */
	const char *options;		/* per-mount options */
	const char *fstype;		/* "ext4", "fuse.sshfs" */
	const char *source;		/* "/dev/vda1", "none" */
	const char *super_options;	/* per-superblock options */
	/* Optional fields: 0 when absent. */
	int shared;			/* shared:N peer group */
	int master;			/* master:N */
	int propagate_from;		/* propagate_from:N */
	bool unbindable;
};

typedef int (*proc_mount_fn)(const struct proc_mount *m, void *arg);

/*
 * Parse mountinfo text (@buf, @len bytes), calling @fn per mount. 0,
 * -EINVAL on malformed text, or what @fn returned (negative stops).
 * Suitable as a fuzz entry point.
 */
int proc_mountinfo_parse(const char *buf, size_t len, proc_mount_fn fn, void *arg);

/* The same on /proc/@pid/mountinfo. */
int proc_mountinfo_read(pid_t pid, proc_mount_fn fn, void *arg);

#endif
