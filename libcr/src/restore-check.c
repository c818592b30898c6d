// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib-log.h"
#include "proc-file.h"
#include "restore-check.h"

void rst_finding(const struct rst_ctx *ctx, const char *kind, const char *subject, const char *fmt,
		 ...)
{
	struct cr_finding f = {.kind = kind, .subject = subject};
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f.message = msg;
	if (ctx->flags & CR_RESTORE_CHECK_ONLY)
		pr_info("%s", msg);
	else
		pr_err("%s", msg);
	if (ctx->finding)
		ctx->finding(&f, ctx->finding_ctx);
}

/* The name of the process @pid, for the person who must free its PID. */
static void comm_of(pid_t pid, char *buf, size_t size)
{
	long n = proc_read_all(pid, "comm", buf, size - 1);

	if (n <= 0)
		n = snprintf(buf, size, "?");
	else if (buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
}

int rst_check_pids(const struct rst_ctx *ctx)
{
	char comm[32], subject[16];
	int taken = 0;

	for (size_t i = 0; i < ctx->nr_tasks; i++) {
		const PstreeEntry *pe = ctx->tasks[i].pe;

		for (size_t j = 0; j < pe->n_threads; j++) {
			if (kill(pe->threads[j], 0) && errno == ESRCH)
				continue;
			comm_of(pe->threads[j], comm, sizeof(comm));
			snprintf(subject, sizeof(subject), "%u", pe->threads[j]);
			rst_finding(ctx, "pid", subject,
				    "PID %u, needed by task %u, is already taken (by %s): end that "
				    "process first",
				    pe->threads[j], pe->pid, comm);
			taken++;
		}
	}
	return taken;
}

int rst_check(struct rst_ctx *ctx)
{
	static const struct {
		int (*check)(const struct rst_ctx *ctx);
		int err;
	} checks[] = {
		{rst_check_files, -ENOENT},
		{rst_check_memory, -ENOMEM},
		{rst_check_pids, -EEXIST},
		{rst_check_cpu, -EOPNOTSUPP},
		{rst_check_kernel, -EOPNOTSUPP},
	};
	int found = rst_check_vdso(ctx), err = 0;

	if (found < 0)
		return found;
	if (found)
		err = -EOPNOTSUPP;
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		int n = checks[i].check(ctx);

		if (n < 0)
			return n;
		if (n && !err)
			err = checks[i].err;
		found += n;
	}
	if (found)
		pr_err("check-only: %d problem%s would make the restore fail here", found,
		       found > 1 ? "s" : "");
	return err;
}

CR_API int cr_images_check_only(int images_dirfd)
{
	struct img_dir *dir = img_dir_open_fd(images_dirfd);
	InventoryEntry *inv;
	int ret;

	if (!dir)
		return -errno;
	ret = cr_img_read_one(dir, "INVENTORY", 0, &inventory_entry__descriptor,
			      (ProtobufCMessage **)&inv);
	img_dir_close(dir);
	if (ret)
		return ret;
	ret = inv->check_only;
	protobuf_c_message_free_unpacked(&inv->base, NULL);
	return ret;
}
