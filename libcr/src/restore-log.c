// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lib-log.h"
#include "restore-log.h"

/* One message; smaller than PIPE_BUF, so each write is atomic. */
struct log_record {
	int32_t level, line;
	char file[96];
	char msg[1024];
};

int rst_log_open(struct rst_ctx *ctx)
{
	int fds[2];

	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	ctx->log_rd = fds[0];
	ctx->log_wr = fcntl(fds[1], F_DUPFD_CLOEXEC, ctx->service_fd_base);
	close(fds[1]);
	return ctx->log_wr < 0 ? -errno : 0;
}

static void forward(int level, const char *file, int line, const char *msg, void *arg)
{
	struct rst_ctx *ctx = arg;
	struct log_record r = { .level = level, .line = line };

	strncpy(r.file, file, sizeof(r.file) - 1);
	strncpy(r.msg, msg, sizeof(r.msg) - 1);
	/* A full pipe drops the message rather than stall the restore. */
	if (write(ctx->log_wr, &r, sizeof(r)) < 0)
		return;
}

void rst_log_forward(struct rst_ctx *ctx)
{
	close(ctx->log_rd);
	ctx->log_rd = -1;
	LIB_LOGGER.fn = forward;
	LIB_LOGGER.ctx = ctx;
}

void rst_log_drain(struct rst_ctx *ctx)
{
	struct log_record r;

	while (ctx->log_rd >= 0 && read(ctx->log_rd, &r, sizeof(r)) == sizeof(r)) {
		r.file[sizeof(r.file) - 1] = '\0';
		r.msg[sizeof(r.msg) - 1] = '\0';
		if (LIB_LOGGER.fn)
			LIB_LOGGER.fn(r.level, r.file, r.line, r.msg, LIB_LOGGER.ctx);
	}
}

void rst_log_close(struct rst_ctx *ctx)
{
	if (ctx->log_rd >= 0)
		close(ctx->log_rd);
	if (ctx->log_wr >= 0)
		close(ctx->log_wr);
	ctx->log_rd = ctx->log_wr = -1;
}
