// SPDX-License-Identifier: GPL-2.0-or-later
/* files.img and memfd.img of a dump, loaded once and looked up by id. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "dump-files.h"
#include "log.h"

static int cmp_file_id(const void *a, const void *b)
{
	const FileEntry *x = *(FileEntry *const *)a, *y = *(FileEntry *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int dump_files_load(struct dump *d, struct dump_files *fs)
{
	ProtobufCMessage **msgs;
	size_t n;
	int ret;

	*fs = (struct dump_files){ 0 };
	ret = dump_read_all(d, "FILES", 0, &msgs, &n);
	if (ret < 0)
		return ret;
	fs->files = (FileEntry **)msgs;
	fs->nr_files = n;
	if (n)
		qsort(fs->files, n, sizeof(*fs->files), cmp_file_id);
	/* CRIU writes memfd.img only when the tree has memfds. */
	if (faccessat(img_dir_fd(d->dir), "memfd.img", F_OK, 0))
		return 0;
	ret = dump_read_all(d, "MEMFD_INODE", 0, &msgs, &n);
	if (ret < 0) {
		dump_files_free(fs);
		return ret;
	}
	fs->memfds = (MemfdInodeEntry **)msgs;
	fs->nr_memfds = n;
	return 0;
}

void dump_files_free(struct dump_files *fs)
{
	if (fs->files)
		img_entries_free((ProtobufCMessage **)fs->files, fs->nr_files);
	if (fs->memfds)
		img_entries_free((ProtobufCMessage **)fs->memfds, fs->nr_memfds);
	*fs = (struct dump_files){ 0 };
}

const FileEntry *dump_file_find(const struct dump_files *fs, uint32_t id)
{
	FileEntry key = { .id = id }, *k = &key, **e;

	if (!fs->nr_files)
		return NULL;
	e = bsearch(&k, fs->files, fs->nr_files, sizeof(*fs->files), cmp_file_id);
	return e ? *e : NULL;
}

const char *dump_memfd_name(const struct dump_files *fs, uint64_t inode_id)
{
	size_t i;

	for (i = 0; i < fs->nr_memfds; i++)
		if (fs->memfds[i]->inode_id == inode_id)
			return fs->memfds[i]->name;
	return NULL;
}
