// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Pipes: each end is one PipeEntry in files.img (shared by every fd that
 * refers to that open file), each pipe one PipeDataEntry in pipes-data.img
 * followed by the bytes queued in it. The bytes are copied with tee(), so
 * the task still finds them when it runs on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump-files.h"
#include "file-ids.h"
#include "images.h"
#include "lib-log.h"

struct dump_pipes {
	unsigned long *inodes;	/* pipes whose data is written */
	size_t nr_inodes;
	struct img_file *data;	/* pipes-data.img */
};

bool dump_is_pipe(int fd)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	return n > 6 && !strncmp(link, "pipe:[", 6);
}

void dump_describe_fd(pid_t pid, int fd, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
	n = readlink(path, buf, size - 1);
	if (n < 0)
		n = snprintf(buf, size, "unknown");
	buf[n] = '\0';
}

static struct dump_pipes *pipes_of(struct dump_ctx *ctx)
{
	if (!ctx->pipes)
		ctx->pipes = calloc(1, sizeof(*ctx->pipes));
	return ctx->pipes;
}

/* Copy the queued bytes of the pipe open as @fd into pipes-data.img. */
static int dump_pipe_data(struct dump_pipes *p, struct img_dir *dir, int fd, unsigned long ino)
{
	PipeDataEntry pde = PIPE_DATA_ENTRY__INIT;
	int size, rd = -1, tmp[2] = { -1, -1 }, ret = 0;
	char path[64];
	char *buf = NULL;
	ssize_t n = 0;

	size = fcntl(fd, F_GETPIPE_SZ);
	if (size < 0)
		return -errno;
	/* A read end of our own on the same pipe: the task may hold only the writer. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (rd < 0 || pipe2(tmp, O_CLOEXEC | O_NONBLOCK) ||
	    fcntl(tmp[1], F_SETPIPE_SZ, size) < size) {
		pr_perror("cannot set up a copy of pipe %lu", ino);
		ret = -errno;
		goto out;
	}
	n = tee(rd, tmp[1], size, SPLICE_F_NONBLOCK);
	if (n < 0 && errno != EAGAIN) {
		pr_perror("cannot copy the data of pipe %lu", ino);
		ret = -errno;
		goto out;
	}
	if (n < 0)
		n = 0;
	buf = malloc(n ? n : 1);
	if (!buf || (n && read(tmp[0], buf, n) != n)) {
		ret = buf ? -EIO : -ENOMEM;
		goto out;
	}
	if (!p->data) {
		p->data = img_file_open(dir, "PIPES_DATA", 0, IMG_WRITE);
		if (!p->data) {
			ret = -errno;
			pr_err("cannot create pipes-data.img: %s", strerror(-ret));
			goto out;
		}
	}
	pde.pipe_id = ino;
	pde.bytes = n;
	pde.has_size = 1;
	pde.size = size;
	ret = img_file_write_entry(p->data, &pde.base);
	if (!ret && n)
		ret = img_file_write_blob(p->data, buf, n);
	pr_debug("pipe %lu: %zd bytes queued, buffer %d", ino, n, size);
out:
	free(buf);
	if (rd >= 0)
		close(rd);
	if (tmp[0] >= 0) {
		close(tmp[0]);
		close(tmp[1]);
	}
	return ret;
}

static int remember(void **arr, size_t *nr, size_t elem, const void *val)
{
	void *bigger = realloc(*arr, (*nr + 1) * elem);

	if (!bigger)
		return -ENOMEM;
	memcpy((char *)bigger + *nr * elem, val, elem);
	*arr = bigger;
	(*nr)++;
	return 0;
}

int dump_pipe(struct dump_ctx *ctx, int fd, unsigned int flags, uint32_t *id)
{
	struct dump_pipes *p = pipes_of(ctx);
	FileEntry fe = FILE_ENTRY__INIT;
	PipeEntry pe = PIPE_ENTRY__INIT;
	FownEntry fown = FOWN_ENTRY__INIT;
	struct stat st;
	unsigned long ino;
	size_t i;
	int ret;

	if (!p)
		return -ENOMEM;
	if (fstat(fd, &st))
		return -errno;
	*id = file_ids_find(ctx->file_ids, fd, st.st_dev, st.st_ino);
	if (*id)
		return 0;
	ino = st.st_ino;
	for (i = 0; i < p->nr_inodes && p->inodes[i] != ino; i++)
		;
	if (i == p->nr_inodes) {
		ret = dump_pipe_data(p, ctx->dir, fd, ino);
		if (!ret)
			ret = remember((void **)&p->inodes, &p->nr_inodes, sizeof(ino), &ino);
		if (ret)
			return ret;
	}
	pe.id = file_ids_next(ctx->file_ids);
	if (!pe.id)
		return -E2BIG;
	ret = file_ids_add(ctx->file_ids, fd, st.st_dev, st.st_ino, pe.id);
	if (!ret)
		ret = dump_fown(fd, &fown);
	if (ret)
		return ret;
	pe.pipe_id = ino;
	pe.flags = flags & ~O_CLOEXEC;
	pe.fown = &fown;
	fe.type = FD_TYPES__PIPE;
	fe.id = pe.id;
	fe.pipe = &pe;
	ret = img_file_write_entry(ctx->files, &fe.base);
	if (!ret)
		*id = pe.id;
	return ret;
}

int dump_pipes_finish(struct dump_ctx *ctx)
{
	struct dump_pipes *p = ctx->pipes;
	int ret = 0;

	if (!p)
		return 0;
	if (p->data)
		ret = img_file_close(p->data);
	free(p->inodes);
	free(p);
	ctx->pipes = NULL;
	return ret;
}
