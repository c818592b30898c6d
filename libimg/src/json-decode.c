// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Image to JSON: one walker over protobuf-c's descriptors for every message.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "img/json.h"
#include "lib-log.h"
#include "field-style.h"
#include "json-codec.h"
#include "pbfield.h"
#include "text-codecs.h"

static void put_number(struct jw *j, const ProtobufCFieldDescriptor *f, uint64_t v)
{
	char buf[32];

	if (pb_type_signed(f))
		snprintf(buf, sizeof(buf), "%" PRId64, (int64_t)v);
	else
		snprintf(buf, sizeof(buf), "%" PRIu64, v);
	jw_literal(j, buf);
}

static void put_hex(struct jw *j, const ProtobufCFieldDescriptor *f, uint64_t v)
{
	char buf[32];

	if (pb_type_signed(f) && (int64_t)v < 0)
		snprintf(buf, sizeof(buf), "-0x%" PRIx64, -v);
	else
		snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	jw_string(j, buf, strlen(buf));
}

/* "A | B", then what no name covers in hex; "" for 0. */
static void put_flags(struct jw *j, const struct field_style *st, uint64_t v)
{
	char buf[1024], hex[24];
	uint64_t known = 0;
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < st->nr_names; i++) {
		known |= st->names[i].value;
		if (!(v & st->names[i].value) || len + strlen(st->names[i].name) + 40 >= sizeof(buf))
			continue;
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? " | " : "",
				st->names[i].name);
	}
	if (v & ~known) {
		snprintf(hex, sizeof(hex), "0x%" PRIx64, v & ~known);
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? " | " : "", hex);
	}
	jw_string(j, buf, strlen(buf));
}

static void put_dev(struct jw *j, const struct field_style *st, uint64_t v)
{
	char buf[48];

	if (st->look == LOOK_ODEV)
		snprintf(buf, sizeof(buf), "%u:%u", major(v), minor(v));
	else
		snprintf(buf, sizeof(buf), "%" PRIu64 ":%" PRIu64, v >> 20, v & 0xfffff);
	jw_string(j, buf, strlen(buf));
}

/* An integer the --pretty way: hex, flags, device, dictionary name. */
static void put_pretty_int(struct jw *j, const ProtobufCFieldDescriptor *f,
			   const struct field_style *st, bool hex, uint64_t v)
{
	size_t i;

	if (hex || st->look == LOOK_HEX || (st->look == LOOK_FLAGS && !st->names)) {
		put_hex(j, f, v);
		return;
	}
	switch (st->look) {
	case LOOK_DEV:
	case LOOK_ODEV:
		put_dev(j, st, v);
		return;
	case LOOK_FLAGS:
		put_flags(j, st, v);
		return;
	case LOOK_DICT:
		for (i = 0; i < st->nr_names; i++)
			if (st->names[i].value == v) {
				jw_string(j, st->names[i].name, strlen(st->names[i].name));
				return;
			}
		break;
	default:
		break;
	}
	put_number(j, f, v);
}

/* Python's repr(): the shortest text that reads back as the same value. */
static void put_double(struct jw *j, double v)
{
	char buf[40];
	int prec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	snprintf(buf, sizeof(buf), "%.*g", prec, v);
	if (!strpbrk(buf, ".eni"))
		strcat(buf, ".0");
	jw_literal(j, buf);
}

static void put_bytes(struct jw *j, const struct field_style *st, const ProtobufCBinaryData *b)
{
	char line[4 * B64_LINE_BYTES / 3 + 2];
	size_t off, n;
	char *text;

	if (st->look == LOOK_QP) {
		text = malloc(4 * b->len + 4);
		if (!text) {
			j->out->err = -ENOMEM;
			return;
		}
		n = qp_encode(b->data, b->len, text);
		jw_string(j, text, n);
		free(text);
		return;
	}
	jw_string_open(j);
	for (off = 0; off < b->len; off += n) {
		n = b->len - off < B64_LINE_BYTES ? b->len - off : B64_LINE_BYTES;
		jw_string_piece(j, line, base64_line(b->data + off, n, line) - 1);
		jw_string_piece(j, "\\n", 2);
	}
	jw_string_close(j);
}

/* Repeated u32 holding an IPv4 (one value) or IPv6 (four) address. */
static bool put_ipaddr(struct jw *j, const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	size_t n = pb_field_count(m, f);
	const uint32_t *words = pb_field_value(m, f, 0);
	char buf[INET6_ADDRSTRLEN];

	if (pb_value_size(f) != 4 || (n != 1 && n < 4))
		return false;
	if (!inet_ntop(n == 1 ? AF_INET : AF_INET6, words, buf, sizeof(buf)))
		return false;
	jw_open(j, '[');
	jw_string(j, buf, strlen(buf));
	jw_close(j, ']');
	return true;
}

static void put_fields(struct jw *j, const ProtobufCMessage *m, bool pretty, bool hex);

static void put_value(struct jw *j, const ProtobufCMessageDescriptor *md,
		      const ProtobufCFieldDescriptor *f, const struct field_style *st,
		      bool pretty, bool hex, const void *p)
{
	const ProtobufCEnumValue *ev;
	uint64_t v;

	switch (f->type) {
	case PROTOBUF_C_TYPE_MESSAGE:
		jw_open(j, '{');
		put_fields(j, *(ProtobufCMessage *const *)p, pretty, hex || st->look == LOOK_HEX);
		jw_close(j, '}');
		return;
	case PROTOBUF_C_TYPE_STRING:
		jw_string(j, *(const char *const *)p, strlen(*(const char *const *)p));
		return;
	case PROTOBUF_C_TYPE_BYTES:
		put_bytes(j, st, p);
		return;
	case PROTOBUF_C_TYPE_FLOAT:
		put_double(j, *(const float *)p);
		return;
	case PROTOBUF_C_TYPE_DOUBLE:
		put_double(j, *(const double *)p);
		return;
	case PROTOBUF_C_TYPE_BOOL:
		jw_literal(j, *(const protobuf_c_boolean *)p ? "true" : "false");
		return;
	case PROTOBUF_C_TYPE_ENUM:
		ev = protobuf_c_enum_descriptor_get_value(f->descriptor, *(const int32_t *)p);
		if (ev) {
			jw_string(j, ev->name, strlen(ev->name));
			return;
		}
		break;
	default:
		break;
	}
	v = pb_int_get(f, p);
	if (pretty)
		put_pretty_int(j, f, st, hex, v);
	else
		put_number(j, f, v);
}

/* The members of message @m, in field-number order; @hex: inside a hex message. */
static void put_fields(struct jw *j, const ProtobufCMessage *m, bool pretty, bool hex)
{
	const ProtobufCMessageDescriptor *md = m->descriptor;
	const ProtobufCFieldDescriptor *f;
	struct field_style st;
	size_t i, k, n;

	for (i = 0; i < md->n_fields; i++) {
		f = &md->fields[i];
		if (!pb_field_present(m, f))
			continue;
		field_style(md, f, &st);
		jw_key(j, f->name);
		if (f->label != PROTOBUF_C_LABEL_REPEATED) {
			put_value(j, md, f, &st, pretty, hex, pb_member(m, f));
			continue;
		}
		if (pretty && st.look == LOOK_IPADDR && put_ipaddr(j, m, f))
			continue;
		n = pb_field_count(m, f);
		jw_open(j, '[');
		for (k = 0; k < n; k++)
			put_value(j, md, f, &st, pretty, hex, pb_field_value(m, f, k));
		jw_close(j, ']');
	}
}

void json_put_fields(struct jw *j, const ProtobufCMessage *m, bool pretty)
{
	put_fields(j, m, pretty, false);
}

static int put_entries(struct img_file *f, struct jw *j, bool pretty)
{
	const ProtobufCMessageDescriptor *desc = NULL;
	ProtobufCMessage *m;
	int ret;

	jw_key(j, "entries");
	jw_open(j, '[');
	while ((ret = img_file_read_entry(f, desc, &m)) > 0) {
		jw_open(j, '{');
		put_fields(j, m, pretty, false);
		ret = extra_decode(f, j, m);
		jw_close(j, '}');
		desc = extra_next_desc(f, m);
		protobuf_c_message_free_unpacked(m, NULL);
		if (ret)
			return ret;
		ret = jw_error(j);
		if (ret)
			return ret;
	}
	if (ret)
		return ret;
	jw_close(j, ']');
	return 0;
}

IMG_API int img_json_decode(int in_fd, const char *in_name, int out_fd, unsigned int flags)
{
	bool pretty = flags & IMG_JSON_PRETTY;
	int fd = fcntl(in_fd, F_DUPFD_CLOEXEC, 0), ret, ret2;
	struct img_file *f;
	struct wbuf w;
	struct jw j;

	if (fd < 0)
		return -errno;
	f = img_file_open_fd(fd, in_name, NULL, IMG_READ);
	if (!f)
		return -errno;
	if (!img_file_next_desc(f)) {
		pr_err("%s: %s images are raw data, not entries", in_name, f->kind->name);
		img_file_close(f);
		return -ENOTSUP;
	}
	ret = wbuf_init(&w, out_fd);
	if (!ret) {
		jw_init(&j, &w, pretty);
		jw_open(&j, '{');
		jw_key(&j, "magic");
		jw_string(&j, f->kind->name, strlen(f->kind->name));
		ret = put_entries(f, &j, pretty);
		jw_close(&j, '}');
		ret = ret ?: jw_error(&j);
		ret2 = wbuf_fini(&w);
		ret = ret ?: ret2;
		if (ret2)
			pr_err("cannot write the JSON of %s: %s", in_name, strerror(-ret2));
	}
	img_file_close(f);
	return ret;
}
