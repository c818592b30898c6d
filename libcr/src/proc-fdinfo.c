// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib-log.h"
#include "proc-fdinfo.h"
#include "proc-file.h"
#include "proc-parse.h"

/* How a value is written and stored. */
enum kv_type {
	KV_HEX32,
	KV_OCT32,
	KV_HEX64,
	KV_DEC64,
	KV_INT,		/* signed decimal, int */
	KV_S64,		/* signed decimal, int64_t */
	KV_HEXINT,	/* hex, stored in an int */
	KV_TIMESPEC,	/* "(sec, nsec)" */
};

struct kv_field {
	const char *key;
	enum kv_type type;
	size_t off;	/* in struct proc_fdinfo_entry */
	bool required;
};

#define E(member) offsetof(struct proc_fdinfo_entry, member)

static const struct kv_field epoll_fields[] = {
	{ "tfd", KV_INT, E(epoll.tfd), true },
	{ "events", KV_HEX32, E(epoll.events), true },
	{ "data", KV_HEX64, E(epoll.data), true },
	{ "pos", KV_S64, E(epoll.pos), false },
	{ "ino", KV_HEX64, E(epoll.ino), false },
	{ "sdev", KV_HEX32, E(epoll.sdev), false },
};

static const struct kv_field inotify_fields[] = {
	{ "wd", KV_HEXINT, E(inotify.wd), true },
	{ "ino", KV_HEX64, E(inotify.ino), true },
	{ "sdev", KV_HEX32, E(inotify.sdev), true },
	{ "mask", KV_HEX32, E(inotify.mask), true },
	{ "ignored_mask", KV_HEX32, E(inotify.ignored_mask), false },
	{ "fhandle-bytes", KV_HEX32, E(inotify.fh.bytes), false },
	{ "fhandle-type", KV_HEXINT, E(inotify.fh.type), false },
};

static const struct kv_field fanotify_fields[] = {
	{ "ino", KV_HEX64, E(fanotify.ino), false },
	{ "sdev", KV_HEX32, E(fanotify.sdev), false },
	{ "mnt_id", KV_HEXINT, E(fanotify.mnt_id), false },
	{ "mflags", KV_HEX32, E(fanotify.mflags), true },
	{ "mask", KV_HEX32, E(fanotify.mask), true },
	{ "ignored_mask", KV_HEX32, E(fanotify.ignored_mask), true },
	{ "fhandle-bytes", KV_HEX32, E(fanotify.fh.bytes), false },
	{ "fhandle-type", KV_HEXINT, E(fanotify.fh.type), false },
};

#undef E

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* "f_handle:" is hex bytes, as many as fhandle-bytes said before it. */
static int parse_fhandle(char **s, struct proc_fhandle *fh)
{
	uint32_t i;

	if (fh->bytes > PROC_FHANDLE_MAX)
		return -EINVAL;
	for (i = 0; i < fh->bytes; i++) {
		char pair[3] = { (*s)[0], (*s)[0] ? (*s)[1] : 0, 0 };
		char *p = pair;
		uint64_t v;

		if (proc_parse_u64(&p, 16, &v) || p != pair + 2)
			return -EINVAL;
		fh->handle[i] = v;
		*s += 2;
	}
	return 0;
}

/* "(sec, nsec)" */
static int parse_timespec(char **s, struct proc_timespec *ts)
{
	return proc_expect(s, '(') ?: proc_parse_u64(s, 10, &ts->sec) ?: proc_expect(s, ',') ?:
	       proc_next_u64(s, 10, &ts->nsec) ?: proc_expect(s, ')');
}

static int parse_value(enum kv_type type, char **s, void *field)
{
	uint64_t u;

	switch (type) {
	case KV_HEX32:
		return proc_parse_u32(s, 16, field);
	case KV_OCT32:
		return proc_parse_u32(s, 8, field);
	case KV_HEX64:
		return proc_parse_u64(s, 16, field);
	case KV_DEC64:
		return proc_parse_u64(s, 10, field);
	case KV_INT:
		return proc_parse_int(s, field);
	case KV_S64:
		return proc_parse_s64(s, field);
	case KV_HEXINT:
		if (proc_parse_u64(s, 16, &u) || u > INT32_MAX)
			return -EINVAL;
		*(int *)field = u;
		return 0;
	case KV_TIMESPEC:
		return parse_timespec(s, field);
	}
	return -EINVAL;
}

/* Words "key:value" (maybe "key:   value"); unknown keys are skipped. */
static int parse_kv(char *s, const struct kv_field *fields, size_t nr, struct proc_fdinfo_entry *e,
		    struct proc_fhandle *fh)
{
	unsigned int seen = 0, i;

	for (;;) {
		char *key, *colon;

		proc_skip_blanks(&s);
		if (!*s)
			break;
		key = s;
		colon = strchr(s, ':');
		if (!colon || memchr(s, ' ', colon - s))
			return -EINVAL;
		*colon = '\0';
		s = colon + 1;
		if (fh && !strcmp(key, "f_handle")) {
			if (parse_fhandle(&s, fh))
				return -EINVAL;
		} else {
			for (i = 0; i < nr; i++)
				if (!strcmp(key, fields[i].key))
					break;
			proc_skip_blanks(&s);
			if (i < nr) {
				if (parse_value(fields[i].type, &s, (char *)e + fields[i].off))
					return -EINVAL;
				seen |= 1u << i;
			} else {
				s += strcspn(s, " \t");
			}
		}
		if (*s && *s != ' ' && *s != '\t')
			return -EINVAL;
	}
	for (i = 0; i < nr; i++)
		if (fields[i].required && !(seen & (1u << i)))
			return -EINVAL;
	return 0;
}

struct fdinfo_parser {
	struct proc_fdinfo *fi;
	proc_fdinfo_entry_fn fn;
	void *arg;
};

static int emit(struct fdinfo_parser *p, struct proc_fdinfo_entry *e)
{
	return p->fn ? p->fn(e, p->arg) : 0;
}

static int parse_epoll(struct fdinfo_parser *p, char *line)
{
	struct proc_fdinfo_entry e = { .kind = PROC_FDE_EPOLL_TFD };

	if (parse_kv(line, epoll_fields, ARRAY_LEN(epoll_fields), &e, NULL))
		return -EINVAL;
	return emit(p, &e);
}

static int parse_inotify(struct fdinfo_parser *p, char *rest)
{
	struct proc_fdinfo_entry e = { .kind = PROC_FDE_INOTIFY_WD };

	if (parse_kv(rest, inotify_fields, ARRAY_LEN(inotify_fields), &e, &e.inotify.fh))
		return -EINVAL;
	return emit(p, &e);
}

/* "fanotify flags:.. event-flags:.." or one of the three kinds of mark. */
static int parse_fanotify(struct fdinfo_parser *p, char *rest)
{
	struct proc_fdinfo_entry e = { 0 };
	struct proc_fdinfo *fi = p->fi;
	char *s = rest;

	if (!proc_expect_word(&s, "flags:")) {
		if (proc_parse_u32(&s, 16, &fi->fanotify_flags) || proc_expect_word(&s, " event-flags:") ||
		    proc_parse_u32(&s, 16, &fi->fanotify_event_flags) || proc_expect_end(s))
			return -EINVAL;
		fi->have |= PROC_FDINFO_FANOTIFY;
		return 0;
	}
	if (!strncmp(rest, "ino:", 4))
		e.kind = PROC_FDE_FANOTIFY_INODE;
	else if (!strncmp(rest, "mnt_id:", 7))
		e.kind = PROC_FDE_FANOTIFY_MOUNT;
	else if (!strncmp(rest, "sdev:", 5))
		e.kind = PROC_FDE_FANOTIFY_SB;
	else
		return -EINVAL;
	if (parse_kv(rest, fanotify_fields, ARRAY_LEN(fanotify_fields), &e, &e.fanotify.fh))
		return -EINVAL;
	return emit(p, &e);
}

/* Bits of the five timerfd lines, folded into PROC_FDINFO_TIMERFD at the end. */
enum {
	TFD_CLOCKID = 1 << 16,
	TFD_TICKS = 1 << 17,
	TFD_SETTIME = 1 << 18,
	TFD_VALUE = 1 << 19,
	TFD_INTERVAL = 1 << 20,
	TFD_ALL = TFD_CLOCKID | TFD_TICKS | TFD_SETTIME | TFD_VALUE | TFD_INTERVAL,
};

#define F(member) offsetof(struct proc_fdinfo, member)

/* "key:<blanks>value" lines with one value each. */
static const struct line_field {
	const char *key;
	enum kv_type type;
	size_t off;	/* in struct proc_fdinfo */
	unsigned int bit;
} line_fields[] = {
	{ "pos", KV_S64, F(pos), PROC_FDINFO_POS },
	{ "flags", KV_OCT32, F(flags), PROC_FDINFO_FLAGS },
	{ "mnt_id", KV_INT, F(mnt_id), PROC_FDINFO_MNT_ID },
	{ "ino", KV_DEC64, F(ino), PROC_FDINFO_INO },
	{ "eventfd-count", KV_HEX64, F(eventfd_count), PROC_FDINFO_EVENTFD },
	{ "eventfd-id", KV_INT, F(eventfd_id), PROC_FDINFO_EVENTFD_ID },
	{ "eventfd-semaphore", KV_INT, F(eventfd_semaphore), PROC_FDINFO_EVENTFD_SEM },
	{ "sigmask", KV_HEX64, F(sigmask), PROC_FDINFO_SIGNALFD },
	{ "clockid", KV_INT, F(timerfd_clockid), TFD_CLOCKID },
	{ "ticks", KV_DEC64, F(timerfd_ticks), TFD_TICKS },
	{ "settime flags", KV_OCT32, F(timerfd_settime_flags), TFD_SETTIME },
	{ "it_value", KV_TIMESPEC, F(timerfd_value), TFD_VALUE },
	{ "it_interval", KV_TIMESPEC, F(timerfd_interval), TFD_INTERVAL },
};

#undef F

static int parse_line_field(struct proc_fdinfo *fi, const char *key, char *val)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(line_fields); i++) {
		if (strcmp(key, line_fields[i].key))
			continue;
		fi->have |= line_fields[i].bit;
		return parse_value(line_fields[i].type, &val, (char *)fi + line_fields[i].off) ?:
		       proc_expect_end(val);
	}
	return 0;
}

static int fdinfo_line(char *line, size_t len, void *arg)
{
	struct fdinfo_parser *p = arg;
	char *s = line, *val;
	int ret;

	if (!strncmp(line, "tfd:", 4))
		ret = parse_epoll(p, line);
	else if (!proc_expect_word(&s, "inotify "))
		ret = parse_inotify(p, s);
	else if (!proc_expect_word(&s, "fanotify "))
		ret = parse_fanotify(p, s);
	else if ((val = proc_split_key(line)))
		ret = parse_line_field(p->fi, line, val);
	else
		ret = 0;	/* io_uring and others print lines without a key */
	if (ret == -EINVAL)
		pr_err("fdinfo: bad line '%.80s'", line);
	return ret;
}

static int finish(struct fdinfo_parser *p, int ret)
{
	unsigned int need = PROC_FDINFO_POS | PROC_FDINFO_FLAGS | PROC_FDINFO_MNT_ID;
	struct proc_fdinfo *fi = p->fi;

	if (ret)
		return ret;
	if ((fi->have & need) != need || ((fi->have & TFD_ALL) && (fi->have & TFD_ALL) != TFD_ALL)) {
		pr_err("fdinfo: lines missing");
		return -EINVAL;
	}
	if (fi->have & TFD_ALL)
		fi->have = (fi->have & ~TFD_ALL) | PROC_FDINFO_TIMERFD;
	return 0;
}

int proc_fdinfo_parse(const char *buf, size_t len, struct proc_fdinfo *fi, proc_fdinfo_entry_fn fn, void *arg)
{
	struct fdinfo_parser p = { fi, fn, arg };

	memset(fi, 0, sizeof(*fi));
	return finish(&p, proc_records_from_buf(buf, len, '\n', fdinfo_line, &p));
}

int proc_fdinfo_read(pid_t pid, int fd, struct proc_fdinfo *fi, proc_fdinfo_entry_fn fn, void *arg)
{
	struct fdinfo_parser p = { fi, fn, arg };
	char name[64];

	snprintf(name, sizeof(name), "fdinfo/%d", fd);
	memset(fi, 0, sizeof(*fi));
	return finish(&p, proc_read_records(pid, name, '\n', fdinfo_line, &p));
}
