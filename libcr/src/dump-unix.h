/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unix sockets on dump: each socket is one UnixSkEntry in files.img (its
 * id shared by every fd of the same open file), the messages queued on it
 * SkPacketEntry records in sk-queues.img, each followed by its bytes.
 */
#ifndef CR_DUMP_UNIX_H
#define CR_DUMP_UNIX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "dump.h"

/* uflags of a UnixSkEntry (criu's values). */
#define USK_EXTERN 0x1 /* a peer outside the tree, never opened by a task */

/*
 * The options of our socket @fd that every socket family has (buffers,
 * timeouts, priority, mark, passcred, ...). 0 or a negative errno.
 */
int dump_sk_opts(int fd, SkOptsEntry *o);

/* Whether our @fd is an AF_UNIX socket. */
bool dump_is_unix(int fd);

/*
 * The id in files.img of the unix socket open as fd @fd of task @pid (our
 * @ours), with open flags @flags. The first sight of the socket copies its
 * queued messages (left in place) and remembers it; its entry is written by
 * dump_unix_finish(), when every peer in the tree is known.
 */
int dump_unix(struct dump_ctx *ctx, pid_t pid, int fd, int ours, unsigned int flags, uint32_t *id);

/*
 * With @write: check every peer (outside the tree: refused unless
 * CR_DUMP_EXT_UNIX_SK) and write the entries; then release everything and
 * close sk-queues.img. 0 or a negative errno.
 */
int dump_unix_finish(struct dump_ctx *ctx, bool write);

#endif
