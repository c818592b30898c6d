/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* eventfd, signalfd and timerfd on restore. */
#ifndef CR_RESTORE_ANON_FDS_H
#define CR_RESTORE_ANON_FDS_H

#include "images.h"

/* A new open file (close-on-exec) as eventfd, signalfd or timerfd entry @fe describes, or a
 * negative errno. */
int rst_anon_open(const FileEntry *fe);

#endif
