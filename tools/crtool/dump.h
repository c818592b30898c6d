/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A whole dump, read through libimg for the summaries of "crtool show DIR"
 * and "crtool x DIR ...": the process tree with each task's comm, in tree
 * order, and the helpers the summaries share. Every function logs what went
 * wrong (naming the image) and returns a negative errno.
 */
#ifndef CRTOOL_DUMP_H
#define CRTOOL_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "img/img.h"

/* CRIU's task states (task_core_entry.task_state). */
#define DUMP_TASK_ALIVE 1
#define DUMP_TASK_DEAD 2 /* a zombie: only its core and pstree entry exist */
#define DUMP_TASK_STOPPED 3

struct dump_task {
	uint32_t pid, ppid, pgid, sid;
	size_t nr_threads;
	uint32_t state;
	char comm[32];
	unsigned int depth; /* 0 for a root of the tree */
};

struct dump {
	const char *path;
	struct img_dir *dir;
	struct dump_task *tasks; /* in tree order: each parent before its children */
	size_t nr_tasks;
};

/* Open the dump in the folder @path: pstree.img and each task's core. */
int dump_open(struct dump *d, const char *path);
void dump_close(struct dump *d);

/*
 * Read the one entry of image @kind/@id as message @desc into *@msg (the
 * caller frees it with protobuf_c_message_free_unpacked()). An image with
 * no entry, or more than one, is an error.
 */
int dump_read_single(struct dump *d, const char *kind, unsigned long id,
		     const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg);

/* Read every entry of image @kind/@id, as img_file_read_all(). */
int dump_read_all(struct dump *d, const char *kind, unsigned long id, ProtobufCMessage ***msgs,
		  size_t *n);

/*
 * Put the tasks in tree order and set their depth. Fails with -EINVAL when
 * a PID repeats or some tasks form a cycle of parents.
 */
int dump_tree_sort(struct dump_task *tasks, size_t n);

#endif
