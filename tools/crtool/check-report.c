// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "check-report.h"
#include "log.h"

static const char *const category_names[] = {
	[CHECK_CAT_REQUIRED] = "required",
	[CHECK_CAT_EXTRA] = "extra",
	[CHECK_CAT_EXPERIMENTAL] = "experimental",
};

const char *json_string(char *dst, size_t size, const char *s)
{
	size_t n = 0;

	dst[n++] = '"';
	for (; *s && n + 8 < size; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			n += snprintf(dst + n, size - n, "\\%c", c);
		else if (c < 0x20)
			n += snprintf(dst + n, size - n, "\\u%04x", c);
		else
			dst[n++] = c;
	}
	dst[n++] = '"';
	dst[n] = '\0';
	return dst;
}

/* Print the entry held back (followed by a comma), hold back @entry. */
static void json_entry(struct check_report *rep, const char *entry)
{
	if (rep->pending[0])
		pr_msg("    %s,\n", rep->pending);
	snprintf(rep->pending, sizeof(rep->pending), "%s", entry);
}

/* Print the last entry held back, without a comma. */
static void json_flush(struct check_report *rep)
{
	if (rep->pending[0])
		pr_msg("    %s\n", rep->pending);
	rep->pending[0] = '\0';
}

void check_report_begin(struct check_report *rep, struct check_ctx *ctx, unsigned int categories)
{
	const struct check_probe *p;
	int cat, count[CHECK_CAT_EXPERIMENTAL + 1] = { 0 };
	char list[32] = "";
	size_t n = 0;

	rep->pending[0] = '\0';
	if (rep->json) {
		for (cat = CHECK_CAT_REQUIRED; cat <= CHECK_CAT_EXPERIMENTAL; cat++)
			if (categories & CHECK_CAT_BIT(cat))
				n += snprintf(list + n, sizeof(list) - n, "%s%d", n ? ", " : "", cat);
		pr_msg("{\n  \"categories\": [%s],\n  \"probes\": [\n", list);
		return;
	}
	/* Say so when a category asked for has nothing to run. */
	for (p = check_probe_next(ctx, NULL); p; p = check_probe_next(ctx, p))
		count[check_probe_category(p)]++;
	for (cat = CHECK_CAT_REQUIRED; cat <= CHECK_CAT_EXPERIMENTAL; cat++)
		if ((categories & CHECK_CAT_BIT(cat)) && !count[cat])
			pr_msg("No %s (category %d) probes in this build.\n", category_names[cat], cat);
}

void check_report_probe(struct check_ctx *ctx, const struct check_probe *probe,
			enum check_result result, void *arg)
{
	struct check_report *rep = arg;
	const char *msg = check_probe_message(ctx, probe);
	char name[128], text[512], entry[1024];

	if (!msg)
		msg = "";
	if (rep->json) {
		snprintf(entry, sizeof(entry),
			 "{\"name\": %s, \"category\": %d, \"result\": \"%s\", \"message\": %s}",
			 json_string(name, sizeof(name), check_probe_name(probe)),
			 check_probe_category(probe), check_result_name(result),
			 json_string(text, sizeof(text), msg));
		json_entry(rep, entry);
		return;
	}
	if (result == CHECK_SUPPORTED)
		return;
	pr_msg("%s: %s: %s: %s\n",
	       check_probe_category(probe) == CHECK_CAT_REQUIRED ? "Error" : "Warning",
	       check_probe_name(probe),
	       result == CHECK_NOT_PERMITTED ? "not permitted" : check_result_name(result), msg);
}

void check_report_end(struct check_report *rep, enum check_verdict verdict)
{
	static const char *const verdict_names[] = {
		[CHECK_VERDICT_GOOD] = "good",
		[CHECK_VERDICT_INCOMPLETE] = "incomplete",
		[CHECK_VERDICT_BAD] = "bad",
	};
	static const char *const verdict_text[] = {
		[CHECK_VERDICT_GOOD] = CHECK_GOOD,
		[CHECK_VERDICT_INCOMPLETE] = CHECK_MAYBE,
		[CHECK_VERDICT_BAD] = CHECK_BAD,
	};

	if (!rep->json) {
		pr_msg("%s\n", verdict_text[verdict]);
		return;
	}
	json_flush(rep);
	pr_msg("  ],\n  \"verdict\": \"%s\"\n}\n", verdict_names[verdict]);
}

void check_report_list(struct check_ctx *ctx, bool json)
{
	struct check_report rep = { .json = json };
	char line[4096], name[128], desc[512], entry[1024];
	const struct check_probe *p;
	size_t n = 0;

	if (json)
		pr_msg("{\n  \"features\": [\n");
	for (p = check_probe_next(ctx, NULL); p; p = check_probe_next(ctx, p)) {
		if (!json) {
			n += snprintf(line + n, sizeof(line) - n, "%s%s", n ? " " : "",
				      check_probe_name(p));
			if (n >= sizeof(line))
				n = sizeof(line) - 1;
			continue;
		}
		snprintf(entry, sizeof(entry), "{\"name\": %s, \"category\": %d, \"description\": %s}",
			 json_string(name, sizeof(name), check_probe_name(p)), check_probe_category(p),
			 json_string(desc, sizeof(desc), check_probe_description(p)));
		json_entry(&rep, entry);
	}
	if (json) {
		json_flush(&rep);
		pr_msg("  ]\n}\n");
	} else {
		pr_msg("%s\n", n ? line : "");
	}
}
