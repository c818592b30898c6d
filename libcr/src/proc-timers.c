// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Each timer is four lines, always in this order:
 *	ID: 0
 *	signal: 10/0000000000001234		(signo/sigev_value in hex)
 *	notify: signal/pid.1234			(signal|none|thread, pid|tid)
 *	ClockID: 1
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "lib-log.h"
#include "proc-file.h"
#include "proc-parse.h"
#include "proc-timers.h"

/* The lines of one timer, in order. */
enum timer_line { LINE_ID, LINE_SIGNAL, LINE_NOTIFY, LINE_CLOCK, NR_LINES };

static const char *const keys[NR_LINES] = { "ID", "signal", "notify", "ClockID" };

struct timers_parser {
	struct proc_timer t;
	enum timer_line next;
	proc_timer_fn fn;
	void *arg;
};

static int parse_signal(char *s, struct proc_timer *t)
{
	if (proc_parse_int(&s, &t->signo) || proc_expect(&s, '/') ||
	    proc_parse_u64(&s, 16, &t->sival))
		return -EINVAL;
	return proc_expect_end(s);
}

static int parse_notify(char *s, struct proc_timer *t)
{
	static const struct {
		const char *word;
		int notify;
	} kinds[] = { { "signal/", SIGEV_SIGNAL }, { "none/", SIGEV_NONE },
		      { "thread/", SIGEV_THREAD } };
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!proc_expect_word(&s, kinds[i].word))
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return -EINVAL;
	t->notify = kinds[i].notify;
	if (!proc_expect_word(&s, "tid."))
		t->notify |= SIGEV_THREAD_ID;
	else if (proc_expect_word(&s, "pid."))
		return -EINVAL;
	if (proc_parse_int(&s, &t->notify_pid))
		return -EINVAL;
	return proc_expect_end(s);
}

static int timers_line(char *line, size_t len, void *arg)
{
	struct timers_parser *p = arg;
	char *val = proc_split_key(line);
	int ret;

	if (!val || strcmp(line, keys[p->next]))
		goto bad;
	switch (p->next) {
	case LINE_ID:
		memset(&p->t, 0, sizeof(p->t));
		ret = proc_parse_int(&val, &p->t.id) || proc_expect_end(val);
		break;
	case LINE_SIGNAL:
		ret = parse_signal(val, &p->t);
		break;
	case LINE_NOTIFY:
		ret = parse_notify(val, &p->t);
		break;
	default:
		ret = proc_parse_int(&val, &p->t.clock_id) || proc_expect_end(val);
		break;
	}
	if (ret)
		goto bad;
	if (++p->next < NR_LINES)
		return 0;
	p->next = LINE_ID;
	return p->fn(&p->t, p->arg);
bad:
	pr_err("timers: bad line '%.40s: %.80s' (expected %s)", line, val ? val : "",
	       keys[p->next]);
	return -EINVAL;
}

static int finish(struct timers_parser *p, int ret)
{
	if (!ret && p->next != LINE_ID) {
		pr_err("timers: timer %d ends early", p->t.id);
		return -EINVAL;
	}
	return ret;
}

int proc_timers_parse(const char *buf, size_t len, proc_timer_fn fn, void *arg)
{
	struct timers_parser p = { .fn = fn, .arg = arg };

	return finish(&p, proc_records_from_buf(buf, len, '\n', timers_line, &p));
}

int proc_timers_read(pid_t pid, proc_timer_fn fn, void *arg)
{
	struct timers_parser p = { .fn = fn, .arg = arg };

	return finish(&p, proc_read_records(pid, "timers", '\n', timers_line, &p));
}
