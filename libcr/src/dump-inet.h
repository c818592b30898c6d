/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inet sockets on dump: each TCP or UDP socket (IPv4, IPv6) is one
 * InetSkEntry in files.img. An established TCP connection (with
 * CR_DUMP_TCP_ESTABLISHED) also gets tcp-stream-<ino>.img, through
 * libsoccr: the socket stays in repair mode until dump_inet_finish().
 */
#ifndef CR_DUMP_INET_H
#define CR_DUMP_INET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "dump.h"

/* Whether our @fd is an AF_INET or AF_INET6 socket. */
bool dump_is_inet(int fd);

/*
 * The id in files.img of the inet socket open as fd @fd of task @pid (our
 * @ours), with open flags @flags: the first sight of the socket writes its
 * entry (and the state of an established connection).
 */
int dump_inet(struct dump_ctx *ctx, pid_t pid, int fd, int ours, unsigned int flags, uint32_t *id);

/*
 * Once the tree is killed or resumed: the connections dumped in repair mode
 * go on (@resume: the tree runs on) or stay in repair mode until their last
 * fd is closed, which sends nothing to the peer. Frees what dump_inet() kept.
 */
void dump_inet_finish(struct dump_ctx *ctx, bool resume);

#endif
