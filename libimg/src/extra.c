// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Out-of-band payloads: bytes some entries have right after them in the
 * image (pipe contents, socket queues, ghost file data, SysV IPC contents),
 * their size given by fields of the entry. In JSON they are the entry's
 * "extra" member, as CRIU's image tool writes it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ghost-file.pb-c.h"
#include "ipc-msg.pb-c.h"
#include "lib-log.h"
#include "json-codec.h"
#include "pbfield.h"
#include "text-codecs.h"

enum extra_shape {
	EXTRA_BLOB,      /* base64 of len_a (+ len_b) bytes, padded to @align */
	EXTRA_INQ_OUTQ,  /* {"inq": base64 of len_a bytes, "outq": of len_b bytes} */
	EXTRA_U16S,      /* list of len_a u16 numbers, padded to @align */
	EXTRA_GHOST,     /* the rest of the file, or chunk entries each with len bytes */
	EXTRA_MSGS,      /* len_a times: an ipc_msg entry, then msize bytes padded to @align */
};

struct extra_rule {
	const char *kind;
	enum extra_shape shape;
	const char *len_a, *len_b;
	unsigned int align;
};

static const struct extra_rule rules[] = {
	{ "PIPES_DATA", EXTRA_BLOB, "bytes", NULL, 1 },
	{ "FIFO_DATA", EXTRA_BLOB, "bytes", NULL, 1 },
	{ "SK_QUEUES", EXTRA_BLOB, "length", NULL, 1 },
	{ "BPFMAP_DATA", EXTRA_BLOB, "keys_bytes", "values_bytes", 1 },
	{ "IPCNS_SHM", EXTRA_BLOB, "size", NULL, 4 },
	{ "TCP_STREAM", EXTRA_INQ_OUTQ, "inq_len", "outq_len", 1 },
	{ "IPCNS_SEM", EXTRA_U16S, "nsems", NULL, 8 },
	{ "GHOST_FILE", EXTRA_GHOST, "len", NULL, 1 },
	{ "IPCNS_MSG", EXTRA_MSGS, "qnum", NULL, 8 },
};

static const struct extra_rule *rule_of(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].kind, kind))
			return &rules[i];
	return NULL;
}

static bool ghost_chunked(const ProtobufCMessage *m)
{
	uint64_t chunks;

	return m->descriptor == &ghost_chunk_entry__descriptor ||
	       (pb_get_uint(m, "chunks", &chunks) && chunks);
}

const ProtobufCMessageDescriptor *extra_next_desc(const struct img_file *f, const ProtobufCMessage *m)
{
	/* A ghost file entry with chunks is followed by chunk entries. */
	if (!strcmp(f->kind->name, "GHOST_FILE") && ghost_chunked(m))
		return &ghost_chunk_entry__descriptor;
	return NULL;
}

static uint64_t field_len(const ProtobufCMessage *m, const char *name)
{
	uint64_t v = 0;

	if (name)
		pb_get_uint(m, name, &v);
	return v;
}

static uint64_t pad_of(uint64_t len, unsigned int align)
{
	return (align - len % align) % align;
}

/* Payload of @len bytes (or up to the end when @to_end) as base64 text. */
static int blob_to_json(struct img_file *f, struct jw *j, uint64_t len, bool to_end)
{
	char line[4 * B64_LINE_BYTES / 3 + 2];
	uint8_t buf[B64_LINE_BYTES * 256];
	uint64_t off = f->r.off, done = 0;
	size_t want, i, n;
	ssize_t got;

	if (!to_end && len > img_file_left(f)) {
		pr_err("%s: payload of %" PRIu64 " bytes at offset %" PRIu64
		       " runs past the end of the file", f->name, len, off);
		return -EOVERFLOW;
	}
	jw_string_open(j);
	while (to_end || done < len) {
		want = sizeof(buf);
		if (!to_end && len - done < want)
			want = len - done;
		/* A short read is the end of the file: lines stay whole until then. */
		got = img_file_read_some(f, buf, want);
		if (got < 0)
			return got;
		for (i = 0; i < (size_t)got; i += n) {
			n = got - i < B64_LINE_BYTES ? got - i : B64_LINE_BYTES;
			jw_string_piece(j, line, base64_line(buf + i, n, line) - 1);
			jw_string_piece(j, "\\n", 2);
		}
		done += got;
		if ((size_t)got == want)
			continue;
		if (!to_end) {
			pr_err("%s: file ends inside the %" PRIu64 "-byte payload at offset %" PRIu64,
			       f->name, len, off);
			return -ENODATA;
		}
		break;
	}
	jw_string_close(j);
	return 0;
}

static int skip_pad(struct img_file *f, uint64_t len, unsigned int align)
{
	uint8_t pad[8];

	return img_file_read_blob(f, pad, pad_of(len, align));
}

static int u16s_to_json(struct img_file *f, struct jw *j, uint64_t n)
{
	char num[8];
	uint8_t b[2];
	uint64_t i;
	int ret;

	if (n * 2 > img_file_left(f)) {
		pr_err("%s: %" PRIu64 " semaphores at offset %llu run past the end of the file",
		       f->name, n, (unsigned long long)f->r.off);
		return -EOVERFLOW;
	}
	jw_open(j, '[');
	for (i = 0; i < n; i++) {
		ret = img_file_read_blob(f, b, 2);
		if (ret)
			return ret;
		snprintf(num, sizeof(num), "%u", b[0] | b[1] << 8);
		jw_literal(j, num);
	}
	jw_close(j, ']');
	return skip_pad(f, n * 2, 8);
}

static int msgs_to_json(struct img_file *f, struct jw *j, uint64_t n)
{
	ProtobufCMessage *msg;
	uint64_t i, size;
	int ret;

	jw_open(j, '[');
	for (i = 0; i < n; i++) {
		ret = img_file_read_entry(f, &ipc_msg__descriptor, &msg);
		if (ret == 0) {
			pr_err("%s: file ends before message %" PRIu64 " of %" PRIu64, f->name, i, n);
			ret = -ENODATA;
		}
		if (ret < 0)
			return ret;
		/* The image tool writes these without its pretty formats. */
		jw_open(j, '{');
		json_put_fields(j, msg, false);
		jw_close(j, '}');
		size = field_len(msg, "msize");
		protobuf_c_message_free_unpacked(msg, NULL);
		ret = blob_to_json(f, j, size, false);
		ret = ret ?: skip_pad(f, size, 8);
		if (ret)
			return ret;
	}
	jw_close(j, ']');
	return 0;
}

int extra_decode(struct img_file *f, struct jw *j, const ProtobufCMessage *m)
{
	const struct extra_rule *r = rule_of(f->kind->name);
	uint64_t a, b;
	int ret;

	if (!r)
		return 0;
	/* The chunked ghost file's own entry has no payload. */
	if (r->shape == EXTRA_GHOST && m->descriptor != &ghost_chunk_entry__descriptor &&
	    ghost_chunked(m))
		return 0;
	a = field_len(m, r->len_a);
	b = field_len(m, r->len_b);
	jw_key(j, "extra");
	switch (r->shape) {
	case EXTRA_BLOB:
		ret = blob_to_json(f, j, a + b, false);
		return ret ?: skip_pad(f, a + b, r->align);
	case EXTRA_INQ_OUTQ:
		jw_open(j, '{');
		jw_key(j, "inq");
		ret = blob_to_json(f, j, a, false);
		if (ret)
			return ret;
		jw_key(j, "outq");
		ret = blob_to_json(f, j, b, false);
		jw_close(j, '}');
		return ret;
	case EXTRA_U16S:
		return u16s_to_json(f, j, a);
	case EXTRA_GHOST:
		return blob_to_json(f, j, a, m->descriptor != &ghost_chunk_entry__descriptor);
	case EXTRA_MSGS:
		return msgs_to_json(f, j, a);
	}
	return 0;
}

/*
 * Base64 text @n into @want bytes of payload (any length when @any), then
 * the padding to @align. The length must match what the entry declares, or
 * the image could not be read back.
 */
static int blob_from_json(struct img_file *f, const struct jnode *n, uint64_t want, bool any,
			  unsigned int align)
{
	static const uint8_t zeros[8];
	uint8_t *buf;
	long len;
	int ret;

	if (!n) {
		if (any || !want)
			return 0;
		pr_err("%s: entry %lu declares %" PRIu64 " payload bytes but has no \"extra\"",
		       f->name, f->nr_entries - 1, want);
		return -EINVAL;
	}
	if (n->type != J_STR) {
		pr_err("%s: \"extra\" must be a base64 string", f->name);
		return -EINVAL;
	}
	buf = malloc(n->len * 3 / 4 + 3);
	if (!buf)
		return -ENOMEM;
	len = base64_decode(n->s, n->len, buf);
	if (len < 0 || (!any && (uint64_t)len != want)) {
		free(buf);
		pr_err("%s: entry %lu: \"extra\" is not base64 of %" PRIu64 " bytes", f->name,
		       f->nr_entries - 1, want);
		return -EINVAL;
	}
	ret = img_file_write_blob(f, buf, len);
	free(buf);
	if (!ret && align > 1)
		ret = img_file_write_blob(f, zeros, pad_of(len, align));
	return ret;
}

static int u16s_from_json(struct img_file *f, const struct jnode *n, uint64_t count)
{
	static const uint8_t zeros[8];
	const struct jnode *e;
	uint8_t b[2];
	uint64_t v;
	int ret;

	if (!n && !count)
		return 0;
	if (!n || n->type != J_ARR || n->n != count) {
		pr_err("%s: \"extra\" must list %" PRIu64 " semaphore values", f->name, count);
		return -EINVAL;
	}
	for (e = n->first; e; e = e->next) {
		if (json_uint(e, &v) || v > 0xffff) {
			pr_err("%s: a semaphore value must be a number from 0 to 65535", f->name);
			return -EINVAL;
		}
		b[0] = v;
		b[1] = v >> 8;
		ret = img_file_write_blob(f, b, 2);
		if (ret)
			return ret;
	}
	return img_file_write_blob(f, zeros, pad_of(count * 2, 8));
}

static int msgs_from_json(struct img_file *f, const struct jnode *n, uint64_t count)
{
	const struct jnode *e;
	ProtobufCMessage *msg;
	struct arena a = { 0 };
	int ret = 0;

	if (!n && !count)
		return 0;
	if (!n || n->type != J_ARR || n->n != 2 * count) {
		pr_err("%s: \"extra\" must list %" PRIu64 " messages, each an object and its data",
		       f->name, count);
		return -EINVAL;
	}
	for (e = n->first; e && !ret; e = e->next->next) {
		ret = json_build_message(&a, f->name, &ipc_msg__descriptor, e, &msg);
		ret = ret ?: img_file_write_entry(f, msg);
		ret = ret ?: blob_from_json(f, e->next, field_len(msg, "msize"), false, 8);
		arena_free(&a);
	}
	return ret;
}

int extra_encode(struct img_file *f, const struct jnode *extra, const ProtobufCMessage *m)
{
	const struct extra_rule *r = rule_of(f->kind->name);
	int ret;

	if (!r)
		return 0;
	switch (r->shape) {
	case EXTRA_BLOB:
		return blob_from_json(f, extra, field_len(m, r->len_a) + field_len(m, r->len_b),
				      false, r->align);
	case EXTRA_INQ_OUTQ:
		if (extra && extra->type != J_OBJ) {
			pr_err("%s: \"extra\" must hold \"inq\" and \"outq\"", f->name);
			return -EINVAL;
		}
		ret = blob_from_json(f, json_get(extra, "inq"), field_len(m, r->len_a), false, 1);
		return ret ?: blob_from_json(f, json_get(extra, "outq"), field_len(m, r->len_b), false, 1);
	case EXTRA_U16S:
		return u16s_from_json(f, extra, field_len(m, r->len_a));
	case EXTRA_GHOST:
		if (m->descriptor == &ghost_chunk_entry__descriptor)
			return blob_from_json(f, extra, field_len(m, r->len_a), false, 1);
		return ghost_chunked(m) ? 0 : blob_from_json(f, extra, 0, true, 1);
	case EXTRA_MSGS:
		return msgs_from_json(f, extra, field_len(m, r->len_a));
	}
	return 0;
}
