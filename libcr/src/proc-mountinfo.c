// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <string.h>

#include "lib-log.h"
#include "proc-file.h"
#include "proc-mountinfo.h"
#include "proc-parse.h"

struct mountinfo_parser {
	proc_mount_fn fn;
	void *arg;
};

/*
 * Cut the next space-separated word off *s and decode the kernel's octal
 * escapes ("\040" for a space) in place. NULL when there is none.
 */
static char *next_word(char **s)
{
	char *word = *s, *in, *out;

	if (!*word)
		return NULL;
	*s = strchrnul(word, ' ');
	if (**s)
		*(*s)++ = '\0';
	for (in = out = word; *in; in++, out++) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' &&
		    in[3] >= '0' && in[3] <= '7') {
			*out = (in[1] - '0') << 6 | (in[2] - '0') << 3 | (in[3] - '0');
			in += 3;
		} else {
			*out = *in;
		}
	}
	*out = '\0';
	return word;
}

static int parse_optional(char *word, struct proc_mount *m)
{
	static const struct {
		const char *tag;
		size_t off;
	} tags[] = {
		{ "shared:", offsetof(struct proc_mount, shared) },
		{ "master:", offsetof(struct proc_mount, master) },
		{ "propagate_from:", offsetof(struct proc_mount, propagate_from) },
	};
	size_t i;

	if (!strcmp(word, "unbindable")) {
		m->unbindable = true;
		return 0;
	}
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		char *s = word;

		if (proc_expect_word(&s, tags[i].tag))
			continue;
		return proc_parse_int(&s, (int *)((char *)m + tags[i].off)) ?: proc_expect_end(s);
	}
	/* Tags a newer kernel may add are skipped. */
	return 0;
}

/* "id parent major:minor root mountpoint options [optional...] - fstype source super" */
static int parse(char *line, struct proc_mount *m)
{
	char *s = line, *word;

	memset(m, 0, sizeof(*m));
	if (proc_parse_int(&s, &m->mnt_id) || proc_expect(&s, ' ') || proc_parse_int(&s, &m->parent_id) ||
	    proc_expect(&s, ' ') || proc_parse_u32(&s, 10, &m->dev_major) || proc_expect(&s, ':') ||
	    proc_parse_u32(&s, 10, &m->dev_minor) || proc_expect(&s, ' '))
		return -EINVAL;
	if (!(m->root = next_word(&s)) || !(m->mountpoint = next_word(&s)) || !(m->options = next_word(&s)))
		return -EINVAL;
	for (;;) {
		word = next_word(&s);
		if (!word)
			return -EINVAL;
		if (!strcmp(word, "-"))
			break;
		if (parse_optional(word, m))
			return -EINVAL;
	}
	if (!(m->fstype = next_word(&s)) || !(m->source = next_word(&s)) || !(m->super_options = next_word(&s)))
		return -EINVAL;
	return *s ? -EINVAL : 0;
}

static int mountinfo_line(char *line, size_t len, void *arg)
{
	struct mountinfo_parser *p = arg;
	struct proc_mount m;

	if (parse(line, &m)) {
		pr_err("mountinfo: bad line");
		return -EINVAL;
	}
	return p->fn(&m, p->arg);
}

int proc_mountinfo_parse(const char *buf, size_t len, proc_mount_fn fn, void *arg)
{
	struct mountinfo_parser p = { fn, arg };

	return proc_records_from_buf(buf, len, '\n', mountinfo_line, &p);
}

int proc_mountinfo_read(pid_t pid, proc_mount_fn fn, void *arg)
{
	struct mountinfo_parser p = { fn, arg };

	return proc_read_records(pid, "mountinfo", '\n', mountinfo_line, &p);
}
