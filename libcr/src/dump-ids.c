// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dump-ids.h"
#include "images.h"
#include "lib-log.h"

/* The namespaces ids-PID.img names, in TaskKobjIdsEntry's order. */
static const char *const ns_names[] = {
	"pid", "net", "ipc", "uts", "mnt", "user", "cgroup", "time",
};
#define NR_NS (sizeof(ns_names) / sizeof(ns_names[0]))
/* Distinct namespaces of one kind a dump may see. */
#define NS_MAX 64

struct ns_ids {
	unsigned long long ino[NR_NS][NS_MAX];
	unsigned int nr[NR_NS];
	uint32_t next;
};

static int ns_id(struct ns_ids *ids, pid_t pid, size_t kind, uint32_t *id)
{
	char path[64];
	struct stat st;
	unsigned int i;

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, ns_names[kind]);
	if (stat(path, &st)) {
		pr_perror("cannot stat %s", path);
		return -errno;
	}
	for (i = 0; i < ids->nr[kind]; i++)
		if (ids->ino[kind][i] == st.st_ino)
			break;
	if (i == ids->nr[kind]) {
		if (i == NS_MAX)
			return -E2BIG;
		ids->ino[kind][ids->nr[kind]++] = st.st_ino;
	}
	/* Ids are unique across kinds, as CRIU numbers them. */
	*id = kind * NS_MAX + i + 1;
	return 0;
}

static int fill_ids(struct ns_ids *ns, pid_t pid, uint32_t own, TaskKobjIdsEntry *e)
{
	uint32_t *fields[NR_NS] = {
		&e->pid_ns_id, &e->net_ns_id, &e->ipc_ns_id, &e->uts_ns_id,
		&e->mnt_ns_id, &e->user_ns_id, &e->cgroup_ns_id, &e->time_ns_id,
	};
	protobuf_c_boolean *has[NR_NS] = {
		&e->has_pid_ns_id, &e->has_net_ns_id, &e->has_ipc_ns_id, &e->has_uts_ns_id,
		&e->has_mnt_ns_id, &e->has_user_ns_id, &e->has_cgroup_ns_id, &e->has_time_ns_id,
	};

	e->vm_id = e->files_id = e->fs_id = e->sighand_id = own;
	for (size_t k = 0; k < NR_NS; k++) {
		int ret = ns_id(ns, pid, k, fields[k]);

		if (ret)
			return ret;
		*has[k] = 1;
	}
	return 0;
}

int dump_ids(struct img_dir *dir, struct dump_tree *tree, bool check_only)
{
	struct ns_ids ns = { 0 };
	InventoryEntry inv = INVENTORY_ENTRY__INIT;
	TaskKobjIdsEntry root = TASK_KOBJ_IDS_ENTRY__INIT;
	int ret;

	for (size_t i = 0; i < tree->nr; i++) {
		struct dump_task *t = &tree->tasks[i];
		TaskKobjIdsEntry e = TASK_KOBJ_IDS_ENTRY__INIT;

		if (dump_task_is_zombie(t))
			continue;
		ret = fill_ids(&ns, t->pt->pid, t->ids_base, &e);
		if (!ret)
			ret = cr_img_write_one(dir, "IDS", t->pt->pid, &e.base);
		if (ret)
			return ret;
		if (i == 0)
			root = e;
	}
	inv.img_version = 2;
	inv.has_fdinfo_per_id = inv.fdinfo_per_id = 1;
	inv.has_ns_per_id = inv.ns_per_id = 1;
	inv.root_ids = &root;
	inv.has_lsmtype = 1;
	inv.lsmtype = LSMTYPE__NO_LSM;
	inv.has_check_only = inv.check_only = check_only;
	return cr_img_write_one(dir, "INVENTORY", 0, &inv.base);
}
