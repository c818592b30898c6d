// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crtool x DIR fds: for each task, its fds (ids-PID.img gives the files
 * table N, fdinfo-N.img the fds, files.img what each is), then its cwd and
 * root (fs-PID.img).
 */
#include <stdio.h>

#include "core.pb-c.h"
#include "fs.pb-c.h"

#include "dump-files.h"
#include "dump-print.h"

static int print_task_fds(struct dump *d, const struct dump_files *fs, const struct dump_task *t)
{
	ProtobufCMessage *m, **fds;
	char line[DUMP_LINE_MAX];
	uint32_t files_id, cwd, root;
	size_t n, i;
	int ret;

	ret = dump_read_single(d, "IDS", t->pid, &task_kobj_ids_entry__descriptor, &m);
	if (ret < 0)
		return ret;
	files_id = ((TaskKobjIdsEntry *)m)->files_id;
	protobuf_c_message_free_unpacked(m, NULL);
	ret = dump_read_single(d, "FS", t->pid, &fs_entry__descriptor, &m);
	if (ret < 0)
		return ret;
	cwd = ((FsEntry *)m)->cwd_id;
	root = ((FsEntry *)m)->root_id;
	protobuf_c_message_free_unpacked(m, NULL);
	ret = dump_read_all(d, "FDINFO", files_id, &fds, &n);
	if (ret < 0)
		return ret;
	for (i = 0; i < n; i++) {
		const FdinfoEntry *fd = (const FdinfoEntry *)fds[i];

		printf("%7u  %s\n", fd->fd, dump_file_describe(fs, fd->id, line, sizeof(line)));
	}
	img_entries_free(fds, n);
	printf("%7s  %s\n", "cwd", dump_file_describe(fs, cwd, line, sizeof(line)));
	printf("%7s  %s\n", "root", dump_file_describe(fs, root, line, sizeof(line)));
	return 0;
}

int dump_print_fds(struct dump *d)
{
	struct dump_files fs;
	size_t i;
	int ret = dump_files_load(d, &fs);

	for (i = 0; !ret && i < d->nr_tasks; i++) {
		dump_print_task(&d->tasks[i]);
		/* A zombie has no files left; CRIU writes only its core. */
		if (d->tasks[i].state != DUMP_TASK_DEAD)
			ret = print_task_fds(d, &fs, &d->tasks[i]);
	}
	dump_files_free(&fs);
	return ret;
}
