/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unix sockets on restore. Each socket of files.img is created once, when
 * the first file that needs it is opened: both ends of a pair together
 * (socketpair(), the queued messages of each end sent from the other), a
 * listener bound and listening again, a datagram socket bound and
 * connected to its peer's name (a peer outside the tree, USK_EXTERN, by
 * name only). The created sockets are kept until every file is open.
 */
#ifndef CR_RESTORE_UNIX_H
#define CR_RESTORE_UNIX_H

#include <stddef.h>

#include "images.h"

struct rst_usk;

struct rst_unix {
	struct rst_usk *v; /* sorted by inode */
	size_t nr;
	struct rst_usk **by_id; /* the same, sorted by file id */
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

#endif
