/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unix sockets on restore. Every socket of files.img is created when the
 * first one is opened: both ends of a pair together (socketpair(), the
 * queued messages of each end sent from the other), a listener bound and
 * listening again, a datagram socket bound, then connected to its peer's
 * name (a peer outside the tree, USK_EXTERN, by name only). The sockets
 * are kept until every file is open. Connected stream and seqpacket
 * sockets are pairs: their names are not bound again.
 */
#ifndef CR_RESTORE_UNIX_H
#define CR_RESTORE_UNIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "images.h"

struct rst_usk;

struct rst_unix {
	struct rst_usk *v; /* sorted by inode */
	size_t nr;
	struct rst_usk **by_id; /* the same, sorted by file id */
	bool created;		/* every socket, by the first rst_unix_open() */
	int create_ret;		/* what creating them gave */
};

/*
 * Index the unix sockets among the @nr files.img @entries (checking them:
 * peers, names, types) and read sk-queues.img (missing: nothing queued).
 */
int rst_unix_load(struct img_dir *dir, ProtobufCMessage **entries, size_t nr, struct rst_unix *ru);

/* A new fd on the socket @e, created (with its peer) the first time. */
int rst_unix_open(struct rst_unix *ru, const UnixSkEntry *e);

/* Close the sockets rst_unix_open() kept for later files. */
void rst_unix_close_kept(struct rst_unix *ru);

void rst_unix_free(struct rst_unix *ru);

/*
 * Set the options every socket family shares (buffers, timeouts, priority,
 * ...) from @o on socket @fd (inode @ino, for messages). 0 or a negative errno.
 */
int rst_sk_opts(int fd, uint32_t ino, const SkOptsEntry *o);

#endif
