// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "lib-log.h"
#include "restore-seccomp.h"
#include "restore-tree.h"

/* The kernel's limit on the instructions of a chain (each filter counts 4 more). */
#define CHAIN_MAX_INSNS 32768
#define CHAIN_FILTER_COST 4
/* The flags a filter keeps (those of installing it, TSYNC..., are not its own). */
#define KNOWN_FLAGS (SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW)

int rst_seccomp_load(struct rst_ctx *ctx)
{
	SeccompEntry *e;
	int ret;

	/* no filter in the tree, no seccomp.img */
	if (faccessat(img_dir_fd(ctx->dir), "seccomp.img", F_OK, 0) && errno == ENOENT)
		return 0;
	ret = cr_img_read_one(ctx->dir, "SECCOMP", 0, &seccomp_entry__descriptor,
			      (ProtobufCMessage **)&e);
	if (ret) {
		pr_err("cannot read seccomp.img: %s", strerror(-ret));
		return ret;
	}
	ctx->seccomp = e;
	for (size_t i = 0; i < e->n_seccomp_filters; i++) {
		const SeccompFilter *f = e->seccomp_filters[i];
		size_t len = f->filter.len;

		if (!len || len % sizeof(struct sock_filter) ||
		    len / sizeof(struct sock_filter) > BPF_MAXINSNS ||
		    (f->has_prev && f->prev >= e->n_seccomp_filters) ||
		    (f->has_flags && (f->flags & ~KNOWN_FLAGS))) {
			pr_err("seccomp.img: filter %zu is malformed", i);
			return -EINVAL;
		}
	}
	return 0;
}

void rst_seccomp_free(struct rst_ctx *ctx)
{
	if (ctx->seccomp)
		protobuf_c_message_free_unpacked(&ctx->seccomp->base, NULL);
	ctx->seccomp = NULL;
}

static const SeccompFilter *filter_at(const struct rst_ctx *ctx, uint32_t idx)
{
	return ctx->seccomp->seccomp_filters[idx];
}

/* The filters of the chain ending at @last and their instructions; 0 if it loops. */
static size_t chain_len(const struct rst_ctx *ctx, uint32_t last, size_t *insns)
{
	const SeccompFilter *f = filter_at(ctx, last);
	size_t n = 1;

	*insns = f->filter.len / sizeof(struct sock_filter);
	for (; f->has_prev; n++) {
		if (n == ctx->seccomp->n_seccomp_filters)
			return 0;
		f = filter_at(ctx, f->prev);
		*insns += f->filter.len / sizeof(struct sock_filter);
	}
	return n;
}

static int check_thread(const struct rst_ctx *ctx, uint32_t tid, const ThreadCoreEntry *th)
{
	const CredsEntry *cr = th->creds;
	size_t n, insns;

	if (!th->has_seccomp_mode || th->seccomp_mode == SECCOMP_MODE__disabled ||
	    th->seccomp_mode == SECCOMP_MODE__strict)
		return 0;
	if (th->seccomp_mode != SECCOMP_MODE__filter) {
		pr_err("thread %u: unknown seccomp mode %d", tid, th->seccomp_mode);
		return -EINVAL;
	}
	if (!th->has_seccomp_filter || !ctx->seccomp ||
	    th->seccomp_filter >= ctx->seccomp->n_seccomp_filters) {
		pr_err("thread %u: its seccomp filter is not in seccomp.img", tid);
		return -EINVAL;
	}
	n = chain_len(ctx, th->seccomp_filter, &insns);
	if (!n) {
		pr_err("thread %u: its seccomp filters in seccomp.img loop", tid);
		return -EINVAL;
	}
	if (n > RST_MAX_SECCOMP || insns + CHAIN_FILTER_COST * n > CHAIN_MAX_INSNS) {
		pr_err("thread %u: its seccomp filters are too long for the kernel", tid);
		return -EINVAL;
	}
	if (!cr || (!(cr->has_no_new_privs && cr->no_new_privs) &&
		    !(cr->n_cap_eff && (cr->cap_eff[0] & (1u << CAP_SYS_ADMIN))))) {
		pr_err("thread %u: its seccomp filters need no_new_privs or CAP_SYS_ADMIN, and it "
		       "has neither",
		       tid);
		return -EOPNOTSUPP;
	}
	return 0;
}

int rst_seccomp_check(const struct rst_ctx *ctx, const struct rst_task *t)
{
	int ret = 0;

	if (rst_task_is_zombie(t))
		return 0;
	for (size_t i = 0; i < t->pe->n_threads && !ret; i++)
		if (t->cores[i]->thread_core)
			ret = check_thread(ctx, t->pe->threads[i], t->cores[i]->thread_core);
	return ret;
}

static bool has_filters(const CoreEntry *core)
{
	const ThreadCoreEntry *th = core->thread_core;

	return th && th->has_seccomp_mode && th->seccomp_mode == SECCOMP_MODE__filter;
}

size_t rst_seccomp_size(const struct rst_ctx *ctx, const CoreEntry *core)
{
	size_t n, insns;

	if (!has_filters(core))
		return 0;
	n = chain_len(ctx, core->thread_core->seccomp_filter, &insns);
	return n * sizeof(struct rst_seccomp_filter) + insns * sizeof(struct sock_filter);
}

void rst_seccomp_put(const struct rst_ctx *ctx, const CoreEntry *core, struct rst_thread_args *th,
		     uint8_t *at)
{
	struct rst_seccomp_filter *out = (struct rst_seccomp_filter *)at;
	const SeccompFilter *f;
	size_t n, insns;
	uint8_t *code;

	th->seccomp_mode = core->thread_core && core->thread_core->has_seccomp_mode
				   ? (uint32_t)core->thread_core->seccomp_mode
				   : 0;
	if (!has_filters(core))
		return;
	n = chain_len(ctx, core->thread_core->seccomp_filter, &insns);
	code = at + n * sizeof(*out);
	th->seccomp = (uint64_t)(uintptr_t)out;
	th->nr_seccomp = (uint32_t)n;
	/* the chain runs from the newest back: fill from the end */
	f = filter_at(ctx, core->thread_core->seccomp_filter);
	for (size_t i = n; i-- > 0; f = f->has_prev ? filter_at(ctx, f->prev) : NULL) {
		out[i].insns = (uint64_t)(uintptr_t)code;
		out[i].len = (uint32_t)(f->filter.len / sizeof(struct sock_filter));
		out[i].flags = f->has_flags ? f->flags : 0;
		memcpy(code, f->filter.data, f->filter.len);
		code += f->filter.len;
	}
}
