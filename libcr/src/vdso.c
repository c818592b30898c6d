// SPDX-License-Identifier: LGPL-2.1-or-later
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib-log.h"
#include "proc-maps.h"
#include "vdso.h"

static int find_vdso(const struct proc_vma *v, void *arg)
{
	struct vdso *vd = arg;

	if (v->kind == PROC_VMA_VDSO) {
		vd->base = (const uint8_t *)(uintptr_t)v->start;
		vd->len = v->end - v->start;
	}
	return 0;
}

/* Section @i of the vDSO image, NULL when the headers lie outside it. */
static const Elf64_Shdr *section(const struct vdso *v, const Elf64_Ehdr *eh, unsigned int i)
{
	uint64_t at = eh->e_shoff + (uint64_t)i * sizeof(Elf64_Shdr);

	if (i >= eh->e_shnum || eh->e_shentsize != sizeof(Elf64_Shdr) || at > v->len ||
	    v->len - at < sizeof(Elf64_Shdr))
		return NULL;
	return (const Elf64_Shdr *)(v->base + at);
}

static int within(const struct vdso *v, const Elf64_Shdr *s)
{
	return s->sh_offset <= v->len && s->sh_size <= v->len - s->sh_offset;
}

/* The functions of the dynamic symbol table, from the section headers. */
static int read_syms(struct vdso *v)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)v->base;
	const Elf64_Shdr *sym = NULL, *str;
	unsigned int i;

	if (v->len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64)
		return -ENOEXEC;
	for (i = 0; i < eh->e_shnum && !sym; i++) {
		const Elf64_Shdr *s = section(v, eh, i);

		if (!s)
			return -ENOEXEC;
		if (s->sh_type == SHT_DYNSYM)
			sym = s;
	}
	str = sym ? section(v, eh, sym->sh_link) : NULL;
	if (!str || !within(v, sym) || !within(v, str) || sym->sh_entsize != sizeof(Elf64_Sym))
		return -ENOEXEC;
	for (i = 0; i < sym->sh_size / sizeof(Elf64_Sym); i++) {
		const Elf64_Sym *s = (const Elf64_Sym *)(v->base + sym->sh_offset) + i;
		const char *name = (const char *)v->base + str->sh_offset + s->st_name;
		struct vdso_sym *out = &v->syms[v->nr_syms];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || !s->st_value ||
		    s->st_name >= str->sh_size ||
		    !memchr(name, '\0', str->sh_size - s->st_name) ||
		    strlen(name) >= VDSO_MAX_NAME || v->nr_syms == VDSO_MAX_SYMS)
			continue;
		strcpy(out->name, name);
		out->offset = s->st_value;
		v->nr_syms++;
	}
	return 0;
}

int vdso_self(struct vdso *v)
{
	struct sha256 s;
	int ret;

	memset(v, 0, sizeof(*v));
	ret = proc_smaps_read(getpid(), false, find_vdso, v);
	if (!ret && !v->base)
		ret = -ENOENT;
	if (!ret)
		ret = read_syms(v);
	if (ret) {
		pr_err("cannot read this kernel's vdso: %s", strerror(-ret));
		return ret;
	}
	sha256_init(&s);
	sha256_update(&s, v->base, v->len);
	sha256_final(&s, v->sha256);
	return 0;
}

int vdso_self_once(struct vdso **v)
{
	int ret;

	if (*v)
		return 0;
	*v = malloc(sizeof(**v));
	if (!*v)
		return -ENOMEM;
	ret = vdso_self(*v);
	if (ret) {
		free(*v);
		*v = NULL;
	}
	return ret;
}

int64_t vdso_sym_offset(const struct vdso *v, const char *name)
{
	for (size_t i = 0; i < v->nr_syms; i++)
		if (!strcmp(v->syms[i].name, name))
			return (int64_t)v->syms[i].offset;
	return -1;
}
