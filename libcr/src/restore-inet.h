/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inet sockets on restore. Every TCP and UDP socket of files.img is
 * created when the first one is opened, in two passes: first listeners,
 * bound and unbound sockets and UDP sockets (bound, then connected), so
 * that a listener gets its port before the connections accepted from it;
 * then established TCP connections, rebuilt with libsoccr in repair mode
 * (which may share a port) from tcp-stream-<ino>.img, and let go. The
 * sockets are kept until every file is open.
 */
#ifndef CR_RESTORE_INET_H
#define CR_RESTORE_INET_H

#include <stdbool.h>
#include <stddef.h>

#include "images.h"

struct rst_isk;

struct rst_inet {
	struct rst_isk *v;
	size_t nr;
	bool created;	/* every socket, by the first rst_inet_open() */
	int create_ret; /* what creating them gave */
};

/*
 * Index and check the inet sockets among the @nr files.img @entries and
 * read the tcp-stream image of each established connection; those are
 * refused unless @tcp_established.
 */
int rst_inet_load(struct img_dir *dir, ProtobufCMessage **entries, size_t nr,
		  bool tcp_established, struct rst_inet *ri);

/* A new fd on the socket @e, created (with all the others) the first time. */
int rst_inet_open(struct rst_inet *ri, const InetSkEntry *e);

/* Close the sockets rst_inet_open() kept for later files. */
void rst_inet_close_kept(struct rst_inet *ri);

void rst_inet_free(struct rst_inet *ri);

#endif
