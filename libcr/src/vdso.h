/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * This kernel's vDSO, as crtool itself maps it: every process of one
 * kernel maps the same one, so crtool's stands for a dumped task's. A
 * restored program keeps pointers into the vDSO it started with (libc
 * resolves its functions once): the dump keeps the vDSO's fingerprint, its
 * bytes and its symbols, so that a restore on another vDSO can put a proxy
 * in its place (restore-vdso.c).
 */
#ifndef CR_VDSO_H
#define CR_VDSO_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

/* Symbols a vDSO exports, at most (x86_64 has about a dozen). */
#define VDSO_MAX_SYMS 64
#define VDSO_MAX_NAME 64

struct vdso_sym {
	char name[VDSO_MAX_NAME];
	uint64_t offset; /* of its code from the vDSO's start */
};

struct vdso {
	const uint8_t *base; /* mapped here */
	size_t len;
	uint8_t sha256[SHA256_LEN];
	struct vdso_sym syms[VDSO_MAX_SYMS];
	size_t nr_syms;
};

/* This process's [vdso]: 0, or a negative errno (-ENOENT: none; logged). */
int vdso_self(struct vdso *v);

/* vdso_self() into a new *@v (to free), unless *@v is read already. 0 or a negative errno. */
int vdso_self_once(struct vdso **v);

/* The offset of function @name in @v, or -1 if it has none. */
int64_t vdso_sym_offset(const struct vdso *v, const char *name);

#endif
