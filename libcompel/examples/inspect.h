/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Commands of the compel-inspect parasite. */
#ifndef COMPEL_EXAMPLE_INSPECT_H
#define COMPEL_EXAMPLE_INSPECT_H

#define INSPECT_NR_SIGNALS 64

enum {
	INSPECT_HANDLERS,	/* out: unsigned long handler[INSPECT_NR_SIGNALS] */
	INSPECT_SEND_FD,	/* in: int fd; the fd comes back over the socket */
};

#endif
