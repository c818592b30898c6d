// SPDX-License-Identifier: LGPL-2.1-or-later
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file-print.h"

/* Bounds on what an ELF file may make us read. */
#define MAX_PHDRS 256
#define MAX_NOTES (64u << 10)
#define HASH_BUF (1u << 20)

static int read_at(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -ENODATA;
}

/* The GNU build-id note among @len bytes of notes, into @p. */
static void find_build_id(const uint8_t *notes, size_t len, struct file_print *p)
{
	size_t off = 0;

	while (off + sizeof(Elf64_Nhdr) <= len) {
		Elf64_Nhdr n;
		size_t name, desc;

		memcpy(&n, notes + off, sizeof(n));
		off += sizeof(n);
		name = ((size_t)n.n_namesz + 3) & ~(size_t)3;
		desc = ((size_t)n.n_descsz + 3) & ~(size_t)3;
		if (name > len - off || desc > len - off - name)
			return;
		if (n.n_type == NT_GNU_BUILD_ID && n.n_namesz == 4 &&
		    !memcmp(notes + off, "GNU", 4) && n.n_descsz && desc <= sizeof(p->build_id)) {
			memset(p->build_id, 0, sizeof(p->build_id));
			memcpy(p->build_id, notes + off + name, n.n_descsz);
			p->nr_build_id = desc / 4;
			return;
		}
		off += name + desc;
	}
}

static int read_build_id(int fd, const Elf64_Ehdr *eh, struct file_print *p)
{
	Elf64_Phdr ph[MAX_PHDRS];
	uint8_t *notes;
	int ret;

	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum > MAX_PHDRS)
		return 0;
	ret = read_at(fd, ph, eh->e_phnum * sizeof(ph[0]), (off_t)eh->e_phoff);
	if (ret)
		return ret == -ENODATA ? 0 : ret;
	for (int i = 0; i < eh->e_phnum && !p->nr_build_id; i++) {
		if (ph[i].p_type != PT_NOTE || ph[i].p_filesz > MAX_NOTES)
			continue;
		notes = malloc(ph[i].p_filesz);
		if (!notes)
			return -ENOMEM;
		ret = read_at(fd, notes, ph[i].p_filesz, (off_t)ph[i].p_offset);
		if (!ret)
			find_build_id(notes, ph[i].p_filesz, p);
		free(notes);
		if (ret && ret != -ENODATA)
			return ret;
	}
	return 0;
}

static int hash_file(int fd, struct file_print *p)
{
	uint8_t *buf = malloc(HASH_BUF);
	struct sha256 s;
	off_t off = 0;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	sha256_init(&s);
	while ((n = pread(fd, buf, HASH_BUF, off)) > 0) {
		sha256_update(&s, buf, (size_t)n);
		off += n;
	}
	free(buf);
	if (n < 0)
		return -errno;
	sha256_final(&s, p->sha256);
	p->has_sha256 = true;
	return 0;
}

uint64_t file_print_mtime_ns(const struct stat *st)
{
	return (uint64_t)st->st_mtim.tv_sec * 1000000000 + (uint64_t)st->st_mtim.tv_nsec;
}

int file_print_read(int fd, const struct stat *st, struct file_print *p)
{
	Elf64_Ehdr eh;
	int ret;

	memset(p, 0, sizeof(*p));
	if (!S_ISREG(st->st_mode))
		return 0;
	p->size = (uint64_t)st->st_size;
	p->mtime_ns = file_print_mtime_ns(st);
	/* Not readable through this fd (O_WRONLY), too short: not an ELF to us. */
	if (read_at(fd, &eh, sizeof(eh), 0) || memcmp(eh.e_ident, ELFMAG, SELFMAG))
		return 0;
	ret = eh.e_ident[EI_CLASS] == ELFCLASS64 ? read_build_id(fd, &eh, p) : 0;
	if (!ret && !p->nr_build_id)
		ret = hash_file(fd, p);
	return ret ? ret : 1;
}

void file_print_put(const struct file_print *p, RegFileEntry *reg)
{
	reg->has_size = true;
	reg->size = p->size;
	reg->has_mtime_ns = true;
	reg->mtime_ns = p->mtime_ns;
	reg->n_build_id = p->nr_build_id;
	reg->build_id = (uint32_t *)p->build_id;
	reg->has_sha256 = p->has_sha256;
	reg->sha256.data = (uint8_t *)p->sha256;
	reg->sha256.len = p->has_sha256 ? SHA256_LEN : 0;
}

bool file_print_recorded(const RegFileEntry *reg)
{
	return reg->n_build_id || (reg->has_sha256 && reg->sha256.len == SHA256_LEN);
}

bool file_print_matches(const struct file_print *p, const RegFileEntry *reg)
{
	if (reg->has_size && reg->size != p->size)
		return false;
	if (reg->n_build_id)
		return reg->n_build_id == p->nr_build_id &&
		       !memcmp(reg->build_id, p->build_id, p->nr_build_id * sizeof(uint32_t));
	return p->has_sha256 && reg->sha256.len == SHA256_LEN &&
	       !memcmp(reg->sha256.data, p->sha256, SHA256_LEN);
}
