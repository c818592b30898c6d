// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "lib-log.h"
#include "restore-pipes.h"

/* Queued pipe bytes we accept from an image (pipe-max-size is 1 MiB by default). */
#define PIPE_DATA_MAX (64u << 20)
/* Pipes (or FIFOs) of one dump we accept. */
#define PIPES_MAX 65536

/* The entry of pipe @pipe_id, added (with nothing queued) when missing; NULL when full. */
static struct rst_pipe *pipe_get(struct rst_pipes *ps, uint32_t pipe_id)
{
	for (size_t i = 0; i < ps->nr; i++)
		if (ps->v[i].pipe_id == pipe_id)
			return &ps->v[i];
	if (array_grow((void **)&ps->v, &ps->cap, ps->nr, sizeof(*ps->v), PIPES_MAX))
		return NULL;
	ps->v[ps->nr] = (struct rst_pipe){ .pipe_id = pipe_id, .ends = { -1, -1 } };
	return &ps->v[ps->nr++];
}

int rst_pipes_load(struct img_dir *dir, const char *kind, const char *file, struct rst_pipes *ps)
{
	struct img_file *f;
	ProtobufCMessage *msg;
	struct rst_pipe *p;
	int ret;

	/* Not worth an error line when missing. */
	if (faccessat(img_dir_fd(dir), file, F_OK, 0))
		return 0;
	f = img_file_open(dir, kind, 0, IMG_READ);
	if (!f)
		return -errno;
	while ((ret = img_file_read_entry(f, NULL, &msg)) > 0) {
		PipeDataEntry *pde = (PipeDataEntry *)msg;

		p = pde->bytes > PIPE_DATA_MAX ? NULL : pipe_get(ps, pde->pipe_id);
		if (!p || p->data) {
			pr_err("%s: pipe %u: %u bytes, more than %u, a repeated entry or too many",
			       img_file_name(f), pde->pipe_id, pde->bytes, PIPE_DATA_MAX);
			protobuf_c_message_free_unpacked(msg, NULL);
			ret = -EINVAL;
			break;
		}
		p->bytes = pde->bytes;
		p->size = pde->has_size ? pde->size : 0;
		protobuf_c_message_free_unpacked(msg, NULL);
		p->data = malloc(p->bytes ? p->bytes : 1);
		if (!p->data) {
			ret = -ENOMEM;
			break;
		}
		ret = img_file_read_blob(f, p->data, p->bytes);
		if (ret) {
			pr_err("%s: the bytes of pipe %u: %s", img_file_name(f), p->pipe_id,
			       strerror(-ret));
			break;
		}
	}
	img_file_close(f);
	return ret;
}

/* Put @p's buffer size and queued bytes back, writing through @wr. */
static int pipe_fill(const struct rst_pipe *p, int wr)
{
	if (p->size && fcntl(wr, F_SETPIPE_SZ, p->size) < 0)
		pr_warn("pipe %u: cannot set its size to %u: %m", p->pipe_id, p->size);
	if (p->bytes && write(wr, p->data, p->bytes) != (ssize_t)p->bytes) {
		pr_perror("pipe %u: cannot put back its %u bytes", p->pipe_id, p->bytes);
		return -EIO;
	}
	return 0;
}

/* A duplicate of @fd with the dumped O_NONBLOCK of @flags. */
static int dup_with_flags(int fd, unsigned int flags)
{
	int dup = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	if (dup < 0)
		return -errno;
	if (fcntl(dup, F_SETFL, flags & O_NONBLOCK))
		pr_warn("cannot set the flags of a pipe: %m");
	return dup;
}

int rst_pipe_open(struct rst_pipes *ps, const PipeEntry *pe)
{
	struct rst_pipe *p = pipe_get(ps, pe->pipe_id);
	int ret;

	if (!p)
		return -ENOMEM;
	if (p->ends[0] < 0) {
		if (pipe2(p->ends, O_CLOEXEC | O_NONBLOCK))
			return -errno;
		ret = pipe_fill(p, p->ends[1]);
		if (ret)
			return ret;
	}
	/* Both ends of one pipe are distinct open files: flags stay per end. */
	return dup_with_flags(p->ends[(pe->flags & O_ACCMODE) == O_WRONLY], pe->flags);
}

int rst_fifo_open(struct rst_pipes *ps, const FifoEntry *ff, const RegFileEntry *reg)
{
	struct rst_pipe *p = pipe_get(ps, ff->pipe_id);
	int flags = reg->flags & (O_ACCMODE | O_APPEND | O_LARGEFILE | O_NOATIME);
	int keep, fd, ret;
	struct stat st;

	if (!p)
		return -ENOMEM;
	/* A reader and writer of our own: no open below blocks, the bytes stay queued. */
	keep = open(reg->name, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (keep < 0) {
		pr_perror("cannot open the FIFO %s", reg->name);
		return -errno;
	}
	if (fstat(keep, &st) || !S_ISFIFO(st.st_mode)) {
		pr_err("%s is not a FIFO any more", reg->name);
		ret = -ESTALE;
		goto out;
	}
	if (!p->filled) {
		ret = pipe_fill(p, keep);
		if (ret)
			goto out;
		p->filled = true;
	}
	fd = open(reg->name, flags | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		pr_perror("cannot open the FIFO %s", reg->name);
		goto out;
	}
	if (fcntl(fd, F_SETFL, reg->flags & O_NONBLOCK))
		pr_warn("cannot set the flags of the FIFO %s: %m", reg->name);
	ret = fd;
out:
	close(keep);
	return ret;
}

void rst_pipes_close_ends(struct rst_pipes *ps)
{
	for (size_t i = 0; i < ps->nr; i++) {
		if (ps->v[i].ends[0] >= 0) {
			close(ps->v[i].ends[0]);
			close(ps->v[i].ends[1]);
			ps->v[i].ends[0] = ps->v[i].ends[1] = -1;
		}
	}
}

void rst_pipes_free(struct rst_pipes *ps)
{
	rst_pipes_close_ends(ps);
	for (size_t i = 0; i < ps->nr; i++)
		free(ps->v[i].data);
	free(ps->v);
	ps->v = NULL;
	ps->nr = ps->cap = 0;
}
