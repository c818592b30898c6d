/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A restore on another vDSO than the dump's (another kernel build): this
 * kernel's vDSO goes where the dumped layout leaves room, and in the dumped
 * vDSO's place goes a proxy: a copy of the dumped vDSO's bytes (what
 * AT_SYSINFO_EHDR still points at) with a jump at each of its functions to
 * the function of the same name in this kernel's. The program's pointers
 * into its old vDSO so lead to the new one.
 */
#ifndef CR_RESTORE_VDSO_H
#define CR_RESTORE_VDSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "images.h"
#include "vdso.h"

/* The dumped [vdso] area of @mm, NULL if it had none. */
const VmaEntry *rst_vdso_area(const MmEntry *mm);

/* Whether @mm ran on @here: true also when the image does not say (CRIU's). */
bool rst_vdso_same(const MmEntry *mm, const struct vdso *here);

/*
 * Whether a proxy can stand for @mm's vDSO on @here: its bytes and
 * functions are in the image, fit its area, and @here has every one of
 * them. 0, or -EOPNOTSUPP with the reason in @why.
 */
int rst_vdso_proxy_check(const MmEntry *mm, const struct vdso *here, char *why, size_t size);

/*
 * Write the proxy of @mm's vDSO (rst_vdso_proxy_check() passed) at @at,
 * writable and as long as its area, for @here moved to @new_base.
 */
void rst_vdso_proxy_fill(const MmEntry *mm, const struct vdso *here, uint8_t *at,
			 uint64_t new_base);

#endif
