// SPDX-License-Identifier: LGPL-2.1-or-later
/* The handle: a probe table and the result of each probe that ran. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib-log.h"
#include "probe.h"

struct probe_state {
	bool done;
	struct probe_out out;
};

struct check_ctx {
	const struct check_probe *probes;
	size_t count;
	struct probe_state *state;
};

struct check_ctx *check_ctx_new_table(const struct check_probe *probes, size_t count)
{
	struct check_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->state = calloc(count ? count : 1, sizeof(*ctx->state));
	if (!ctx->state) {
		free(ctx);
		errno = ENOMEM;
		return NULL;
	}
	ctx->probes = probes;
	ctx->count = count;
	return ctx;
}

CHECK_API void check_ctx_free(struct check_ctx *ctx)
{
	if (!ctx)
		return;
	free(ctx->state);
	free(ctx);
}

/* Index of @probe in @ctx's table, or -1 when it is not one of them. */
static long probe_index(const struct check_ctx *ctx, const struct check_probe *probe)
{
	if (!ctx || !probe || probe < ctx->probes || probe >= ctx->probes + ctx->count)
		return -1;
	return probe - ctx->probes;
}

CHECK_API const struct check_probe *check_probe_next(const struct check_ctx *ctx,
						     const struct check_probe *prev)
{
	long i;

	if (!ctx || !ctx->count)
		return NULL;
	if (!prev)
		return ctx->probes;
	i = probe_index(ctx, prev);
	if (i < 0 || (size_t)i + 1 >= ctx->count)
		return NULL;
	return prev + 1;
}

CHECK_API const struct check_probe *check_probe_find(const struct check_ctx *ctx,
						     const char *name)
{
	size_t i;

	for (i = 0; ctx && name && i < ctx->count; i++) {
		const struct check_probe *p = &ctx->probes[i];

		if (!strcmp(p->name, name) || (p->alias && !strcmp(p->alias, name)))
			return p;
	}
	errno = ENOENT;
	return NULL;
}

CHECK_API const char *check_probe_name(const struct check_probe *probe)
{
	return probe->name;
}

CHECK_API enum check_category check_probe_category(const struct check_probe *probe)
{
	return probe->category;
}

CHECK_API const char *check_probe_description(const struct check_probe *probe)
{
	return probe->description;
}

CHECK_API int check_probe_run(struct check_ctx *ctx, const struct check_probe *probe)
{
	long i = probe_index(ctx, probe);
	struct probe_state *st;

	if (i < 0)
		return -EINVAL;
	st = &ctx->state[i];
	if (!st->done) {
		st->out.cap = -1;
		pr_debug("probe %s: running", probe->name);
		st->out.result = probe->run(&st->out);
		st->done = true;
		pr_info("probe %s: %s: %s", probe->name, check_result_name(st->out.result),
			st->out.msg);
	}
	return st->out.result;
}

CHECK_API const char *check_probe_message(const struct check_ctx *ctx,
					  const struct check_probe *probe)
{
	long i = probe_index(ctx, probe);

	if (i < 0 || !ctx->state[i].done)
		return NULL;
	return ctx->state[i].out.msg;
}

CHECK_API int check_probe_capability(const struct check_ctx *ctx,
				     const struct check_probe *probe)
{
	long i = probe_index(ctx, probe);

	if (i < 0 || !ctx->state[i].done || ctx->state[i].out.result != CHECK_NOT_PERMITTED)
		return -1;
	return ctx->state[i].out.cap;
}
