// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The fingerprint a check-only restore compares: SHA-256 on the FIPS 180-4
 * example messages, and file_print_read() on ELF files made here, with and
 * without a GNU build-id note, and on a file that is no ELF.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "file-print.h"

static void hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < SHA256_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_sha(const void *msg, size_t len, size_t chunk, const char *want)
{
	uint8_t d[SHA256_LEN];
	char got[2 * SHA256_LEN + 1];
	struct sha256 s;

	sha256_init(&s);
	for (size_t off = 0; off < len; off += chunk)
		sha256_update(&s, (const char *)msg + off, len - off < chunk ? len - off : chunk);
	sha256_final(&s, d);
	hex(d, got);
	assert_string_equal(got, want);
}

static void test_sha256_vectors(void **state)
{
	const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char *million = malloc(1000000);

	(void)state;
	check_sha("", 0, 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_sha("abc", 3, 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* 56 bytes: the length no longer fits in the first block */
	for (size_t chunk = 1; chunk <= 64; chunk++)
		check_sha(two_blocks, strlen(two_blocks), chunk,
			  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(million);
	memset(million, 'a', 1000000);
	check_sha(million, 1000000, 4096,
		  "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* An ELF64 header, one PT_NOTE program header, the note, then @tail. */
struct tiny_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	Elf64_Nhdr nh;
	char name[4];
	uint8_t desc[20];
	char tail[16];
};

static int write_temp(const void *data, size_t len, struct stat *st)
{
	char path[] = "/tmp/crtool-print.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fstat(fd, st), 0);
	return fd;
}

static void make_elf(struct tiny_elf *e, uint32_t note_type)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
	e->eh.e_ident[EI_CLASS] = ELFCLASS64;
	e->eh.e_phoff = offsetof(struct tiny_elf, ph);
	e->eh.e_phentsize = sizeof(Elf64_Phdr);
	e->eh.e_phnum = 1;
	e->ph.p_type = PT_NOTE;
	e->ph.p_offset = offsetof(struct tiny_elf, nh);
	e->ph.p_filesz = sizeof(e->nh) + sizeof(e->name) + sizeof(e->desc);
	e->nh.n_namesz = 4;
	e->nh.n_descsz = sizeof(e->desc);
	e->nh.n_type = note_type;
	memcpy(e->name, "GNU", 4);
	for (size_t i = 0; i < sizeof(e->desc); i++)
		e->desc[i] = (uint8_t)(0xa0 + i);
	strcpy(e->tail, "some code");
}

static void test_build_id(void **state)
{
	RegFileEntry reg = REG_FILE_ENTRY__INIT;
	struct file_print p, again;
	struct tiny_elf e;
	struct stat st;
	int fd;

	(void)state;
	make_elf(&e, NT_GNU_BUILD_ID);
	fd = write_temp(&e, sizeof(e), &st);
	assert_int_equal(file_print_read(fd, &st, &p), 1);
	assert_int_equal(p.nr_build_id, 5);
	assert_memory_equal(p.build_id, e.desc, sizeof(e.desc));
	assert_false(p.has_sha256);
	assert_int_equal(p.size, sizeof(e));
	file_print_put(&p, &reg);
	assert_true(file_print_recorded(&reg));
	assert_true(file_print_matches(&p, &reg));

	/* other code with the same build-id and size still matches; another size does not */
	assert_int_equal(pwrite(fd, "other", 5, offsetof(struct tiny_elf, tail)), 5);
	assert_int_equal(file_print_read(fd, &st, &again), 1);
	assert_true(file_print_matches(&again, &reg));
	assert_int_equal(write(fd, "x", 1), 1);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(file_print_read(fd, &st, &again), 1);
	assert_false(file_print_matches(&again, &reg));
	close(fd);
}

static void test_sha256_fallback(void **state)
{
	RegFileEntry reg = REG_FILE_ENTRY__INIT;
	struct file_print p, again;
	struct tiny_elf e;
	struct stat st;
	int fd;

	(void)state;
	make_elf(&e, NT_GNU_ABI_TAG); /* a note, but no build-id */
	fd = write_temp(&e, sizeof(e), &st);
	assert_int_equal(file_print_read(fd, &st, &p), 1);
	assert_int_equal(p.nr_build_id, 0);
	assert_true(p.has_sha256);
	file_print_put(&p, &reg);
	assert_true(file_print_recorded(&reg));
	assert_true(file_print_matches(&p, &reg));

	/* one byte changed, same size: the content differs */
	assert_int_equal(pwrite(fd, "X", 1, offsetof(struct tiny_elf, tail)), 1);
	assert_int_equal(file_print_read(fd, &st, &again), 1);
	assert_false(file_print_matches(&again, &reg));
	close(fd);
}

static void test_not_elf(void **state)
{
	struct tiny_elf e;
	struct file_print p;
	struct stat st;
	int fd;

	(void)state;
	make_elf(&e, NT_GNU_BUILD_ID);
	e.eh.e_ident[1] = 'X';
	fd = write_temp(&e, sizeof(e), &st);
	assert_int_equal(file_print_read(fd, &st, &p), 0);
	close(fd);
	/* shorter than an ELF header */
	fd = write_temp("\177ELF", 4, &st);
	assert_int_equal(file_print_read(fd, &st, &p), 0);
	close(fd);
	/* size and mtime, which every restore compares, without any checksum */
	assert_int_equal(p.size, 4);
	assert_int_equal(p.mtime_ns, file_print_mtime_ns(&st));
	assert_true(p.mtime_ns / 1000000000 == (uint64_t)st.st_mtim.tv_sec);
	assert_int_equal(p.nr_build_id, 0);
	assert_false(p.has_sha256);
}

/* A note header whose sizes point past the notes: no build-id, no overread. */
static void test_bad_note(void **state)
{
	struct file_print p;
	struct tiny_elf e;
	struct stat st;
	int fd;

	(void)state;
	make_elf(&e, NT_GNU_BUILD_ID);
	e.nh.n_descsz = 0xfffffff0;
	fd = write_temp(&e, sizeof(e), &st);
	assert_int_equal(file_print_read(fd, &st, &p), 1);
	assert_int_equal(p.nr_build_id, 0);
	assert_true(p.has_sha256);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),	cmocka_unit_test(test_build_id),
		cmocka_unit_test(test_sha256_fallback), cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_bad_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
