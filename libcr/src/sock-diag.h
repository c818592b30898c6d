/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the kernel tells of one unix socket through NETLINK_SOCK_DIAG
 * (UNIX_DIAG): its state, name, file, peer, queues and pending connections.
 */
#ifndef CR_SOCK_DIAG_H
#define CR_SOCK_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

struct unix_diag_info {
	uint32_t ino;
	uint8_t type;	  /* SOCK_STREAM, ... */
	uint8_t state;	  /* TCP_ESTABLISHED, TCP_LISTEN, TCP_CLOSE */
	uint8_t shutdown; /* the kernel's SHUTDOWN_MASK bits: 1 receive, 2 send */
	uint32_t peer;	  /* the peer's inode, 0 when none */
	uint32_t rqueue;  /* bytes queued (a listener: connections waiting) */
	uint32_t wqueue;
	uint32_t nr_icons; /* connections waiting for accept() */
	bool has_vfs;	   /* bound to a path: the inode of its socket file */
	uint32_t vfs_dev, vfs_ino;
	size_t name_len; /* 0: unbound; an abstract name starts with a NUL, a path has none at its
			    end */
	char name[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

/*
 * Ask the kernel about the unix socket with inode @ino (in crtool's network
 * namespace). 0, -ENOENT when it has no such socket, or a negative errno.
 */
int sock_diag_unix(uint32_t ino, struct unix_diag_info *info);

#endif
