/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* epoll on restore: created empty with the other files, filled once a task's fds are in place. */
#ifndef CR_RESTORE_EPOLL_H
#define CR_RESTORE_EPOLL_H

#include "images.h"
#include "restore.h"

/* A new epoll (close-on-exec) without targets, with the flags of @e; or a negative errno. */
int rst_epoll_open(const EventpollFileEntry *e);

/* In task @t, after rst_files_install(): add the targets of the epolls it is the first to hold. */
int rst_epoll_install(struct rst_ctx *ctx, struct rst_task *t);

#endif
