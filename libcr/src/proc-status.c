// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib-log.h"
#include "proc-file.h"
#include "proc-parse.h"
#include "proc-status.h"

/* Bits for the mandatory lines, above those of enum proc_status_have. */
enum {
	SEEN_STATE = 1 << 16,
	SEEN_TGID = 1 << 17,
	SEEN_PID = 1 << 18,
	SEEN_PPID = 1 << 19,
	SEEN_TRACER = 1 << 20,
	SEEN_UID = 1 << 21,
	SEEN_GID = 1 << 22,
	SEEN_REQUIRED = SEEN_STATE | SEEN_TGID | SEEN_PID | SEEN_PPID | SEEN_TRACER | SEEN_UID | SEEN_GID,
};

enum value_kind {
	V_INT,		/* one decimal int */
	V_OCTAL,	/* one octal number (Umask) */
	V_HEX64,	/* one hex u64 (caps, signal sets) */
	V_IDS,		/* four decimal ids (Uid, Gid) */
	V_NS_PIDS,	/* a pid per namespace level */
	V_GROUPS,	/* any number of gids, maybe none */
	V_SIGQ,		/* "queued/limit" */
	V_STATE,	/* "R (running)" */
};

static const struct status_key {
	const char *key;
	enum value_kind kind;
	size_t off;
	unsigned int bit;
} keys[] = {
#define K(name, kind, field, bit) { name, kind, offsetof(struct proc_status, field), bit }
	K("State", V_STATE, state, SEEN_STATE),
	K("Umask", V_OCTAL, umask, PROC_STATUS_UMASK),
	K("Tgid", V_INT, tgid, SEEN_TGID),
	K("Pid", V_INT, pid, SEEN_PID),
	K("PPid", V_INT, ppid, SEEN_PPID),
	K("TracerPid", V_INT, tracer_pid, SEEN_TRACER),
	K("Uid", V_IDS, uid, SEEN_UID),
	K("Gid", V_IDS, gid, SEEN_GID),
	K("Groups", V_GROUPS, groups, PROC_STATUS_GROUPS),
	K("NStgid", V_NS_PIDS, ns_tgid, PROC_STATUS_NS_PIDS),
	K("NSpid", V_NS_PIDS, ns_pid, PROC_STATUS_NS_PIDS),
	K("NSpgid", V_NS_PIDS, ns_pgid, PROC_STATUS_NS_PIDS),
	K("NSsid", V_NS_PIDS, ns_sid, PROC_STATUS_NS_PIDS),
	K("SigQ", V_SIGQ, sigq_queued, PROC_STATUS_SIGQ),
	K("SigPnd", V_HEX64, sig_pnd, PROC_STATUS_SIGNALS),
	K("ShdPnd", V_HEX64, shd_pnd, PROC_STATUS_SIGNALS),
	K("SigBlk", V_HEX64, sig_blk, PROC_STATUS_SIGNALS),
	K("SigIgn", V_HEX64, sig_ign, PROC_STATUS_SIGNALS),
	K("SigCgt", V_HEX64, sig_cgt, PROC_STATUS_SIGNALS),
	K("CapInh", V_HEX64, cap_inh, PROC_STATUS_CAPS),
	K("CapPrm", V_HEX64, cap_prm, PROC_STATUS_CAPS),
	K("CapEff", V_HEX64, cap_eff, PROC_STATUS_CAPS),
	K("CapBnd", V_HEX64, cap_bnd, PROC_STATUS_CAPS),
	K("CapAmb", V_HEX64, cap_amb, PROC_STATUS_CAP_AMB),
	K("NoNewPrivs", V_INT, no_new_privs, PROC_STATUS_NO_NEW_PRIVS),
	K("Seccomp", V_INT, seccomp, PROC_STATUS_SECCOMP),
	K("Seccomp_filters", V_INT, seccomp_filters, PROC_STATUS_SECCOMP_FILTERS),
#undef K
};

struct status_parser {
	struct proc_status *st;
	unsigned int seen;
};

static int parse_ns_pids(char *s, struct proc_ns_pids *ns)
{
	ns->nr = 0;
	proc_skip_blanks(&s);
	while (*s) {
		if (ns->nr == PROC_NS_LEVELS_MAX || proc_parse_int(&s, &ns->pid[ns->nr]))
			return -EINVAL;
		ns->nr++;
		proc_skip_blanks(&s);
	}
	return ns->nr ? 0 : -EINVAL;
}

static int parse_groups(char *s, struct proc_status *st)
{
	st->ngroups = 0;
	proc_skip_blanks(&s);
	while (*s) {
		if (st->ngroups == PROC_GROUPS_MAX) {
			pr_err("status: more than %d supplementary groups", PROC_GROUPS_MAX);
			return -E2BIG;
		}
		if (proc_parse_u32(&s, 10, &st->groups[st->ngroups++]))
			return -EINVAL;
		proc_skip_blanks(&s);
	}
	return 0;
}

static int parse_value(const struct status_key *k, char *s, struct proc_status *st)
{
	void *field = (char *)st + k->off;
	uint32_t *ids = field;
	int i;

	switch (k->kind) {
	case V_INT:
		return proc_parse_int(&s, field) ?: proc_expect_end(s);
	case V_OCTAL:
		return proc_parse_u32(&s, 8, field) ?: proc_expect_end(s);
	case V_HEX64:
		return proc_parse_u64(&s, 16, field) ?: proc_expect_end(s);
	case V_IDS:
		for (i = 0; i < 4; i++)
			if (proc_next_u32(&s, 10, &ids[i]))
				return -EINVAL;
		return proc_expect_end(s);
	case V_NS_PIDS:
		return parse_ns_pids(s, field);
	case V_GROUPS:
		return parse_groups(s, st);
	case V_SIGQ:
		return proc_parse_u64(&s, 10, &st->sigq_queued) ?: proc_expect(&s, '/') ?:
		       proc_parse_u64(&s, 10, &st->sigq_limit) ?: proc_expect_end(s);
	case V_STATE:
		if (!*s || *s == ' ' || (s[1] && s[1] != ' '))
			return -EINVAL;
		st->state = *s;
		return 0;
	}
	return -EINVAL;
}

static int status_line(char *line, size_t len, void *arg)
{
	struct status_parser *p = arg;
	char *val = proc_split_key(line);
	size_t i;
	int ret;

	if (!val) {
		pr_err("status: line without a key '%.80s'", line);
		return -EINVAL;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(line, keys[i].key))
			continue;
		ret = parse_value(&keys[i], val, p->st);
		if (ret) {
			pr_err("status: bad %s value '%.80s'", line, val);
			return ret;
		}
		p->seen |= keys[i].bit;
		break;
	}
	return 0;
}

/* Check that the mandatory lines were there and say which optional ones. */
static int finish(struct status_parser *p, int ret)
{
	if (ret)
		return ret;
	if ((p->seen & SEEN_REQUIRED) != SEEN_REQUIRED) {
		pr_err("status: a mandatory line is missing (seen %#x)", p->seen);
		return -EINVAL;
	}
	p->st->have = p->seen & ~SEEN_REQUIRED;
	return 0;
}

int proc_status_parse(const char *buf, size_t len, struct proc_status *st)
{
	struct status_parser p = { .st = st };

	memset(st, 0, sizeof(*st));
	return finish(&p, proc_records_from_buf(buf, len, '\n', status_line, &p));
}

int proc_status_read(pid_t pid, pid_t tid, struct proc_status *st)
{
	struct status_parser p = { .st = st };
	char name[64];

	proc_task_name(name, sizeof(name), tid, "status");
	memset(st, 0, sizeof(*st));
	return finish(&p, proc_read_records(pid, name, '\n', status_line, &p));
}
