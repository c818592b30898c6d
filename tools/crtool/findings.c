// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-report.h"
#include "findings.h"
#include "log.h"

void findings_add(const struct cr_finding *f, void *arg)
{
	struct findings *fs = arg;
	char kind[32], subject[1024], msg[2048], *entry, **more;

	if (!fs->json) {
		pr_msg("%s: %s\n", f->kind, f->message);
		return;
	}
	more = realloc(fs->entries, (fs->nr + 1) * sizeof(*more));
	if (!more)
		return;
	fs->entries = more;
	if (asprintf(&entry, "{ \"kind\": %s, \"subject\": %s, \"message\": %s }",
		     json_string(kind, sizeof(kind), f->kind),
		     json_string(subject, sizeof(subject), f->subject),
		     json_string(msg, sizeof(msg), f->message)) >= 0)
		fs->entries[fs->nr++] = entry;
}

void findings_end(struct findings *fs, const char *error)
{
	char why[1024];

	if (fs->json) {
		pr_msg("{\n    \"check_only\": true,\n    \"ok\": %s,\n", error ? "false" : "true");
		if (error)
			pr_msg("    \"error\": %s,\n", json_string(why, sizeof(why), error));
		pr_msg("    \"findings\": [\n");
		for (size_t i = 0; i < fs->nr; i++)
			pr_msg("        %s%s\n", fs->entries[i], i + 1 < fs->nr ? "," : "");
		pr_msg("    ]\n}\n");
	} else if (!error) {
		pr_msg("Looks good: a restore would succeed here.\n");
	}
	for (size_t i = 0; i < fs->nr; i++)
		free(fs->entries[i]);
	free(fs->entries);
	fs->entries = NULL;
	fs->nr = 0;
}
