// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Files marked external at dump (cr_dump_opts.inherit_keys): one FileEntry
 * of type EXT holding the file's key and owner and nothing of its contents
 * (no pipe data, ...). The restore takes such a file from a descriptor
 * handed in under the same key (restore-inherit.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dump-files.h"
#include "file-ids.h"
#include "inherit-key.h"
#include "lib-log.h"
#include "proc-file.h"

bool dump_is_external(struct dump_ctx *ctx, pid_t pid, int fd, char *key, size_t size)
{
	char name[32];

	if (!ctx->nr_inherit_keys)
		return false;
	snprintf(name, sizeof(name), "fd/%d", fd);
	if (proc_readlink(pid, name, key, size) < 0)
		return false;
	for (size_t i = 0; i < ctx->nr_inherit_keys; i++) {
		if (inherit_key_match(key, ctx->inherit_keys[i])) {
			ctx->inherit_used[i] = true;
			return true;
		}
	}
	return false;
}

int dump_ext_file(struct dump_ctx *ctx, int fd, const char *key, uint32_t *id)
{
	FileEntry fe = FILE_ENTRY__INIT;
	ExtFileEntry ext = EXT_FILE_ENTRY__INIT;
	FownEntry fown = FOWN_ENTRY__INIT;
	int ret;

	ret = file_ids_claim(ctx->file_ids, fd, id, &fown);
	if (ret)
		return ret < 0 ? ret : 0;
	ext.id = *id;
	ext.fown = &fown;
	ext.inherit_key = (char *)key;
	fe.type = FD_TYPES__EXT;
	fe.id = *id;
	fe.ext = &ext;
	pr_info("file %u (%s) is external: the restore must be handed it", *id, key);
	return img_file_write_entry(ctx->files, &fe.base);
}

void dump_ext_warn_unused(const struct dump_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nr_inherit_keys; i++)
		if (!ctx->inherit_used[i])
			pr_warn("no descriptor of the tree is %s: nothing was marked external for "
				"it",
				ctx->inherit_keys[i]);
}
