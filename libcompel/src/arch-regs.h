/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Picks the register set of the architecture we build for (see arch.h). */
#if defined(__x86_64__)
#include "arch/x86/arch-regs.h"
#else
#error "libcompel: no src/arch/ folder for this architecture"
#endif
