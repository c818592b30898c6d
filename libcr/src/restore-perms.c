// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib-log.h"
#include "restore-perms.h"
#include "restore-tree.h"

/* Who runs the restore. */
struct caller {
	uint64_t eff, prm;
	uint32_t uid[3]; /* real, effective, saved */
	uint32_t gid[3];
	uint32_t *groups;
	size_t nr_groups;
};

static int caller_read(struct caller *c)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	int n;

	if (syscall(SYS_capget, &hdr, d) || getresuid(&c->uid[0], &c->uid[1], &c->uid[2]) ||
	    getresgid(&c->gid[0], &c->gid[1], &c->gid[2]))
		return -errno;
	c->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	c->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	n = getgroups(0, NULL);
	if (n < 0)
		return -errno;
	c->groups = calloc(n + 1, sizeof(*c->groups));
	if (!c->groups)
		return -ENOMEM;
	n = getgroups(n, c->groups);
	if (n < 0)
		return -errno;
	c->nr_groups = n;
	return 0;
}

static bool has_cap(const struct caller *c, int cap)
{
	return c->eff & (1ULL << cap);
}

int rst_check_may_set_pids(void)
{
	struct caller c = {0};
	int ret = caller_read(&c);

	free(c.groups);
	if (ret) {
		pr_err("cannot read crtool's own credentials: %s", strerror(-ret));
		return ret;
	}
	if (has_cap(&c, CAP_SYS_ADMIN) || has_cap(&c, CAP_CHECKPOINT_RESTORE))
		return 0;
	pr_err("restoring a tree with its PIDs needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE, "
	       "which crtool (uid %u) lacks",
	       c.uid[1]);
	return -EPERM;
}

static uint64_t caps_of(const uint32_t *words, size_t n)
{
	return (n > 0 ? words[0] : 0) | (n > 1 ? (uint64_t)words[1] << 32 : 0);
}

static bool in_list(uint32_t id, const uint32_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Whether @groups and the caller's are the same set. */
static bool same_groups(const struct caller *c, const uint32_t *groups, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!in_list(groups[i], c->groups, c->nr_groups))
			return false;
	for (size_t i = 0; i < c->nr_groups; i++)
		if (!in_list(c->groups[i], groups, n))
			return false;
	return true;
}

static int check_thread(const struct caller *c, uint32_t tid, const CredsEntry *cr)
{
	const uint32_t uids[] = {cr->uid, cr->euid, cr->suid, cr->fsuid};
	const uint32_t gids[] = {cr->gid, cr->egid, cr->sgid, cr->fsgid};
	uint64_t caps = caps_of(cr->cap_prm, cr->n_cap_prm) | caps_of(cr->cap_eff, cr->n_cap_eff) |
			caps_of(cr->cap_inh, cr->n_cap_inh) | caps_of(cr->cap_amb, cr->n_cap_amb);

	for (size_t i = 0; i < 4; i++) {
		if (!has_cap(c, CAP_SETUID) && !in_list(uids[i], c->uid, 3)) {
			pr_err("thread %u runs as uid %u: crtool, as uid %u without CAP_SETUID, "
			       "cannot give it that uid",
			       tid, uids[i], c->uid[1]);
			return -EPERM;
		}
		if (!has_cap(c, CAP_SETGID) && !in_list(gids[i], c->gid, 3)) {
			pr_err("thread %u runs as gid %u: crtool, as gid %u without CAP_SETGID, "
			       "cannot give it that gid",
			       tid, gids[i], c->gid[1]);
			return -EPERM;
		}
	}
	if (!has_cap(c, CAP_SETGID) && !same_groups(c, cr->groups, cr->n_groups)) {
		pr_err("thread %u has other supplementary groups than crtool, which lacks "
		       "CAP_SETGID",
		       tid);
		return -EPERM;
	}
	if (caps & ~c->prm) {
		pr_err("thread %u has capabilities crtool lacks (%#" PRIx64 ")", tid,
		       caps & ~c->prm);
		return -EPERM;
	}
	return 0;
}

int rst_check_creds(const struct rst_ctx *ctx)
{
	struct caller c = {0};
	int ret = caller_read(&c);

	if (ret)
		pr_err("cannot read crtool's own credentials: %s", strerror(-ret));
	for (size_t i = 0; !ret && !has_cap(&c, CAP_SYS_ADMIN) && i < ctx->nr_tasks; i++) {
		const struct rst_task *t = &ctx->tasks[i];

		if (rst_task_is_zombie(t))
			continue;
		for (size_t j = 0; !ret && j < t->pe->n_threads; j++) {
			const ThreadCoreEntry *th = t->cores[j]->thread_core;

			if (th && th->creds)
				ret = check_thread(&c, t->pe->threads[j], th->creds);
		}
	}
	/* The restorer sets the securebits and the groups of every thread, even unchanged. */
	if (!ret && !has_cap(&c, CAP_SYS_ADMIN) &&
	    (!has_cap(&c, CAP_SETPCAP) || !has_cap(&c, CAP_SETGID))) {
		pr_err("restoring credentials needs CAP_SETPCAP and CAP_SETGID, which crtool (uid "
		       "%u) lacks",
		       c.uid[1]);
		ret = -EPERM;
	}
	free(c.groups);
	return ret;
}
