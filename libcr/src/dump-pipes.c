// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Pipes and FIFOs: each end is one PipeEntry (FifoEntry) in files.img,
 * shared by every fd that refers to that open file; each pipe one
 * PipeDataEntry in pipes-data.img (fifo-data.img) followed by the bytes
 * queued in it. The bytes are copied with tee(), so the task still finds
 * them when it runs on.
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

/* The pipes of one kind whose data is written, and the image it goes to. */
struct pipe_data_img {
	const char *kind;	/* "PIPES_DATA" or "FIFO_DATA" */
	unsigned long *inodes;
	size_t nr_inodes;
	struct img_file *data;
};

struct dump_pipes {
	struct pipe_data_img pipes, fifos;
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
	if (!ctx->pipes) {
		ctx->pipes = calloc(1, sizeof(*ctx->pipes));
		if (ctx->pipes) {
			ctx->pipes->pipes.kind = "PIPES_DATA";
			ctx->pipes->fifos.kind = "FIFO_DATA";
		}
	}
	return ctx->pipes;
}

/* Copy the queued bytes of the pipe open as @fd into @p's image. */
static int dump_pipe_data(struct pipe_data_img *p, struct img_dir *dir, int fd, unsigned long ino)
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
		p->data = img_file_open(dir, p->kind, 0, IMG_WRITE);
		if (!p->data) {
			ret = -errno;
			pr_err("cannot create the %s image: %s", p->kind, strerror(-ret));
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

/* The data of the pipe @ino is written the first time one of its ends is met. */
static int pipe_data_once(struct pipe_data_img *p, struct img_dir *dir, int fd, unsigned long ino)
{
	unsigned long *bigger;
	int ret;

	for (size_t i = 0; i < p->nr_inodes; i++)
		if (p->inodes[i] == ino)
			return 0;
	ret = dump_pipe_data(p, dir, fd, ino);
	if (ret)
		return ret;
	bigger = realloc(p->inodes, (p->nr_inodes + 1) * sizeof(*bigger));
	if (!bigger)
		return -ENOMEM;
	p->inodes = bigger;
	p->inodes[p->nr_inodes++] = ino;
	return 0;
}

/*
 * Find or make the id of the pipe or FIFO end open as @fd. *@known tells
 * an end met before; a new one has its pipe's data written (once per pipe).
 */
static int pipe_end(struct dump_ctx *ctx, int fd, bool fifo, struct stat *st, uint32_t *id,
		    bool *known)
{
	struct dump_pipes *p = pipes_of(ctx);
	int ret;

	if (!p)
		return -ENOMEM;
	if (fstat(fd, st))
		return -errno;
	*id = file_ids_find(ctx->file_ids, fd, st->st_dev, st->st_ino);
	*known = *id != 0;
	if (*known)
		return 0;
	ret = pipe_data_once(fifo ? &p->fifos : &p->pipes, ctx->dir, fd, st->st_ino);
	if (!ret)
		ret = file_ids_assign(ctx->file_ids, fd, st->st_dev, st->st_ino, id);
	return ret;
}

int dump_pipe(struct dump_ctx *ctx, int fd, unsigned int flags, uint32_t *id)
{
	FileEntry fe = FILE_ENTRY__INIT;
	PipeEntry pe = PIPE_ENTRY__INIT;
	FownEntry fown = FOWN_ENTRY__INIT;
	struct stat st;
	bool known;
	int ret;

	ret = pipe_end(ctx, fd, false, &st, id, &known);
	if (ret || known)
		return ret;
	ret = dump_fown(fd, &fown);
	if (ret)
		return ret;
	pe.id = *id;
	pe.pipe_id = st.st_ino;
	pe.flags = flags & ~O_CLOEXEC;
	pe.fown = &fown;
	fe.type = FD_TYPES__PIPE;
	fe.id = pe.id;
	fe.pipe = &pe;
	return img_file_write_entry(ctx->files, &fe.base);
}

int dump_fifo(struct dump_ctx *ctx, pid_t pid, int fd, uint32_t *id)
{
	FileEntry fe = FILE_ENTRY__INIT;
	FifoEntry ff = FIFO_ENTRY__INIT;
	struct stat st;
	bool known;
	int ret;

	ret = pipe_end(ctx, fd, true, &st, id, &known);
	if (ret || known)
		return ret;
	/* The path, flags and owner are those of a REG entry of its own. */
	ret = dump_reg_entry(ctx, pid, fd, &ff.regf_id);
	if (ret)
		return ret;
	ff.id = *id;
	ff.pipe_id = st.st_ino;
	ff.has_regf_id = true;
	fe.type = FD_TYPES__FIFO;
	fe.id = ff.id;
	fe.fifo = &ff;
	return img_file_write_entry(ctx->files, &fe.base);
}

static int pipe_data_close(struct pipe_data_img *p)
{
	int ret = img_file_close(p->data);

	free(p->inodes);
	return ret;
}

int dump_pipes_finish(struct dump_ctx *ctx)
{
	struct dump_pipes *p = ctx->pipes;
	int ret, ret2;

	if (!p)
		return 0;
	ret = pipe_data_close(&p->pipes);
	ret2 = pipe_data_close(&p->fifos);
	free(p);
	ctx->pipes = NULL;
	return ret ? ret : ret2;
}
