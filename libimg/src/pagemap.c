// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "img/pagemap.h"
#include "lib-log.h"
#include "dir-internal.h"
#include "bufio.h"
#include "file-internal.h"
#include "pbfield.h"

struct img_pagemap {
	struct img_file *f;
	unsigned int pages_id;
	int pages_fd;
	uint64_t pages_size;
	uint64_t next_off;   /* where the next present run starts in the pages file */
};

static int open_pages(struct img_dir *dir, unsigned int id, int flags, char *name, size_t size)
{
	snprintf(name, size, "pages-%u.img", id);
	return openat(dir->fd, name, flags | O_CLOEXEC, 0600);
}

static struct img_pagemap *pagemap_open(struct img_dir *dir, const char *kind, unsigned long id)
{
	struct img_pagemap *pm = calloc(1, sizeof(*pm));
	ProtobufCMessage *head = NULL;
	uint64_t pages_id;
	struct stat st;
	char name[64];
	int err;

	if (!pm) {
		errno = ENOMEM;
		return NULL;
	}
	pm->pages_fd = -1;
	pm->f = img_file_open(dir, kind, id, IMG_READ);
	if (!pm->f)
		goto fail;
	err = img_file_read_entry(pm->f, NULL, &head);
	if (err <= 0) {
		if (!err)
			pr_err("%s: no head entry", img_file_name(pm->f));
		errno = err ? -err : ENODATA;
		goto fail;
	}
	if (!pb_get_uint(head, "pages_id", &pages_id) || pages_id > UINT32_MAX) {
		pr_err("%s: the head names no pages file", img_file_name(pm->f));
		errno = EBADMSG;
		goto fail;
	}
	pm->pages_id = pages_id;
	pm->pages_fd = open_pages(dir, pm->pages_id, O_RDONLY, name, sizeof(name));
	if (pm->pages_fd < 0 || fstat(pm->pages_fd, &st)) {
		pr_perror("cannot open %s", name);
		goto fail;
	}
	pm->pages_size = st.st_size;
	protobuf_c_message_free_unpacked(head, NULL);
	return pm;
fail:
	err = errno;
	if (head)
		protobuf_c_message_free_unpacked(head, NULL);
	img_pagemap_close(pm);
	errno = err;
	return NULL;
}

IMG_API struct img_pagemap *img_pagemap_open(struct img_dir *dir, unsigned long id)
{
	return pagemap_open(dir, "PAGEMAP", id);
}

IMG_API struct img_pagemap *img_pagemap_open_shmem(struct img_dir *dir, unsigned long shmid)
{
	return pagemap_open(dir, "SHMEM_PAGEMAP", shmid);
}

IMG_API int img_pagemap_next(struct img_pagemap *pm, struct img_page_run *run)
{
	unsigned long long off = img_file_offset(pm->f);
	uint64_t v, len;
	ProtobufCMessage *e;
	int ret;

	ret = img_file_read_entry(pm->f, NULL, &e);
	if (ret <= 0)
		return ret;
	memset(run, 0, sizeof(*run));
	pb_get_uint(e, "vaddr", &run->vaddr);
	if (!pb_get_uint(e, "nr_pages", &run->nr_pages))
		pb_get_uint(e, "compat_nr_pages", &run->nr_pages);
	/* Images older than the flags field only say "in parent" or not. */
	if (pb_get_uint(e, "flags", &v))
		run->flags = v;
	else
		run->flags = pb_get_uint(e, "in_parent", &v) && v ? IMG_PE_PARENT : IMG_PE_PRESENT;
	protobuf_c_message_free_unpacked(e, NULL);
	if (!(run->flags & IMG_PE_PRESENT))
		return 1;
	len = run->nr_pages * IMG_PAGE_SIZE;
	if (run->nr_pages > UINT64_MAX / IMG_PAGE_SIZE || len > pm->pages_size ||
	    pm->next_off > pm->pages_size - len) {
		pr_err("%s: entry at offset %llu (%" PRIu64 " pages at 0x%" PRIx64
		       ") reaches past the end of pages-%u.img (%" PRIu64 " bytes)",
		       img_file_name(pm->f), off, run->nr_pages, run->vaddr, pm->pages_id,
		       pm->pages_size);
		return -ERANGE;
	}
	run->pages_off = pm->next_off;
	pm->next_off += len;
	return 1;
}

IMG_API unsigned int img_pagemap_pages_id(const struct img_pagemap *pm)
{
	return pm->pages_id;
}

IMG_API int img_pagemap_pages_fd(const struct img_pagemap *pm)
{
	return pm->pages_fd;
}

IMG_API int img_pagemap_read_run(struct img_pagemap *pm, const struct img_page_run *run, void *buf)
{
	size_t len = run->nr_pages * IMG_PAGE_SIZE, done = 0;
	ssize_t got;

	if (!(run->flags & IMG_PE_PRESENT))
		return -EINVAL;
	while (done < len) {
		got = pread(pm->pages_fd, (char *)buf + done, len - done, run->pages_off + done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			pr_err("pages-%u.img: cannot read %zu bytes at offset %" PRIu64 "%s",
			       pm->pages_id, len, run->pages_off, got ? "" : ": file too short");
			return got ? -errno : -ENODATA;
		}
		done += got;
	}
	return 0;
}

IMG_API void img_pagemap_close(struct img_pagemap *pm)
{
	if (!pm)
		return;
	img_file_close(pm->f);
	if (pm->pages_fd >= 0)
		close(pm->pages_fd);
	free(pm);
}

struct img_pagemap_writer {
	struct img_file *f;
	int pages_fd;
	char pages_name[64];
	int err;             /* first failure, sticky */
	bool pending;        /* a run waits to be merged or written */
	struct img_page_run run;
};

/* Write one message whose fields are set by name; @vals ends with a NULL name. */
static int write_message(struct img_file *f, const char *const *names, const uint64_t *vals)
{
	const ProtobufCMessageDescriptor *desc = img_file_next_desc(f);
	ProtobufCMessage *m = calloc(1, desc->sizeof_message);
	int ret = 0;

	if (!m)
		return -ENOMEM;
	protobuf_c_message_init(desc, m);
	for (; *names && !ret; names++, vals++)
		ret = pb_set_uint(m, *names, *vals);
	if (ret)
		pr_err("%s: %s has no field %s", img_file_name(f), desc->name, *(names - 1));
	ret = ret ?: img_file_write_entry(f, m);
	free(m);
	return ret;
}

static int flush_run(struct img_pagemap_writer *w)
{
	static const char *const names[] = { "vaddr", "compat_nr_pages", "flags", "nr_pages", NULL };
	uint64_t vals[] = { w->run.vaddr, 0, w->run.flags, w->run.nr_pages };

	if (!w->pending)
		return 0;
	w->pending = false;
	return write_message(w->f, names, vals);
}

static struct img_pagemap_writer *writer_open(struct img_dir *dir, const char *kind,
					      unsigned long id, unsigned int pages_id)
{
	static const char *const names[] = { "pages_id", NULL };
	struct img_pagemap_writer *w = calloc(1, sizeof(*w));
	uint64_t vals[] = { pages_id };
	int err;

	if (!w) {
		errno = ENOMEM;
		return NULL;
	}
	w->pages_fd = open_pages(dir, pages_id, O_WRONLY | O_CREAT | O_TRUNC, w->pages_name,
				 sizeof(w->pages_name));
	if (w->pages_fd < 0) {
		err = errno;
		pr_perror("cannot create %s", w->pages_name);
		free(w);
		errno = err;
		return NULL;
	}
	w->f = img_file_open(dir, kind, id, IMG_WRITE);
	err = w->f ? -write_message(w->f, names, vals) : errno;
	if (err) {
		img_file_close(w->f);
		close(w->pages_fd);
		free(w);
		errno = err;
		return NULL;
	}
	return w;
}

IMG_API struct img_pagemap_writer *img_pagemap_writer_open(struct img_dir *dir, unsigned long id,
							    unsigned int pages_id)
{
	return writer_open(dir, "PAGEMAP", id, pages_id);
}

IMG_API struct img_pagemap_writer *img_pagemap_writer_open_shmem(struct img_dir *dir,
								  unsigned long shmid,
								  unsigned int pages_id)
{
	return writer_open(dir, "SHMEM_PAGEMAP", shmid, pages_id);
}

/* Merge the run into the pending one, or write that and start anew. */
static int add_run(struct img_pagemap_writer *w, uint64_t vaddr, uint64_t nr_pages,
		   unsigned int flags)
{
	struct img_page_run *r = &w->run;

	if (w->err)
		return w->err;
	if (w->pending && r->flags == flags && r->vaddr + r->nr_pages * IMG_PAGE_SIZE == vaddr) {
		r->nr_pages += nr_pages;
		return 0;
	}
	w->err = flush_run(w);
	r->vaddr = vaddr;
	r->nr_pages = nr_pages;
	r->flags = flags;
	w->pending = true;
	return w->err;
}

IMG_API int img_pagemap_writer_add_hole(struct img_pagemap_writer *w, uint64_t vaddr,
					uint64_t nr_pages, unsigned int flags)
{
	if (flags & IMG_PE_PRESENT)
		return -EINVAL;
	return add_run(w, vaddr, nr_pages, flags);
}

static int fail_pages(struct img_pagemap_writer *w, int err, const char *how)
{
	pr_err("%s: cannot %s: %s", w->pages_name, how, strerror(-err));
	w->err = err;
	return err;
}

IMG_API int img_pagemap_writer_add_data(struct img_pagemap_writer *w, uint64_t vaddr,
					uint64_t nr_pages, unsigned int flags, const void *data)
{
	int ret;

	if (!(flags & IMG_PE_PRESENT) || nr_pages > SIZE_MAX / IMG_PAGE_SIZE)
		return -EINVAL;
	ret = add_run(w, vaddr, nr_pages, flags);
	if (ret)
		return ret;
	ret = write_all(w->pages_fd, data, nr_pages * IMG_PAGE_SIZE);
	return ret ? fail_pages(w, ret, "write") : 0;
}

IMG_API int img_pagemap_writer_add_pipe(struct img_pagemap_writer *w, uint64_t vaddr,
					uint64_t nr_pages, unsigned int flags, int pipe_fd)
{
	uint64_t left = nr_pages * IMG_PAGE_SIZE;
	ssize_t got;
	int ret;

	if (!(flags & IMG_PE_PRESENT) || nr_pages > UINT64_MAX / IMG_PAGE_SIZE)
		return -EINVAL;
	ret = add_run(w, vaddr, nr_pages, flags);
	if (ret)
		return ret;
	while (left) {
		got = splice(pipe_fd, NULL, w->pages_fd, NULL, left > (1u << 30) ? 1u << 30 : left,
			     SPLICE_F_MOVE);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return fail_pages(w, -errno, "splice pages from the pipe");
		if (got == 0)
			return fail_pages(w, -ENODATA, "splice: the pipe ran dry");
		left -= got;
	}
	return 0;
}

IMG_API int img_pagemap_writer_close(struct img_pagemap_writer *w)
{
	int ret, ret2;

	if (!w)
		return 0;
	ret = w->err ?: flush_run(w);
	ret2 = img_file_close(w->f);
	ret = ret ?: ret2;
	if (close(w->pages_fd) && !ret)
		ret = fail_pages(w, -errno, "close");
	free(w);
	return ret;
}
