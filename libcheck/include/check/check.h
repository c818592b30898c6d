/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcheck: kernel feature probes for checkpoint/restore, sorted in categories
 *
 * Conventions of every crtool library: functions return 0 (or a count) on
 * success and a negative errno on failure; constructors return NULL and set
 * errno. Nothing here prints, exits or aborts: messages go to the callback
 * installed with check_set_log().
 *
 * A session walks like this:
 *
 *	struct check_ctx *ctx = check_ctx_new();
 *
 *	// list the probes
 *	for (p = check_probe_next(ctx, NULL); p; p = check_probe_next(ctx, p))
 *		printf("%s %d %s\n", check_probe_name(p),
 *		       check_probe_category(p), check_probe_description(p));
 *
 *	// one probe
 *	p = check_probe_find(ctx, "uffd");
 *	if (check_probe_run(ctx, p) != CHECK_SUPPORTED)
 *		puts(check_probe_message(ctx, p));
 *
 *	// a whole check, with the verdict criu's "check" gives
 *	verdict = check_run(ctx, CHECK_CATS_ALL, report_cb, NULL);
 *
 *	check_ctx_free(ctx);
 *
 * Probes run in the calling process or in short-lived children that the
 * probe reaps (by pid) before it returns; they leave nothing behind (no
 * files, devices, namespaces or processes). A caller that ignores SIGCHLD
 * (SIG_IGN) gets CHECK_ERROR from those probes, as the kernel then reaps
 * the children itself. A handle caches each result: a probe runs at most
 * once per handle. A handle is not thread-safe; use one per thread.
 */
#ifndef CHECK_CHECK_H
#define CHECK_CHECK_H

#ifdef __cplusplus
extern "C" {
#endif

#define CHECK_API __attribute__((visibility("default")))

/* Log levels, the numbers criu uses. */
enum check_log_level {
	CHECK_LOG_MSG = 0,
	CHECK_LOG_ERROR = 1,
	CHECK_LOG_WARN = 2,
	CHECK_LOG_INFO = 3,
	CHECK_LOG_DEBUG = 4,
};

/*
 * Called once per message: @file and @line locate the message in the
 * library's sources, @msg is the formatted text without a trailing newline.
 */
typedef void (*check_log_fn)(int level, const char *file, int line, const char *msg, void *ctx);

/* Install the log callback (NULL: drop every message). Process-wide. */
CHECK_API void check_set_log(check_log_fn fn, void *ctx);

/* How much checkpoint/restore depends on what a probe looks for. */
enum check_category {
	/* Without it dump or restore fails for any process tree. */
	CHECK_CAT_REQUIRED = 1,
	/* Needed only when the process tree uses the feature. */
	CHECK_CAT_EXTRA = 2,
	/* Features crtool does not rely on yet. */
	CHECK_CAT_EXPERIMENTAL = 3,
};

/* Sets of categories, for check_run(). */
#define CHECK_CAT_BIT(cat) (1u << (cat))
#define CHECK_CATS_ALL                                                         \
	(CHECK_CAT_BIT(CHECK_CAT_REQUIRED) | CHECK_CAT_BIT(CHECK_CAT_EXTRA) |  \
	 CHECK_CAT_BIT(CHECK_CAT_EXPERIMENTAL))

/* What a probe found. */
enum check_result {
	/* The kernel has the feature and it works. */
	CHECK_SUPPORTED = 0,
	/* The kernel lacks the feature (or it is configured off). */
	CHECK_MISSING = 1,
	/*
	 * The probe could not tell: the caller lacks a capability it needs
	 * (check_probe_capability() says which).
	 */
	CHECK_NOT_PERMITTED = 2,
	/* The probe failed for another reason (out of memory, fd limit...). */
	CHECK_ERROR = 3,
};

/* The overall answer of check_run(). */
enum check_verdict {
	/* Every probe that ran found its feature. */
	CHECK_VERDICT_GOOD = 0,
	/* Category 1 complete, some category 2 or 3 feature is not. */
	CHECK_VERDICT_INCOMPLETE = 1,
	/* A category 1 probe did not find its feature. */
	CHECK_VERDICT_BAD = 2,
};

/* A handle: the probe registry and the results found so far. */
struct check_ctx;
/* One probe of the registry; owned by the library, valid while its ctx is. */
struct check_probe;

/*
 * New handle over every probe this library has. Free it with
 * check_ctx_free(). NULL with errno ENOMEM on failure.
 */
CHECK_API struct check_ctx *check_ctx_new(void);

/* Free @ctx, its cached results and messages. NULL is accepted. */
CHECK_API void check_ctx_free(struct check_ctx *ctx);

/*
 * Probes in registry order: category 1 first, then 2, then 3. @prev NULL
 * gives the first probe; NULL after the last one.
 */
CHECK_API const struct check_probe *check_probe_next(const struct check_ctx *ctx,
						     const struct check_probe *prev);

/*
 * The probe called @name (criu's spelling where criu has the feature; a few
 * probes also answer to a second name, e.g. "time_ns" for "timens"), or
 * NULL with errno ENOENT.
 */
CHECK_API const struct check_probe *check_probe_find(const struct check_ctx *ctx,
						     const char *name);

/* The probe's name, e.g. "mnt_id"; static string. */
CHECK_API const char *check_probe_name(const struct check_probe *probe);

/* The probe's category. */
CHECK_API enum check_category check_probe_category(const struct check_probe *probe);

/* One line saying what the probe looks for; static string. */
CHECK_API const char *check_probe_description(const struct check_probe *probe);

/*
 * Run @probe unless @ctx already has its result, and return the result
 * (a check_result, >= 0). -EINVAL when @probe does not belong to @ctx.
 */
CHECK_API int check_probe_run(struct check_ctx *ctx, const struct check_probe *probe);

/*
 * The human message of @probe's result: what was found, or what is missing
 * and what it needs. Owned by @ctx, valid until check_ctx_free(). NULL
 * when the probe has not run yet.
 */
CHECK_API const char *check_probe_message(const struct check_ctx *ctx,
					  const struct check_probe *probe);

/*
 * For a CHECK_NOT_PERMITTED result, the capability the probe needed (a
 * CAP_* number from <linux/capability.h>); -1 for any other result or when
 * the probe has not run.
 */
CHECK_API int check_probe_capability(const struct check_ctx *ctx,
				     const struct check_probe *probe);

/* "supported", "missing", "not_permitted" or "error"; NULL if unknown. */
CHECK_API const char *check_result_name(enum check_result result);

/* Called by check_run() after each probe, with its (possibly cached) result. */
typedef void (*check_report_fn)(struct check_ctx *ctx, const struct check_probe *probe,
				enum check_result result, void *arg);

/*
 * Run, in registry order, every probe whose category is in @categories (a
 * set of CHECK_CAT_BIT()s), calling @report (may be NULL) after each. Stops
 * after the first category 1 probe that is not CHECK_SUPPORTED, so that the
 * first thing missing is the last thing reported. Returns the verdict (an
 * enum check_verdict, >= 0), or -EINVAL when @categories holds no category.
 */
CHECK_API int check_run(struct check_ctx *ctx, unsigned int categories, check_report_fn report,
			void *arg);

#ifdef __cplusplus
}
#endif

#endif
