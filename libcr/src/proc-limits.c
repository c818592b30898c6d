// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <string.h>

#include "lib-log.h"
#include "proc-file.h"
#include "proc-limits.h"
#include "proc-parse.h"

/* The row titles, indexed by RLIMIT_*. */
static const char *const titles[PROC_NR_LIMITS] = {
	[RLIMIT_CPU] = "Max cpu time",
	[RLIMIT_FSIZE] = "Max file size",
	[RLIMIT_DATA] = "Max data size",
	[RLIMIT_STACK] = "Max stack size",
	[RLIMIT_CORE] = "Max core file size",
	[RLIMIT_RSS] = "Max resident set",
	[RLIMIT_NPROC] = "Max processes",
	[RLIMIT_NOFILE] = "Max open files",
	[RLIMIT_MEMLOCK] = "Max locked memory",
	[RLIMIT_AS] = "Max address space",
	[RLIMIT_LOCKS] = "Max file locks",
	[RLIMIT_SIGPENDING] = "Max pending signals",
	[RLIMIT_MSGQUEUE] = "Max msgqueue size",
	[RLIMIT_NICE] = "Max nice priority",
	[RLIMIT_RTPRIO] = "Max realtime priority",
	[RLIMIT_RTTIME] = "Max realtime timeout",
};

struct limits_parser {
	struct proc_limits *l;
	unsigned int seen;
};

static int parse_limit(char **s, rlim_t *v)
{
	uint64_t u;

	proc_skip_blanks(s);
	if (!proc_expect_word(s, "unlimited")) {
		*v = RLIM_INFINITY;
		return 0;
	}
	if (proc_parse_u64(s, 10, &u))
		return -EINVAL;
	*v = u;
	return 0;
}

static int limits_line(char *line, size_t len, void *arg)
{
	struct limits_parser *p = arg;
	int i;

	for (i = 0; i < PROC_NR_LIMITS; i++) {
		size_t n = strlen(titles[i]);
		char *s = line + n;

		/* A title ends where two blanks start the soft limit column. */
		if (strncmp(line, titles[i], n) || strncmp(s, "  ", 2))
			continue;
		if (parse_limit(&s, &p->l->lim[i].rlim_cur) || parse_limit(&s, &p->l->lim[i].rlim_max) ||
		    (*s && *s != ' ')) {
			pr_err("limits: bad row '%.80s'", line);
			return -EINVAL;
		}
		p->seen |= 1u << i;
		return 0;
	}
	return 0;
}

static int finish(struct limits_parser *p, int ret)
{
	if (ret)
		return ret;
	if (p->seen != (1u << PROC_NR_LIMITS) - 1) {
		pr_err("limits: rows missing (seen %#x)", p->seen);
		return -EINVAL;
	}
	return 0;
}

int proc_limits_parse(const char *buf, size_t len, struct proc_limits *l)
{
	struct limits_parser p = { .l = l };

	memset(l, 0, sizeof(*l));
	return finish(&p, proc_records_from_buf(buf, len, '\n', limits_line, &p));
}

int proc_limits_read(pid_t pid, struct proc_limits *l)
{
	struct limits_parser p = { .l = l };

	memset(l, 0, sizeof(*l));
	return finish(&p, proc_read_records(pid, "limits", '\n', limits_line, &p));
}
