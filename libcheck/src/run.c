// SPDX-License-Identifier: LGPL-2.1-or-later
/* A whole check over a set of categories, and its verdict. */
#include <errno.h>

#include "probe.h"

CHECK_API const char *check_result_name(enum check_result result)
{
	switch (result) {
	case CHECK_SUPPORTED:
		return "supported";
	case CHECK_MISSING:
		return "missing";
	case CHECK_NOT_PERMITTED:
		return "not_permitted";
	case CHECK_ERROR:
		return "error";
	}
	return NULL;
}

CHECK_API int check_run(struct check_ctx *ctx, unsigned int categories, check_report_fn report,
			void *arg)
{
	const struct check_probe *p;
	int verdict = CHECK_VERDICT_GOOD;

	if (!ctx || !(categories & CHECK_CATS_ALL))
		return -EINVAL;
	for (p = check_probe_next(ctx, NULL); p; p = check_probe_next(ctx, p)) {
		int res;

		if (!(categories & CHECK_CAT_BIT(p->category)))
			continue;
		res = check_probe_run(ctx, p);
		if (res < 0)
			return res;
		if (report)
			report(ctx, p, res, arg);
		if (res == CHECK_SUPPORTED)
			continue;
		/* Stop at the first required feature missing: that is the news. */
		if (p->category == CHECK_CAT_REQUIRED)
			return CHECK_VERDICT_BAD;
		verdict = CHECK_VERDICT_INCOMPLETE;
	}
	return verdict;
}
