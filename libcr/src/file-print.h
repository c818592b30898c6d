/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fingerprint of a regular file that a dump records in its
 * RegFileEntry: size and mtime, which every restore compares (a file
 * changed since the dump is stale), and for an ELF file (an executable, a
 * library) the build-id when it has one, else its SHA-256, which a
 * check-only restore compares.
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

/* The modification time of @st in nanoseconds, as RegFileEntry.mtime_ns holds it. */
uint64_t file_print_mtime_ns(const struct stat *st);

/*
 * Fingerprint the regular file open as @fd (stat @st): 1 when it is an
 * ELF file (*@p filled), 0 when not or not readable (only size and mtime
 * filled), a negative errno.
 */
int file_print_read(int fd, const struct stat *st, struct file_print *p);

/* Point @reg's fingerprint fields (size and mtime at least) at @p (which must outlive @reg). */
void file_print_put(const struct file_print *p, RegFileEntry *reg);

/* Whether @reg carries a fingerprint. */
bool file_print_recorded(const RegFileEntry *reg);

/* Whether the file of @p is the one @reg recorded (size and checksum). */
bool file_print_matches(const struct file_print *p, const RegFileEntry *reg);

#endif
