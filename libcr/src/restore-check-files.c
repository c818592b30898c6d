// SPDX-License-Identifier: LGPL-2.1-or-later
/* rst_check_files(): the fingerprinted files of files.img against this machine's. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file-print.h"
#include "lib-log.h"
#include "restore-check.h"

/* @ns as 2024-01-02 03:04:05.123456789 UTC. */
static void format_mtime(uint64_t ns, char *buf, size_t size)
{
	time_t t = (time_t)(ns / 1000000000);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&t, &tm) || !(n = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm)))
		snprintf(buf, size, "?");
	else
		snprintf(buf + n, size - n, ".%09u UTC", (unsigned int)(ns % 1000000000));
}

/* "size N, modified T; dumped: size M, modified U": how @st differs from @reg. */
static void describe_change(const RegFileEntry *reg, const struct stat *st, char *buf, size_t size)
{
	char was[48], now[48];

	format_mtime(reg->mtime_ns, was, sizeof(was));
	format_mtime(file_print_mtime_ns(st), now, sizeof(now));
	snprintf(buf, size, "size %lld, modified %s; dumped: size %llu, modified %s",
		 (long long)st->st_size, now, (unsigned long long)reg->size, was);
}

/* One finding (1) when the file @reg names is missing or differs here, else 0. */
static int check_one(const struct rst_ctx *ctx, const RegFileEntry *reg)
{
	char change[160];
	struct file_print p;
	struct stat st;
	int fd, ret;

	fd = open(reg->name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rst_finding(ctx, "file", reg->name,
			    "%s, mapped or open in the tree, cannot be opened here: %s", reg->name,
			    strerror(errno));
		return 1;
	}
	ret = fstat(fd, &st) ? -errno : file_print_read(fd, &st, &p);
	close(fd);
	if (ret == 1 && file_print_matches(&p, reg))
		return 0;
	if (ret < 0) {
		rst_finding(ctx, "file", reg->name, "%s cannot be read here: %s", reg->name,
			    strerror(-ret));
		return 1;
	}
	describe_change(reg, &st, change, sizeof(change));
	rst_finding(ctx, "file", reg->name,
		    "%s differs from the dumped file (%s, %s): install the same version", reg->name,
		    change, reg->n_build_id ? "build-id" : "SHA-256");
	return 1;
}

bool rst_file_may_change(const RegFileEntry *reg)
{
	/*
	 * A log the tree only appends to may grow meanwhile (other writers):
	 * its writes land at the end whatever it holds, as criu has it. An
	 * O_PATH file only names the inode: nothing is read through it.
	 */
	return ((reg->flags & O_ACCMODE) == O_WRONLY && (reg->flags & O_APPEND)) ||
	       (reg->flags & O_PATH);
}

int rst_check_unchanged(const struct rst_ctx *ctx, const RegFileEntry *reg, const char *path)
{
	char change[160];
	struct stat st;

	if (rst_file_may_change(reg))
		return 0;
	/* A file missing or of another kind: its open says so. */
	if (!path || stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	if ((!reg->has_size || reg->size == (uint64_t)st.st_size) &&
	    (!reg->has_mtime_ns || reg->mtime_ns == file_print_mtime_ns(&st)))
		return 0;
	describe_change(reg, &st, change, sizeof(change));
	rst_finding(ctx, "file", reg->name,
		    "%s has changed since the dump (%s): the tree would reopen another file",
		    reg->name, change);
	return 1;
}

int rst_check_files(const struct rst_ctx *ctx)
{
	struct img_file *f;
	ProtobufCMessage **msgs = NULL;
	size_t nr = 0;
	int ret, found = 0;

	/* A tree without any file at all has no files.img. */
	if (faccessat(img_dir_fd(ctx->dir), "files.img", F_OK, 0))
		return 0;
	f = img_file_open(ctx->dir, "FILES", 0, IMG_READ);
	if (!f) {
		ret = -errno;
		pr_err("cannot open files.img: %s", strerror(-ret));
		return ret;
	}
	ret = img_file_read_all(f, &msgs, &nr);
	img_file_close(f);
	if (ret < 0) {
		pr_err("cannot read files.img: %s", strerror(-ret));
		return ret;
	}
	for (size_t i = 0; i < nr; i++) {
		const FileEntry *fe = (const FileEntry *)msgs[i];

		if (fe->reg && fe->reg->name && file_print_recorded(fe->reg))
			found += check_one(ctx, fe->reg);
	}
	img_entries_free(msgs, nr);
	return found;
}
