/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The files of a dump (files.img, and memfd.img for memfd names), looked up
 * by id and described for a person, much as /proc/PID/fd's links read.
 */
#ifndef CRTOOL_DUMP_FILES_H
#define CRTOOL_DUMP_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "fdinfo.pb-c.h"
#include "memfd.pb-c.h"

#include "dump.h"

/* Room for one described file or memory area. */
#define DUMP_LINE_MAX 1024

struct dump_files {
	FileEntry **files; /* sorted by id */
	size_t nr_files;
	MemfdInodeEntry **memfds; /* memfd.img: only in dumps with memfds */
	size_t nr_memfds;
};

int dump_files_load(struct dump *d, struct dump_files *fs);
void dump_files_free(struct dump_files *fs);

/* The entry of file @id, or NULL. */
const FileEntry *dump_file_find(const struct dump_files *fs, uint32_t id);

/*
 * What file @id is, written into @buf: a path for regular files, pipe:[ID],
 * a socket's kind and addresses, anon_inode:[eventfd]... Returns @buf.
 */
const char *dump_file_describe(const struct dump_files *fs, uint32_t id, char *buf, size_t size);

/* The name of memfd inode @inode_id, or NULL. */
const char *dump_memfd_name(const struct dump_files *fs, uint64_t inode_id);

#endif
