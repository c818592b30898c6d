// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "inherit-key.h"
#include "lib-log.h"
#include "restore-inherit.h"

int rst_inherit_check(const struct rst_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nr_inherit_fds; i++) {
		const struct cr_inherit_fd *in = &ctx->inherit_fds[i];

		if (!in->key || !in->key[0]) {
			pr_err("inherited fd %d comes without a key", in->fd);
			return -EINVAL;
		}
		if (in->fd < 0 || fcntl(in->fd, F_GETFD) < 0) {
			pr_err("inherited fd %d (for %s) is not open", in->fd, in->key);
			return -EBADF;
		}
	}
	return 0;
}

/* The key CRIU's restore matches a file of kind @fe against; NULL when it has none. */
static const char *file_key(const FileEntry *fe, const char *fifo_path, char *buf, size_t size)
{
	switch (fe->type) {
	case FD_TYPES__EXT:
		return fe->ext ? fe->ext->inherit_key : NULL;
	case FD_TYPES__PIPE:
		if (!fe->pipe)
			return NULL;
		snprintf(buf, size, "pipe:[%u]", fe->pipe->pipe_id);
		return buf;
	case FD_TYPES__REG:
		return fe->reg ? fe->reg->name : NULL;
	case FD_TYPES__FIFO:
		return fifo_path;
	default:
		return NULL;
	}
}

int rst_inherit_lookup(const struct rst_ctx *ctx, const FileEntry *fe, const char *fifo_path,
		       int *fd)
{
	char buf[32];
	const char *key = file_key(fe, fifo_path, buf, sizeof(buf));

	*fd = -1;
	for (size_t i = 0; key && i < ctx->nr_inherit_fds; i++) {
		if (inherit_key_match(key, ctx->inherit_fds[i].key)) {
			*fd = ctx->inherit_fds[i].fd;
			pr_info("file %u (%s) is taken from inherited fd %d", fe->id, key, *fd);
			return 0;
		}
	}
	if (fe->type != FD_TYPES__EXT)
		return 0;
	if (!key) {
		pr_err("file %u is external without a key (a CRIU plugin's): crtool cannot restore "
		       "it",
		       fe->id);
		return -EOPNOTSUPP;
	}
	pr_err("%s was external at dump: no inherited fd is given for it (inherit-fd fd[N]:%s)",
	       key, key);
	return -ENOENT;
}
