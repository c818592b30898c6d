/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The rt_sigframe a restored thread returns through (x86_64). */
#ifndef CR_SIGFRAME_X86_H
#define CR_SIGFRAME_X86_H

#include <stddef.h>
#include <stdint.h>

#include "images.h"

/* The XSAVE features enabled on this CPU (XCR0). */
uint64_t x86_xcr0(void);

/* "avx512-opmask amx-tiledata bit42": the XSAVE features of @mask by name, in @buf. */
void x86_xfeatures_text(uint64_t mask, char *buf, size_t len);

/* Bytes a frame takes, its xsave area included (a multiple of 64). */
size_t rst_sigframe_size(void);

/*
 * Whether this CPU can run the registers of @core: the XSAVE features it
 * uses are enabled here (XCR0) and each of its components fits this CPU's
 * layout. 0, -EOPNOTSUPP naming what is missing, or -EINVAL (logged).
 */
int rst_sigframe_check(const CoreEntry *core);

/*
 * Build at @buf (64-byte aligned, rst_sigframe_size() bytes, at the
 * address it keeps until rt_sigreturn) the frame that returns into the
 * registers of @core with @blocked as signal mask and @sas as the
 * alternate stack (NULL: none). 0 or a negative errno (logged).
 */
int rst_sigframe_build(void *buf, const CoreEntry *core, uint64_t blocked,
		       const ThreadSasEntry *sas);

#endif
