// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Credentials. Started as root, the victim takes distinct real, effective
 * and saved uids and gids (--uid U: U, U+1, U+2; --gid G likewise; 1000 and
 * 2000 by default), groups G+1000 to G+1002, chosen capability sets
 * (bounding, permitted, effective, inheritable, ambient), keep-caps and
 * no_new_privs; started as another user it keeps what it has. Afterwards
 * all of it, and the dumpable flag the uid change cleared, is the same.
 */
#include <grp.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "victim.h"

#define MAX_GROUPS 32

struct creds {
	uid_t uid[3], fsuid;
	gid_t gid[3], fsgid;
	int ngroups;
	gid_t groups[MAX_GROUPS];
	struct __user_cap_data_struct caps[2];
	unsigned long long bounding, ambient;
	int securebits, no_new_privs, dumpable;
};

static struct creds before;
static uid_t uid = 1000;
static gid_t gid = 2000;

static int option(const char *name, const char *value)
{
	char *end;
	unsigned long n = strtoul(value, &end, 10);

	if (*end || !*value || n > 60000)
		return -1;
	if (!strcmp(name, "uid"))
		uid = n;
	else if (!strcmp(name, "gid"))
		gid = n;
	else
		return -1;
	return 0;
}

static void read_creds(struct creds *c)
{
	struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
	int cap;

	memset(c, 0, sizeof(*c));
	getresuid(&c->uid[0], &c->uid[1], &c->uid[2]);
	getresgid(&c->gid[0], &c->gid[1], &c->gid[2]);
	c->fsuid = setfsuid(-1);
	c->fsgid = setfsgid(-1);
	c->ngroups = getgroups(MAX_GROUPS, c->groups);
	syscall(SYS_capget, &head, c->caps);
	for (cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_READ, cap) == 1)
			c->bounding |= 1ULL << cap;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1)
			c->ambient |= 1ULL << cap;
	}
	c->securebits = prctl(PR_GET_SECUREBITS);
	c->no_new_privs = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	c->dumpable = prctl(PR_GET_DUMPABLE);
}

/* As root: become uids 1000/1001/1002 and gids 2000/2001/2002 with some capabilities. */
static int become_others(void)
{
	static const gid_t groups[] = {3000, 3001, 3002};
	struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct caps[2] = {{
		.effective = 1 << CAP_NET_BIND_SERVICE,
		.permitted = 1 << CAP_NET_BIND_SERVICE | 1 << CAP_KILL | 1 << CAP_SETUID,
		.inheritable = 1 << CAP_KILL,
	}};

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT) || prctl(PR_SET_KEEPCAPS, 1) ||
	    setgroups(3, groups) || setresgid(gid, gid + 1, gid + 2) ||
	    setresuid(uid, uid + 1, uid + 2))
		return victim_fail("changing ids: %m");
	if (syscall(SYS_capset, &head, caps) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_KILL, 0, 0))
		return victim_fail("setting capabilities: %m");
	return 0;
}

static int setup(void)
{
	if (geteuid() == 0 && become_others())
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return victim_fail("PR_SET_NO_NEW_PRIVS: %m");
	read_creds(&before);
	return 0;
}

static int check(void)
{
	struct creds now;

	read_creds(&now);
	if (memcmp(now.uid, before.uid, sizeof(now.uid)) || now.fsuid != before.fsuid)
		return victim_fail("the uids are %d/%d/%d/%d, not %d/%d/%d/%d", now.uid[0],
				   now.uid[1], now.uid[2], now.fsuid, before.uid[0], before.uid[1],
				   before.uid[2], before.fsuid);
	if (memcmp(now.gid, before.gid, sizeof(now.gid)) || now.fsgid != before.fsgid)
		return victim_fail("the gids are %d/%d/%d/%d, not %d/%d/%d/%d", now.gid[0],
				   now.gid[1], now.gid[2], now.fsgid, before.gid[0], before.gid[1],
				   before.gid[2], before.fsgid);
	if (now.ngroups != before.ngroups || memcmp(now.groups, before.groups, sizeof(now.groups)))
		return victim_fail("the supplementary groups changed");
	if (memcmp(now.caps, before.caps, sizeof(now.caps)))
		return victim_fail("the capabilities are e%#x p%#x i%#x, not e%#x p%#x i%#x",
				   now.caps[0].effective, now.caps[0].permitted,
				   now.caps[0].inheritable, before.caps[0].effective,
				   before.caps[0].permitted, before.caps[0].inheritable);
	if (now.bounding != before.bounding || now.ambient != before.ambient)
		return victim_fail("the bounding/ambient sets are %#llx/%#llx, not %#llx/%#llx",
				   now.bounding, now.ambient, before.bounding, before.ambient);
	if (now.securebits != before.securebits || now.no_new_privs != before.no_new_privs ||
	    now.dumpable != before.dumpable)
		return victim_fail("securebits/no_new_privs/dumpable are %#x/%d/%d, not %#x/%d/%d",
				   now.securebits, now.no_new_privs, now.dumpable,
				   before.securebits, before.no_new_privs, before.dumpable);
	return 0;
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.check = check,
};
