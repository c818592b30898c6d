/* SPDX-License-Identifier: GPL-2.0-or-later */
/* restore --inherit-fd fd[N]:ID: a file handed to the restored tree. */
#ifndef CRTOOL_INHERIT_FD_H
#define CRTOOL_INHERIT_FD_H

#include <stdbool.h>

#include "cr/cr.h"

/*
 * Parse @arg, "fd[N]:ID", into @in (in->key points into @arg). N must be
 * open in crtool: checked here, before crtool opens anything that could
 * take that number. false after printing why.
 */
bool inherit_fd_parse(const char *arg, struct cr_inherit_fd *in);

#endif
