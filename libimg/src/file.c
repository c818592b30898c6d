// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "img/file.h"
#include "lib-log.h"
#include "dir-internal.h"
#include "file-internal.h"
#include "wire-depth.h"

static int read_u32(struct img_file *f, uint32_t *v, const char *what)
{
	uint64_t off = f->r.off;
	uint8_t b[4];
	ssize_t got = rbuf_read(&f->r, b, 4);

	if (got < 0) {
		pr_err("%s: cannot read %s at offset %llu: %s", f->name, what,
		       (unsigned long long)off, strerror((int)-got));
		return got;
	}
	if (got == 0)
		return 0;
	if (got < 4) {
		pr_err("%s: file ends inside the %s at offset %llu", f->name, what,
		       (unsigned long long)off);
		return -ENODATA;
	}
	*v = b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
	return 1;
}

static int need_u32(struct img_file *f, uint32_t *v, const char *what)
{
	int ret = read_u32(f, v, what);

	if (ret == 0) {
		pr_err("%s: file ends before its %s at offset %llu", f->name, what,
		       (unsigned long long)f->r.off);
		return -ENODATA;
	}
	return ret < 0 ? ret : 0;
}

static uint32_t first_magic(const struct img_kind *k)
{
	switch (k->magic_kind) {
	case IMG_MAGIC_COMMON:
		return IMG_COMMON_MAGIC;
	case IMG_MAGIC_SERVICE:
		return IMG_SERVICE_MAGIC;
	default:
		return k->magic;
	}
}

/* Reads the magic(s) and finds or checks the kind. */
static int read_magic(struct img_file *f, const struct img_kind *want)
{
	uint32_t m, m2;
	int ret;

	if (want && want->magic_kind == IMG_MAGIC_NONE) {
		f->kind = want;
		return 0;
	}
	ret = need_u32(f, &m, "magic");
	if (ret)
		return ret;
	m2 = m;
	if (m == IMG_COMMON_MAGIC || m == IMG_SERVICE_MAGIC) {
		ret = need_u32(f, &m2, "second magic");
		if (ret)
			return ret;
	}
	/* Kinds may share a magic (PAGEMAP, SHMEM_PAGEMAP): the wanted one wins. */
	if (want && first_magic(want) == m && want->magic == m2 &&
	    (want->magic_kind == IMG_MAGIC_ALONE) == (m == m2)) {
		f->kind = want;
		return 0;
	}
	f->kind = img_kind_by_magic(m2);
	if (!f->kind || f->kind->magic_kind == IMG_MAGIC_NONE || first_magic(f->kind) != m) {
		pr_err("%s: unknown magic 0x%08x (then 0x%08x) at offset 0", f->name, m, m2);
		return -EINVAL;
	}
	if (want) {
		pr_err("%s: magic at offset 0 is %s's, not %s's", f->name, f->kind->name,
		       want->name);
		return -EINVAL;
	}
	return 0;
}

static int write_u32(struct img_file *f, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	return wbuf_write(&f->w, b, 4);
}

static int write_magic(struct img_file *f)
{
	const struct img_kind *k = f->kind;
	int ret = 0;

	if (k->magic_kind == IMG_MAGIC_NONE)
		return 0;
	if (k->magic_kind != IMG_MAGIC_ALONE)
		ret = write_u32(f, first_magic(k));
	return ret ?: write_u32(f, k->magic);
}

static void file_free(struct img_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	rbuf_fini(&f->r);
	free(f->w.buf);
	free(f->name);
	free(f);
}

IMG_API struct img_file *img_file_open_fd(int fd, const char *name, const char *kind,
					  enum img_mode mode)
{
	const struct img_kind *want = NULL;
	struct img_file *f;
	int ret;

	if (kind) {
		want = img_kind_by_name(kind);
		if (!want) {
			pr_err("%s: unknown image kind %s", name, kind);
			close(fd);
			errno = ENOENT;
			return NULL;
		}
	} else if (mode == IMG_WRITE) {
		pr_err("%s: writing needs an image kind", name);
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f || !(f->name = strdup(name))) {
		free(f);
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	f->fd = fd;
	f->mode = mode;
	if (mode == IMG_READ) {
		ret = rbuf_init(&f->r, fd);
		ret = ret ?: read_magic(f, want);
	} else {
		f->kind = want;
		ret = wbuf_init(&f->w, fd);
		ret = ret ?: write_magic(f);
	}
	if (ret) {
		file_free(f);
		errno = -ret;
		return NULL;
	}
	return f;
}

IMG_API struct img_file *img_file_open(struct img_dir *dir, const char *kind,
				       unsigned long id, enum img_mode mode)
{
	const struct img_kind *k = img_kind_by_name(kind);
	char name[256];
	int fd, err;

	if (!k) {
		pr_err("unknown image kind %s", kind);
		errno = ENOENT;
		return NULL;
	}
	snprintf(name, sizeof(name), k->file_fmt, (unsigned int)id);
	if (mode == IMG_READ)
		fd = openat(dir->fd, name, O_RDONLY | O_CLOEXEC);
	else
		fd = openat(dir->fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = errno;
		pr_perror("cannot open image %s", name);
		errno = err;
		return NULL;
	}
	return img_file_open_fd(fd, name, kind, mode);
}

IMG_API const char *img_file_kind(const struct img_file *f)
{
	return f->kind->name;
}

IMG_API const char *img_file_name(const struct img_file *f)
{
	return f->name;
}

IMG_API unsigned long long img_file_offset(const struct img_file *f)
{
	return f->mode == IMG_READ ? f->r.off : f->w.off;
}

IMG_API const ProtobufCMessageDescriptor *img_file_next_desc(const struct img_file *f)
{
	if (f->nr_entries == 0 && f->kind->head_desc)
		return f->kind->head_desc;
	return f->kind->desc;
}

IMG_API int img_file_read_entry(struct img_file *f, const ProtobufCMessageDescriptor *desc,
				ProtobufCMessage **msg)
{
	uint64_t off = f->r.off;
	uint32_t len;
	uint8_t *buf;
	ssize_t got;
	int ret;

	if (!desc)
		desc = img_file_next_desc(f);
	if (!desc) {
		pr_err("%s: %s images hold no protobuf entries", f->name, f->kind->name);
		return -EINVAL;
	}
	ret = read_u32(f, &len, "entry length");
	if (ret <= 0)
		return ret;
	if (len > IMG_ENTRY_MAX) {
		pr_err("%s: entry at offset %llu claims %u bytes, more than the limit of %u",
		       f->name, (unsigned long long)off, len, IMG_ENTRY_MAX);
		return -EFBIG;
	}
	if (len > rbuf_left(&f->r)) {
		pr_err("%s: entry at offset %llu claims %u bytes, the file has %llu left",
		       f->name, (unsigned long long)off, len,
		       (unsigned long long)rbuf_left(&f->r));
		return -EOVERFLOW;
	}
	buf = malloc(len ?: 1);
	if (!buf)
		return -ENOMEM;
	got = rbuf_read(&f->r, buf, len);
	if (got != len) {
		free(buf);
		if (got < 0) {
			pr_err("%s: cannot read the entry at offset %llu: %s", f->name,
			       (unsigned long long)off, strerror((int)-got));
			return got;
		}
		pr_err("%s: file ends inside the entry at offset %llu (%zd of %u bytes)",
		       f->name, (unsigned long long)off, got, len);
		return -ENODATA;
	}
	if (!wire_depth_ok(desc, buf, len, WIRE_MAX_DEPTH)) {
		free(buf);
		pr_err("%s: entry at offset %llu nests messages more than %d deep", f->name,
		       (unsigned long long)off, WIRE_MAX_DEPTH);
		return -EBADMSG;
	}
	*msg = protobuf_c_message_unpack(desc, NULL, len, buf);
	free(buf);
	if (!*msg) {
		pr_err("%s: entry at offset %llu (%u bytes) does not unpack as %s", f->name,
		       (unsigned long long)off, len, desc->name);
		return -EBADMSG;
	}
	f->nr_entries++;
	return 1;
}

IMG_API void img_entries_free(ProtobufCMessage **msgs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		protobuf_c_message_free_unpacked(msgs[i], NULL);
	free(msgs);
}

IMG_API int img_file_read_all(struct img_file *f, ProtobufCMessage ***msgs, size_t *n)
{
	ProtobufCMessage **arr = NULL, **bigger, *m;
	size_t cnt = 0, cap = 0;
	int ret;

	while ((ret = img_file_read_entry(f, NULL, &m)) > 0) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			bigger = realloc(arr, cap * sizeof(*arr));
			if (!bigger) {
				protobuf_c_message_free_unpacked(m, NULL);
				ret = -ENOMEM;
				break;
			}
			arr = bigger;
		}
		arr[cnt++] = m;
	}
	if (ret < 0) {
		img_entries_free(arr, cnt);
		return ret;
	}
	*msgs = arr;
	*n = cnt;
	return 0;
}

ssize_t img_file_read_some(struct img_file *f, void *buf, size_t len)
{
	uint64_t off = f->r.off;
	ssize_t got = rbuf_read(&f->r, buf, len);

	if (got < 0)
		pr_err("%s: cannot read at offset %llu: %s", f->name, (unsigned long long)off,
		       strerror((int)-got));
	return got;
}

uint64_t img_file_left(const struct img_file *f)
{
	return rbuf_left(&f->r);
}

IMG_API int img_file_read_blob(struct img_file *f, void *buf, size_t len)
{
	uint64_t off = f->r.off;
	ssize_t got = img_file_read_some(f, buf, len);

	if (got < 0)
		return got;
	if ((size_t)got < len) {
		pr_err("%s: file ends inside the %zu-byte payload at offset %llu", f->name, len,
		       (unsigned long long)off);
		return -ENODATA;
	}
	return 0;
}

/* protobuf-c packs straight into the write buffer through this. */
struct pack_sink {
	ProtobufCBuffer base;
	struct img_file *f;
};

static void pack_append(ProtobufCBuffer *b, size_t len, const uint8_t *data)
{
	struct pack_sink *s = (struct pack_sink *)b;

	wbuf_write(&s->f->w, data, len);
}

IMG_API int img_file_write_entry(struct img_file *f, const ProtobufCMessage *msg)
{
	struct pack_sink sink = { .base = { .append = pack_append }, .f = f };
	size_t len = protobuf_c_message_get_packed_size(msg);
	int ret;

	if (len > IMG_ENTRY_MAX) {
		pr_err("%s: a %zu-byte %s entry is more than the limit of %u", f->name, len,
		       msg->descriptor->name, IMG_ENTRY_MAX);
		return -EFBIG;
	}
	ret = write_u32(f, len);
	if (!ret) {
		protobuf_c_message_pack_to_buffer(msg, &sink.base);
		ret = f->w.err;
	}
	if (ret) {
		pr_err("%s: cannot write an entry at offset %llu: %s", f->name,
		       (unsigned long long)f->w.off, strerror(-ret));
		return ret;
	}
	f->nr_entries++;
	return 0;
}

IMG_API int img_file_write_blob(struct img_file *f, const void *buf, size_t len)
{
	int ret = wbuf_write(&f->w, buf, len);

	if (ret)
		pr_err("%s: cannot write %zu bytes at offset %llu: %s", f->name, len,
		       (unsigned long long)f->w.off, strerror(-ret));
	return ret;
}

IMG_API int img_file_close(struct img_file *f)
{
	int ret = 0;

	if (!f)
		return 0;
	if (f->mode == IMG_WRITE) {
		ret = wbuf_fini(&f->w);
		if (ret)
			pr_err("%s: cannot write: %s", f->name, strerror(-ret));
	}
	if (close(f->fd) && !ret) {
		ret = -errno;
		pr_perror("%s: cannot close", f->name);
	}
	f->fd = -1;
	file_free(f);
	return ret;
}
