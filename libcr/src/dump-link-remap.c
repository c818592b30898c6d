// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Files that cannot be reopened by path. The kernel follows renames, so an
 * open file's path is lost only when its name is unlinked or replaced (or
 * something else now sits at the path). With no link left the file is a
 * ghost; with one left elsewhere (or when told so) a new hard link in the
 * old folder gives the restore a path to it, and remap-fpath.img says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "cr/cr.h"
#include "dump-ghost.h"
#include "dump-link-remap.h"
#include "file-ids.h"
#include "file-print.h"
#include "lib-log.h"

struct made_link {
	dev_t dev;
	ino_t ino;
	uint32_t id;	/* the REG entry of the link */
	char *path;	/* to remove it */
};

struct dump_links {
	struct made_link *v;
	size_t nr, cap;
};

/* Whether @path still leads to the inode of @st. */
static bool path_leads_to(const char *path, const struct stat *st)
{
	struct stat now;

	return !stat(path, &now) && now.st_dev == st->st_dev && now.st_ino == st->st_ino;
}

/* The REG entry @id of the link @name (task's view) to the inode of @st. */
static int write_link_entry(struct dump_ctx *ctx, const struct stat *st, const char *name,
			    uint32_t id)
{
	FileEntry fe = FILE_ENTRY__INIT;
	RegFileEntry reg = REG_FILE_ENTRY__INIT;
	FownEntry fown = FOWN_ENTRY__INIT;

	reg.id = id;
	reg.flags = O_RDONLY;
	reg.fown = &fown;
	reg.name = (char *)name;
	reg.has_mode = true;
	reg.mode = st->st_mode;
	reg.has_size = true;
	reg.size = st->st_size;
	reg.has_mtime_ns = true;
	reg.mtime_ns = file_print_mtime_ns(st);
	fe.type = FD_TYPES__REG;
	fe.id = id;
	fe.reg = &reg;
	return img_file_write_entry(ctx->files, &fe.base);
}

/* Link our @fd (of @st, once at @path) as link_remap.ID beside @path. */
static int link_make(struct dump_ctx *ctx, int fd, const struct stat *st, const char *path,
		     struct made_link *l)
{
	const char *slash = strrchr(path, '/');
	int len = slash ? (int)(slash - path) : 0;
	char from[32];
	int ret;

	l->id = file_ids_next(ctx->file_ids);
	if (!l->id)
		return -E2BIG;
	if (asprintf(&l->path, "%.*s/link_remap.%u", len, path, l->id) < 0) {
		l->path = NULL;
		return -ENOMEM;
	}
	snprintf(from, sizeof(from), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, from, AT_FDCWD, l->path, AT_SYMLINK_FOLLOW)) {
		ret = -errno;
		pr_err("cannot link %s as %s: %s", path, l->path, strerror(-ret));
		free(l->path);
		return ret;
	}
	l->dev = st->st_dev;
	l->ino = st->st_ino;
	pr_info("%s is no longer at its path: linked as %s (file %u)", path, l->path, l->id);
	ret = write_link_entry(ctx, st, l->path, l->id);
	if (ret) {
		unlink(l->path);
		free(l->path);
	}
	return ret;
}

/* The id of the REG entry of the link to the inode of @st, made the first time. */
static int link_id(struct dump_ctx *ctx, int fd, const struct stat *st, const char *path,
		   uint32_t *id)
{
	struct dump_links *ls = ctx->links;
	int ret;

	for (size_t i = 0; i < ls->nr; i++) {
		if (ls->v[i].dev == st->st_dev && ls->v[i].ino == st->st_ino) {
			*id = ls->v[i].id;
			return 0;
		}
	}
	ret = array_grow((void **)&ls->v, &ls->cap, ls->nr, sizeof(*ls->v), LINK_REMAPS_MAX);
	if (!ret)
		ret = link_make(ctx, fd, st, path, &ls->v[ls->nr]);
	if (ret)
		return ret;
	*id = ls->v[ls->nr++].id;
	return 0;
}

int dump_path_gone(struct dump_ctx *ctx, pid_t pid, int fd, const struct stat *st, const char *path,
		   bool deleted, uint32_t reg_id)
{
	uint32_t link;
	int ret;

	if (deleted && (!S_ISREG(st->st_mode) || !st->st_nlink))
		return dump_ghost(ctx, fd, st, path, reg_id);
	if (!S_ISREG(st->st_mode) || (!deleted && path_leads_to(path, st)))
		return 0;
	if (!(ctx->flags & CR_DUMP_LINK_REMAP)) {
		pr_err("%s, open in task %d, is no longer at that path (%s; hard links left: "
		       "%lu): dump with --link-remap to save it through a new hard link",
		       path, pid, deleted ? "its name was removed" : "the path names another file",
		       (unsigned long)st->st_nlink);
		return -EOPNOTSUPP;
	}
	if (!ctx->links) {
		ctx->links = calloc(1, sizeof(*ctx->links));
		if (!ctx->links)
			return -ENOMEM;
	}
	ret = link_id(ctx, fd, st, path, &link);
	if (!ret)
		ret = dump_remap_write(ctx, reg_id, link, REMAP_TYPE__LINKED);
	if (ret)
		pr_err("cannot save %s through a hard link: %s", path, strerror(-ret));
	return ret;
}

void dump_link_remaps_finish(struct dump_ctx *ctx, bool keep)
{
	struct dump_links *ls = ctx->links;

	if (!ls)
		return;
	for (size_t i = 0; i < ls->nr; i++) {
		if (!keep && unlink(ls->v[i].path))
			pr_warn("cannot remove the link %s: %m", ls->v[i].path);
		free(ls->v[i].path);
	}
	free(ls->v);
	free(ls);
	ctx->links = NULL;
}
