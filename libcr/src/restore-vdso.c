// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "img/vma.h"
#include "restore-vdso.h"

/* jmp *0(%rip) and the absolute address it reads: no register is touched. */
#define STUB_LEN 14

const VmaEntry *rst_vdso_area(const MmEntry *mm)
{
	for (size_t i = 0; i < mm->n_vmas; i++)
		if (mm->vmas[i]->status & IMG_VMA_AREA_VDSO)
			return mm->vmas[i];
	return NULL;
}

bool rst_vdso_same(const MmEntry *mm, const struct vdso *here)
{
	return !mm->has_vdso_sha256 || (mm->vdso_sha256.len == SHA256_LEN &&
					 !memcmp(mm->vdso_sha256.data, here->sha256, SHA256_LEN));
}

static int cmp_offset(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int rst_vdso_proxy_check(const MmEntry *mm, const struct vdso *here, char *why, size_t size)
{
	const VmaEntry *area = rst_vdso_area(mm);
	uint64_t offsets[VDSO_MAX_SYMS];
	size_t i, n = mm->n_vdso_symbols;

	if (!area || !mm->has_vdso || mm->vdso.len != area->end - area->start || !n ||
	    n > VDSO_MAX_SYMS) {
		snprintf(why, size, "the images hold no usable copy of it");
		return -EOPNOTSUPP;
	}
	for (i = 0; i < n; i++) {
		const VdsoSymbol *s = mm->vdso_symbols[i];

		if (s->offset > mm->vdso.len - STUB_LEN) {
			snprintf(why, size, "its function %s lies outside it", s->name);
			return -EOPNOTSUPP;
		}
		if (vdso_sym_offset(here, s->name) < 0) {
			snprintf(why, size, "this kernel's has no %s", s->name);
			return -EOPNOTSUPP;
		}
		offsets[i] = s->offset;
	}
	/* Aliases share a stub; two functions closer than one stub do not fit. */
	qsort(offsets, n, sizeof(offsets[0]), cmp_offset);
	for (i = 1; i < n; i++)
		if (offsets[i] != offsets[i - 1] && offsets[i] - offsets[i - 1] < STUB_LEN) {
			snprintf(why, size, "its functions at %#" PRIx64 " and %#" PRIx64
				 " are too close for jumps",
				 offsets[i - 1], offsets[i]);
			return -EOPNOTSUPP;
		}
	return 0;
}

void rst_vdso_proxy_fill(const MmEntry *mm, const struct vdso *here, uint8_t *at,
			 uint64_t new_base)
{
	static const uint8_t jmp[6] = { 0xff, 0x25, 0, 0, 0, 0 };

	memcpy(at, mm->vdso.data, mm->vdso.len);
	for (size_t i = 0; i < mm->n_vdso_symbols; i++) {
		const VdsoSymbol *s = mm->vdso_symbols[i];
		uint64_t to = new_base + (uint64_t)vdso_sym_offset(here, s->name);

		memcpy(at + s->offset, jmp, sizeof(jmp));
		memcpy(at + s->offset + sizeof(jmp), &to, sizeof(to));
	}
}
