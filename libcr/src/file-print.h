/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fingerprint of an ELF file (an executable, a library) that a dump
 * records in its RegFileEntry and a check-only restore compares: size,
 * mtime, and the ELF build-id when the file has one, else its SHA-256.
 */
#ifndef CR_FILE_PRINT_H
#define CR_FILE_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "images.h"
#include "sha256.h"

/* Build-ids are 20 bytes (SHA-1) or 16 (MD5); this is room to spare. */
#define FILE_PRINT_BUILD_ID_WORDS 16

struct file_print {
	uint64_t size, mtime_ns;
	uint32_t build_id[FILE_PRINT_BUILD_ID_WORDS]; /* the note's bytes, CRIU's u32 words */
	size_t nr_build_id;
	uint8_t sha256[SHA256_LEN];
	bool has_sha256;
};

/*
 * Fingerprint the regular file open as @fd (stat @st): 1 when it is an
 * ELF file (*@p filled), 0 when not (or not readable), a negative errno.
 */
int file_print_read(int fd, const struct stat *st, struct file_print *p);

/* Point @reg's fingerprint fields at @p (which must outlive @reg). */
void file_print_put(const struct file_print *p, RegFileEntry *reg);

/* Whether @reg carries a fingerprint. */
bool file_print_recorded(const RegFileEntry *reg);

/* Whether the file of @p is the one @reg recorded (size and checksum). */
bool file_print_matches(const struct file_print *p, const RegFileEntry *reg);

#endif
