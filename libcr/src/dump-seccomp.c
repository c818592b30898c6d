// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <linux/filter.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>

#include "array.h"
#include "dump-seccomp.h"
#include "lib-log.h"

/* The kernel's limits: instructions of one filter, filters a thread may stack. */
#define FILTER_MAX_INSNS BPF_MAXINSNS
#define CHAIN_MAX_FILTERS 512
#define MAX_FILTERS 4096

struct dump_seccomp {
	SeccompFilter *filters;
	size_t nr, cap;
};

static struct dump_seccomp *seccomp_of(struct dump_ctx *ctx)
{
	if (!ctx->seccomp)
		ctx->seccomp = calloc(1, sizeof(*ctx->seccomp));
	return ctx->seccomp;
}

/* Filter @off of @tid (0: the oldest) into a new buffer, its length in bytes in *@len. */
static int read_filter(pid_t tid, unsigned long off, uint8_t **insns, size_t *len, uint32_t *flags)
{
	struct __ptrace_seccomp_metadata md = {.filter_off = off};
	long n = ptrace(PTRACE_SECCOMP_GET_FILTER, tid, off, NULL);

	if (n < 0)
		return -errno;
	if (n == 0 || n > FILTER_MAX_INSNS)
		return -EINVAL;
	*len = n * sizeof(struct sock_filter);
	*insns = malloc(*len);
	if (!*insns)
		return -ENOMEM;
	errno = 0;
	if (ptrace(PTRACE_SECCOMP_GET_FILTER, tid, off, *insns) != n ||
	    ptrace(PTRACE_SECCOMP_GET_METADATA, tid, sizeof(md), &md) != sizeof(md)) {
		free(*insns);
		return errno ? -errno : -EIO;
	}
	*flags = (uint32_t)md.flags;
	return 0;
}

/* The index of the entry for (@insns, @flags) after @prev (-1: none), added if new. */
static int find_or_add(struct dump_seccomp *s, uint8_t *insns, size_t len, uint32_t flags,
		       long prev, uint32_t *idx)
{
	SeccompFilter *f;
	int ret;

	for (size_t i = 0; i < s->nr; i++) {
		f = &s->filters[i];
		if (f->filter.len == len && !memcmp(f->filter.data, insns, len) &&
		    f->flags == flags && f->has_prev == (prev >= 0) &&
		    (prev < 0 || f->prev == (uint32_t)prev)) {
			free(insns);
			*idx = i;
			return 0;
		}
	}
	ret = array_grow((void **)&s->filters, &s->cap, s->nr, sizeof(*s->filters), MAX_FILTERS);
	if (ret) {
		free(insns);
		return ret;
	}
	f = &s->filters[s->nr];
	seccomp_filter__init(f);
	f->filter.data = insns;
	f->filter.len = len;
	f->has_flags = true;
	f->flags = flags;
	f->has_prev = prev >= 0;
	f->prev = prev >= 0 ? (uint32_t)prev : 0;
	*idx = s->nr++;
	return 0;
}

int dump_seccomp_thread(struct dump_ctx *ctx, pid_t tid, uint32_t *last)
{
	struct dump_seccomp *s = seccomp_of(ctx);
	unsigned long nr = 0;
	long prev = -1;
	int ret = 0;

	if (!s)
		return -ENOMEM;
	/* how many: the first offset the kernel refuses */
	while (nr < CHAIN_MAX_FILTERS && ptrace(PTRACE_SECCOMP_GET_FILTER, tid, nr, NULL) > 0)
		nr++;
	if (!nr || nr == CHAIN_MAX_FILTERS) {
		ret = nr ? -E2BIG : -errno;
		pr_err("cannot read the seccomp filters of thread %d: %s", tid, strerror(-ret));
		return ret;
	}
	/* the oldest first, so that each entry's prev is already there */
	for (unsigned long off = 0; off < nr && !ret; off++) {
		uint8_t *insns = NULL;
		uint32_t flags = 0, idx = 0;
		size_t len = 0;

		ret = read_filter(tid, off, &insns, &len, &flags);
		if (!ret)
			ret = find_or_add(s, insns, len, flags, prev, &idx);
		if (ret)
			pr_err("cannot dump seccomp filter %lu of thread %d: %s", off, tid,
			       strerror(-ret));
		prev = idx;
	}
	if (!ret)
		*last = (uint32_t)prev;
	return ret;
}

int dump_seccomp_finish(struct dump_ctx *ctx, int write)
{
	struct dump_seccomp *s = ctx->seccomp;
	SeccompFilter **ptrs = NULL;
	SeccompEntry e = SECCOMP_ENTRY__INIT;
	int ret = 0;

	if (!s)
		return 0;
	if (write && s->nr) {
		ptrs = calloc(s->nr, sizeof(*ptrs));
		if (!ptrs)
			ret = -ENOMEM;
		for (size_t i = 0; ptrs && i < s->nr; i++)
			ptrs[i] = &s->filters[i];
		e.n_seccomp_filters = s->nr;
		e.seccomp_filters = ptrs;
		if (!ret)
			ret = cr_img_write_one(ctx->dir, "SECCOMP", 0, &e.base);
	}
	for (size_t i = 0; i < s->nr; i++)
		free(s->filters[i].filter.data);
	free(s->filters);
	free(s);
	free(ptrs);
	ctx->seccomp = NULL;
	return ret;
}
