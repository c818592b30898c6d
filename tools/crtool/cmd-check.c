// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crtool check: probe the kernel for what checkpoint/restore needs, with
 * criu's categories, words and exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check-report.h"
#include "cli.h"
#include "log.h"

enum {
	OPT_EXTRA = 0x2000,
	OPT_EXPERIMENTAL,
	OPT_ALL,
	OPT_FEATURE,
	OPT_JSON,
	OPT_MS,
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: crtool check [OPTIONS]\n"
		"\n"
		"Probe the running kernel for the features checkpoint/restore needs.\n"
		"Category 1 (required) probes always run; crtool stops at the first one\n"
		"missing. Category 2 (extra) features are needed only by trees that use\n"
		"them; category 3 (experimental) ones are not relied on yet.\n"
		"\n"
		"  (no option)         category 1\n"
		"  --extra             categories 1 and 2\n"
		"  --experimental      categories 1 and 3\n"
		"  --all               categories 1, 2 and 3\n"
		"  --feature NAME      one probe: \"NAME is supported\" or what is missing\n"
		"  --feature list      the names of every probe, on one line\n"
		"  --json              the report as JSON (name, category, result, message)\n"
		"  -o, --log-file FILE, -v[N], --verbosity=N, -h, --help: see crtool --help\n"
		"\n"
		"Exit status: 0 when every feature asked for is there, 1 otherwise.\n"
		"Prints \"Looks good.\" when all is there, \"Does not look good.\" when a\n"
		"category 1 feature is missing, and a three-line warning that starts\n"
		"\"Looks good but some kernel features are missing\" when only category\n"
		"2 or 3 features are.\n");
}

/* --feature NAME: one probe, or the list of names. */
static int check_one(struct check_ctx *ctx, const char *name, bool json)
{
	const struct check_probe *probe;
	struct check_report rep = { .json = json };
	int res;

	if (!strcmp(name, "list")) {
		check_report_list(ctx, json);
		return EXIT_OK;
	}
	probe = check_probe_find(ctx, name);
	if (!probe) {
		pr_err("Unknown feature %s", name);
		check_report_list(ctx, false);
		return EXIT_FAIL;
	}
	res = check_probe_run(ctx, probe);
	if (res < 0) {
		pr_err("cannot run probe %s", name);
		return EXIT_FAIL;
	}
	if (json) {
		check_report_begin(&rep, ctx, CHECK_CAT_BIT(check_probe_category(probe)));
		check_report_probe(ctx, probe, res, &rep);
		check_report_end(&rep, res == CHECK_SUPPORTED ? CHECK_VERDICT_GOOD :
				 check_probe_category(probe) == CHECK_CAT_REQUIRED ?
							   CHECK_VERDICT_BAD :
							   CHECK_VERDICT_INCOMPLETE);
	} else if (res == CHECK_SUPPORTED) {
		pr_msg("%s is supported\n", name);
	} else {
		check_report_probe(ctx, probe, res, &rep);
	}
	return res == CHECK_SUPPORTED ? EXIT_OK : EXIT_FAIL;
}

static int check_categories(struct check_ctx *ctx, unsigned int categories, bool json)
{
	struct check_report rep = { .json = json };
	int verdict;

	check_report_begin(&rep, ctx, categories);
	verdict = check_run(ctx, categories, check_report_probe, &rep);
	if (verdict < 0) {
		pr_err("check failed: %s", strerror(-verdict));
		return EXIT_FAIL;
	}
	check_report_end(&rep, verdict);
	return verdict == CHECK_VERDICT_GOOD ? EXIT_OK : EXIT_FAIL;
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "extra", no_argument, NULL, OPT_EXTRA },
		{ "experimental", no_argument, NULL, OPT_EXPERIMENTAL },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "feature", required_argument, NULL, OPT_FEATURE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "ms", no_argument, NULL, OPT_MS },
		COMMON_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	unsigned int categories = CHECK_CAT_BIT(CHECK_CAT_REQUIRED);
	const char *feature = NULL;
	struct check_ctx *ctx;
	bool json = false;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, COMMON_SHORT_OPTIONS, longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_EXTRA:
			categories |= CHECK_CAT_BIT(CHECK_CAT_EXTRA);
			break;
		case OPT_EXPERIMENTAL:
			categories |= CHECK_CAT_BIT(CHECK_CAT_EXPERIMENTAL);
			break;
		case OPT_ALL:
			categories = CHECK_CATS_ALL;
			break;
		case OPT_FEATURE:
			feature = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_MS:
			fprintf(stderr, "crtool: --ms is not supported: crtool checks mainline kernels "
					"only; use --extra, --experimental, --all or --feature NAME\n");
			return EXIT_FAIL;
		default:
			ret = cli_common_option(opt, optarg);
			if (ret > 0) {
				usage(stdout);
				return EXIT_OK;
			}
			if (ret < 0) {
				usage(stderr);
				return EXIT_FAIL;
			}
		}
	}
	if (optind < argc) {
		fprintf(stderr, "crtool: check takes no argument ('%s')\n", argv[optind]);
		return EXIT_FAIL;
	}
	ret = cli_open_log();
	if (ret != EXIT_OK)
		return ret;

	ctx = check_ctx_new();
	if (!ctx) {
		pr_err("cannot set up the probes: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (feature)
		ret = check_one(ctx, feature, json);
	else
		ret = check_categories(ctx, categories, json);
	check_ctx_free(ctx);
	return ret;
}
