/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fingerprint of the kernel's vDSO: a restored program keeps pointers
 * into the vDSO it started with (libc resolves its functions once), so it
 * may only run on the same vDSO code. Every process of one kernel maps the
 * same vDSO, so crtool's own stands for the dumped task's.
 */
#ifndef CR_VDSO_PRINT_H
#define CR_VDSO_PRINT_H

#include <stdint.h>

#include "sha256.h"

/* The SHA-256 of this process's [vdso] into @out: 0, or a negative errno (-ENOENT: none). */
int vdso_print(uint8_t out[SHA256_LEN]);

#endif
