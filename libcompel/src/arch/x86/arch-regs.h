/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x86_64 register set: the kernel's NT_PRSTATUS layout. */
#ifndef COMPEL_ARCH_REGS_H
#define COMPEL_ARCH_REGS_H

#include <sys/user.h>

struct arch_regs {
	struct user_regs_struct gpr;
};

#endif
