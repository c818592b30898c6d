/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ids of files.img: one per open file of the dumped tree, from 1. A
 * regular file met again (the same struct file, told by kcmp) gets the id
 * it got the first time; pipes and other kinds take fresh numbers from the
 * same counter.
 */
#ifndef CR_FILE_IDS_H
#define CR_FILE_IDS_H

#include <stdint.h>
#include <sys/types.h>

#include "images.h"

struct dump_ctx;

/* Files known to a dump; at most this many are remembered. */
#define FILE_IDS_MAX 65536

struct file_id {
	uint32_t id;
	dev_t dev;
	ino_t ino;
	int fd;		/* our duplicate of the file, for kcmp; -1 when none could be kept */
};

/* A file that tasks map (or run): one id per inode and open mode. */
struct mapped_file {
	dev_t dev;
	ino_t ino;
	unsigned int flags;
	uint32_t id;
};

struct file_ids {
	uint32_t last;		/* the last id handed out */
	size_t nr, cap;
	struct file_id *files;
	size_t nr_mapped, cap_mapped;
	struct mapped_file *mapped;
};

/* An empty table, or NULL with errno. */
struct file_ids *file_ids_new(void);

/* Close the kept duplicates and free @ids (NULL is fine). */
void file_ids_free(struct file_ids *ids);

/* A new id nobody has yet (for pipes, sockets, ...); 0 when they run out. */
uint32_t file_ids_next(struct file_ids *ids);

/*
 * The id of the struct file behind our @fd (of inode @dev/@ino) when it
 * was added before, else 0.
 */
uint32_t file_ids_find(const struct file_ids *ids, int fd, dev_t dev, ino_t ino);

/*
 * Remember that the struct file behind @fd has id @id (a duplicate of @fd
 * is kept for later comparisons). 0 or a negative errno.
 */
int file_ids_add(struct file_ids *ids, int fd, dev_t dev, ino_t ino, uint32_t id);

/* A new id for the struct file behind @fd, remembered with file_ids_add(). */
int file_ids_assign(struct file_ids *ids, int fd, dev_t dev, ino_t ino, uint32_t *id);

/*
 * dump_reg_file() for the file behind a mapping of task @pid (or its exe),
 * opened by us as @fd with @flags: every mapping of the same inode with the
 * same @flags in the whole dump shares one id, whichever open gave it.
 * 0 or a negative errno.
 */
int dump_mapped_file(struct dump_ctx *ctx, pid_t pid, int fd, unsigned int flags, uint32_t *id);

/*
 * The id of the open file behind our @fd: 1 with *@id set when it has one
 * already (its entry is written); else 0 with a new *@id and @fown filled
 * for the entry the caller writes now. Or a negative errno.
 */
int file_ids_claim(struct file_ids *ids, int fd, uint32_t *id, FownEntry *fown);

/* Fill @fown from the F_SETOWN state of the open file @fd. 0 or a negative errno. */
int dump_fown(int fd, FownEntry *fown);

#endif
