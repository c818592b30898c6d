// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib-log.h"
#include "proc-file.h"
#include "proc-parse.h"
#include "proc-stat.h"

/* Numeric fields after the state, in the order of proc(5), 4 to 52. */
#define NR_FIELDS 49

/* Copy the numbers into the named fields; widths are checked here. */
static int assign(const int64_t *f, struct proc_stat *st)
{
	int64_t narrow[] = { f[0], f[1], f[2], f[3], f[4], f[34], f[35], f[48] };
	size_t i;

	/* ppid pgid sid tty_nr tpgid exit_signal processor exit_code: ints */
	for (i = 0; i < sizeof(narrow) / sizeof(narrow[0]); i++)
		if (narrow[i] < INT32_MIN || narrow[i] > INT32_MAX)
			return -EINVAL;
	st->ppid = f[0];
	st->pgid = f[1];
	st->sid = f[2];
	st->tty_nr = f[3];
	st->tpgid = f[4];
	st->flags = f[5];
	st->minflt = f[6];
	st->cminflt = f[7];
	st->majflt = f[8];
	st->cmajflt = f[9];
	st->utime = f[10];
	st->stime = f[11];
	st->cutime = f[12];
	st->cstime = f[13];
	st->priority = f[14];
	st->nice = f[15];
	st->num_threads = f[16];
	/* f[17] is itrealvalue, always 0 */
	st->starttime = f[18];
	st->vsize = f[19];
	st->rss = f[20];
	st->rsslim = f[21];
	st->start_code = f[22];
	st->end_code = f[23];
	st->start_stack = f[24];
	st->kstkesp = f[25];
	st->kstkeip = f[26];
	st->signal = f[27];
	st->blocked = f[28];
	st->sigignore = f[29];
	st->sigcatch = f[30];
	st->wchan = f[31];
	st->nswap = f[32];
	st->cnswap = f[33];
	st->exit_signal = f[34];
	st->processor = f[35];
	st->rt_priority = f[36];
	st->policy = f[37];
	st->delayacct_blkio_ticks = f[38];
	st->guest_time = f[39];
	st->cguest_time = f[40];
	st->start_data = f[41];
	st->end_data = f[42];
	st->start_brk = f[43];
	st->arg_start = f[44];
	st->arg_end = f[45];
	st->env_start = f[46];
	st->env_end = f[47];
	st->exit_code = f[48];
	return 0;
}

/*
 * A field is a decimal number, negative for the signed ones; unsigned
 * values above INT64_MAX (rsslim "unlimited") keep their bits.
 */
static int parse_field(char **s, int64_t *v)
{
	uint64_t u;

	if (**s == '-')
		return proc_parse_s64(s, v);
	if (proc_parse_u64(s, 10, &u))
		return -EINVAL;
	*v = (int64_t)u;
	return 0;
}

static int parse(char *text, struct proc_stat *st)
{
	char *open = strchr(text, '('), *close = strrchr(text, ')'), *s = text;
	int64_t f[NR_FIELDS];
	size_t n, i;

	if (!open || !close || close < open)
		return -EINVAL;
	n = close - open - 1;
	if (n > PROC_COMM_MAX)
		return -EINVAL;
	if (proc_parse_int(&s, &st->pid) || s + 1 != open || *s != ' ')
		return -EINVAL;
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';
	s = close + 1;
	if (proc_expect(&s, ' ') || !*s || *s == ' ')
		return -EINVAL;
	st->state = *s++;
	for (i = 0; i < NR_FIELDS; i++)
		if (proc_expect(&s, ' ') || parse_field(&s, &f[i]))
			return -EINVAL;
	/* Newer kernels may add fields: ignore them. */
	if (*s && *s != ' ' && *s != '\n')
		return -EINVAL;
	return assign(f, st);
}

int proc_stat_parse(const char *buf, size_t len, struct proc_stat *st)
{
	char text[PROC_STAT_MAX];
	int ret;

	memset(st, 0, sizeof(*st));
	if (len >= sizeof(text) || memchr(buf, '\0', len)) {
		pr_err("stat: %zu bytes of text, not a stat line", len);
		return -EINVAL;
	}
	memcpy(text, buf, len);
	text[len] = '\0';
	ret = parse(text, st);
	if (ret)
		pr_err("stat: cannot parse '%.120s'", text);
	return ret;
}

int proc_stat_read(pid_t pid, pid_t tid, struct proc_stat *st)
{
	char buf[PROC_STAT_MAX], name[64];
	long len;

	proc_task_name(name, sizeof(name), tid, "stat");
	len = proc_read_all(pid, name, buf, sizeof(buf) - 1);
	if (len < 0)
		return len;
	return proc_stat_parse(buf, len, st);
}
