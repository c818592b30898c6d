// SPDX-License-Identifier: GPL-2.0-or-later
/* Opening a whole dump: pstree.img, then each task's core for its comm and state. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core.pb-c.h"
#include "pstree.pb-c.h"

#include "dump.h"
#include "log.h"

int dump_read_all(struct dump *d, const char *kind, unsigned long id, ProtobufCMessage ***msgs,
		  size_t *n)
{
	struct img_file *f = img_file_open(d->dir, kind, id, IMG_READ);
	int ret;

	if (!f)
		return -errno;
	ret = img_file_read_all(f, msgs, n);
	img_file_close(f);
	return ret;
}

int dump_read_single(struct dump *d, const char *kind, unsigned long id,
		     const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg)
{
	struct img_file *f = img_file_open(d->dir, kind, id, IMG_READ);
	ProtobufCMessage *extra = NULL;
	int ret;

	if (!f)
		return -errno;
	ret = img_file_read_entry(f, desc, msg);
	if (ret == 0) {
		pr_err("%s: no entry", img_file_name(f));
		ret = -ENODATA;
	} else if (ret > 0) {
		ret = img_file_read_entry(f, desc, &extra);
		if (ret > 0) {
			pr_err("%s: more than one entry", img_file_name(f));
			protobuf_c_message_free_unpacked(extra, NULL);
			ret = -EINVAL;
		}
		if (ret < 0)
			protobuf_c_message_free_unpacked(*msg, NULL);
	}
	img_file_close(f);
	return ret;
}

/* The comm and state of @t from core-PID.img. */
static int read_core(struct dump *d, struct dump_task *t)
{
	ProtobufCMessage *m;
	const CoreEntry *core;
	int ret = dump_read_single(d, "CORE", t->pid, &core_entry__descriptor, &m);

	if (ret < 0)
		return ret;
	core = (const CoreEntry *)m;
	if (!core->tc) {
		pr_err("core-%u.img: no task core (is %u a thread?)", t->pid, t->pid);
		ret = -EINVAL;
	} else {
		snprintf(t->comm, sizeof(t->comm), "%s", core->tc->comm);
		t->state = core->tc->task_state;
	}
	protobuf_c_message_free_unpacked(m, NULL);
	return ret;
}

static int read_pstree(struct dump *d)
{
	ProtobufCMessage **msgs;
	size_t n, i;
	int ret = dump_read_all(d, "PSTREE", 0, &msgs, &n);

	if (ret < 0)
		return ret;
	if (!n) {
		pr_err("pstree.img: no tasks");
		img_entries_free(msgs, n);
		return -ENODATA;
	}
	d->tasks = calloc(n, sizeof(*d->tasks));
	if (!d->tasks) {
		img_entries_free(msgs, n);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const PstreeEntry *e = (const PstreeEntry *)msgs[i];

		d->tasks[i] = (struct dump_task){ .pid = e->pid, .ppid = e->ppid, .pgid = e->pgid,
						  .sid = e->sid, .nr_threads = e->n_threads };
	}
	d->nr_tasks = n;
	img_entries_free(msgs, n);
	return 0;
}

int dump_open(struct dump *d, const char *path)
{
	size_t i;
	int ret;

	*d = (struct dump){ .path = path };
	d->dir = img_dir_open(path, 0); /* logs why it fails */
	if (!d->dir)
		return -errno;
	ret = read_pstree(d);
	for (i = 0; !ret && i < d->nr_tasks; i++)
		ret = read_core(d, &d->tasks[i]);
	ret = ret ?: dump_tree_sort(d->tasks, d->nr_tasks);
	if (ret) {
		pr_err("cannot read the process tree of the dump in %s", path);
		dump_close(d);
	}
	return ret;
}

void dump_close(struct dump *d)
{
	img_dir_close(d->dir);
	free(d->tasks);
	*d = (struct dump){ 0 };
}
