// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * JSON to image: the same descriptor walk as the decoder, backwards. Each
 * entry is built in an arena, packed, written and dropped.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "img/json.h"
#include "lib-log.h"
#include "arena.h"
#include "field-style.h"
#include "json-codec.h"
#include "pbfield.h"
#include "text-codecs.h"

#define JSON_INPUT_MAX ((size_t)1 << 30)

struct enc {
	struct arena *a;        /* what the entry being built lives in */
	const char *name;
	size_t entry;
	const ProtobufCMessageDescriptor *next_desc; /* when not the kind's */
};

static int bad(struct enc *e, const ProtobufCFieldDescriptor *f, const char *what)
{
	pr_err("%s: entry %zu, field %s: %s", e->name, e->entry, f->name, what);
	return -EINVAL;
}

/* Python's int(text, 0): sign, 0x/0o/0b prefix, digits with '_' between. */
static int parse_int_text(const char *s, uint64_t *v, bool *neg)
{
	char digits[72];
	size_t n = 0;
	int base = 10;
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	*neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2;
	if (base != 10)
		s += 2;
	for (; *s && !isspace((unsigned char)*s); s++) {
		if (*s == '_')
			continue;
		if (n + 1 >= sizeof(digits) || !isalnum((unsigned char)*s))
			return -EINVAL;
		digits[n++] = *s;
	}
	while (isspace((unsigned char)*s))
		s++;
	digits[n] = '\0';
	if (!n || *s || (base == 10 && n > 1 && digits[0] == '0'))
		return -EINVAL;
	errno = 0;
	*v = strtoull(digits, &end, base);
	return errno || *end ? -EINVAL : 0;
}

/* "A | B | 0x40": names and numbers added up, as the image tool does. */
static int parse_flags(const struct field_style *st, const char *s, uint64_t *v)
{
	char tok[128];
	const char *bar;
	size_t len, i;
	uint64_t x;
	bool neg;

	*v = 0;
	while (*s) {
		bar = strchr(s, '|');
		len = bar ? (size_t)(bar - s) : strlen(s);
		while (len && isspace((unsigned char)*s)) {
			s++;
			len--;
		}
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		if (len >= sizeof(tok))
			return -EINVAL;
		memcpy(tok, s, len);
		tok[len] = '\0';
		for (i = 0; i < st->nr_names; i++)
			if (!strcmp(tok, st->names[i].name))
				break;
		if (i < st->nr_names)
			x = st->names[i].value;
		else if (parse_int_text(tok, &x, &neg) || neg)
			return -EINVAL;
		*v += x;
		if (!bar)
			break;
		s = bar + 1;
	}
	return 0;
}

static int parse_dev(const struct field_style *st, const char *s, uint64_t *v)
{
	unsigned long long maj, min;
	int used = 0;

	if (sscanf(s, "%llu:%llu%n", &maj, &min, &used) != 2 || s[used])
		return -EINVAL;
	*v = st->look == LOOK_ODEV ? makedev(maj, min) : maj << 20 | min;
	return 0;
}

/* An integer from a JSON number, bool or string (hex, flags, device, name). */
static int get_int(struct enc *e, const ProtobufCFieldDescriptor *f, const struct field_style *st,
		   const struct jnode *n, uint64_t *v)
{
	bool neg = false;
	int64_t sv;
	size_t i;

	switch (n->type) {
	case J_BOOL:
		*v = n->b;
		return 0;
	case J_NUM:
		if (!json_uint(n, v))
			return 0;
		if (json_int(n, &sv))
			return bad(e, f, "not an integer in range");
		*v = sv;
		return 0;
	case J_STR:
		break;
	default:
		return bad(e, f, "expected an integer");
	}
	if ((st->look == LOOK_DEV || st->look == LOOK_ODEV) && strchr(n->s, ':'))
		return parse_dev(st, n->s, v) ? bad(e, f, "bad major:minor") : 0;
	if (st->look == LOOK_FLAGS && st->names)
		return parse_flags(st, n->s, v) ? bad(e, f, "bad flags") : 0;
	for (i = 0; st->look == LOOK_DICT && i < st->nr_names; i++)
		if (!strcmp(n->s, st->names[i].name)) {
			*v = st->names[i].value;
			return 0;
		}
	if (parse_int_text(n->s, v, &neg))
		return bad(e, f, "not a number");
	if (neg) {
		if (*v > (uint64_t)INT64_MAX + 1)
			return bad(e, f, "out of range");
		*v = -*v;
	}
	return 0;
}

/* Stores @v at @p if it fits field @f's type. */
static int put_int(struct enc *e, const ProtobufCFieldDescriptor *f, uint64_t v, void *p)
{
	bool is_signed = pb_type_signed(f) || f->type == PROTOBUF_C_TYPE_ENUM;
	int64_t sv = v;

	if (f->type == PROTOBUF_C_TYPE_BOOL) {
		*(protobuf_c_boolean *)p = v != 0;
		return 0;
	}
	if (pb_value_size(f) == 4) {
		if (is_signed ? sv < INT32_MIN || sv > INT32_MAX : v > UINT32_MAX)
			return bad(e, f, "out of range");
		*(uint32_t *)p = v;
		return 0;
	}
	*(uint64_t *)p = v;
	return 0;
}

static int set_fields(struct enc *e, ProtobufCMessage *m, const struct jnode *obj);

static int set_bytes(struct enc *e, const ProtobufCFieldDescriptor *f,
		     const struct field_style *st, const struct jnode *n, ProtobufCBinaryData *b)
{
	long len;

	if (n->type != J_STR)
		return bad(e, f, "expected a string");
	b->data = arena_alloc(e->a, n->len + 3);
	if (!b->data)
		return -ENOMEM;
	if (st->look == LOOK_QP) {
		b->len = qp_decode(n->s, n->len, b->data);
		return 0;
	}
	len = base64_decode(n->s, n->len, b->data);
	if (len < 0)
		return bad(e, f, "bad base64");
	b->len = len;
	return 0;
}

static int set_value(struct enc *e, const ProtobufCFieldDescriptor *f,
		     const struct field_style *st, const struct jnode *n, void *p)
{
	const ProtobufCMessageDescriptor *sub;
	const ProtobufCEnumValue *ev;
	ProtobufCMessage *m;
	uint64_t v;
	int ret;

	switch (f->type) {
	case PROTOBUF_C_TYPE_MESSAGE:
		if (n->type != J_OBJ)
			return bad(e, f, "expected an object");
		sub = f->descriptor;
		m = arena_alloc(e->a, sub->sizeof_message);
		if (!m)
			return -ENOMEM;
		protobuf_c_message_init(sub, m);
		*(ProtobufCMessage **)p = m;
		return set_fields(e, m, n);
	case PROTOBUF_C_TYPE_STRING:
		if (n->type != J_STR)
			return bad(e, f, "expected a string");
		*(const char **)p = n->s;
		return 0;
	case PROTOBUF_C_TYPE_BYTES:
		return set_bytes(e, f, st, n, p);
	case PROTOBUF_C_TYPE_FLOAT:
	case PROTOBUF_C_TYPE_DOUBLE:
		if (n->type != J_NUM)
			return bad(e, f, "expected a number");
		if (f->type == PROTOBUF_C_TYPE_FLOAT)
			*(float *)p = strtof(n->s, NULL);
		else
			*(double *)p = strtod(n->s, NULL);
		return 0;
	case PROTOBUF_C_TYPE_ENUM:
		if (n->type == J_STR) {
			ev = protobuf_c_enum_descriptor_get_value_by_name(f->descriptor, n->s);
			if (!ev)
				return bad(e, f, "unknown enum name");
			*(int32_t *)p = ev->value;
			return 0;
		}
		break;
	case PROTOBUF_C_TYPE_BOOL:
		if (n->type == J_STR) {
			*(protobuf_c_boolean *)p = n->len > 0;
			return 0;
		}
		break;
	default:
		break;
	}
	ret = get_int(e, f, st, n, &v);
	return ret ?: put_int(e, f, v, p);
}

/* A repeated u32 field given as one address in text. */
static int set_ipaddr(struct enc *e, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
		      const struct jnode *n)
{
	uint32_t *words = arena_alloc(e->a, 16);
	size_t nr = 1;

	if (!words)
		return -ENOMEM;
	if (inet_pton(AF_INET, n->s, words) != 1) {
		if (inet_pton(AF_INET6, n->s, words) != 1)
			return bad(e, f, "not an IP address");
		nr = 4;
	}
	*(uint32_t **)pb_member(m, f) = words;
	*(size_t *)((char *)m + f->quantifier_offset) = nr;
	return 0;
}

static int set_repeated(struct enc *e, ProtobufCMessage *m, const ProtobufCFieldDescriptor *f,
			const struct field_style *st, const struct jnode *n)
{
	size_t size = pb_value_size(f), i = 0;
	const struct jnode *k;
	char *arr;
	int ret;

	if (n->type != J_ARR)
		return bad(e, f, "expected a list");
	if (st->look == LOOK_IPADDR && n->first && n->first->type == J_STR)
		return set_ipaddr(e, m, f, n->first);
	arr = arena_alloc(e->a, size * (n->n ?: 1));
	if (!arr)
		return -ENOMEM;
	for (k = n->first; k; k = k->next, i++) {
		ret = set_value(e, f, st, k, arr + i * size);
		if (ret)
			return ret;
	}
	*(char **)pb_member(m, f) = arr;
	*(size_t *)((char *)m + f->quantifier_offset) = n->n;
	return 0;
}

static int set_fields(struct enc *e, ProtobufCMessage *m, const struct jnode *obj)
{
	const ProtobufCMessageDescriptor *md = m->descriptor;
	const ProtobufCFieldDescriptor *f;
	const struct jnode *n;
	struct field_style st;
	size_t i;
	int ret;

	for (i = 0; i < md->n_fields; i++) {
		f = &md->fields[i];
		n = json_get(obj, f->name);
		if (!n) {
			if (f->label == PROTOBUF_C_LABEL_REQUIRED)
				return bad(e, f, "required field missing");
			continue;
		}
		field_style(md, f, &st);
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			ret = set_repeated(e, m, f, &st, n);
		} else {
			ret = set_value(e, f, &st, n, pb_member(m, f));
			if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
				*(uint32_t *)((char *)m + f->quantifier_offset) = f->id;
			else if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_MESSAGE &&
				 f->type != PROTOBUF_C_TYPE_STRING)
				*(protobuf_c_boolean *)((char *)m + f->quantifier_offset) = 1;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* Fill a new message of type @desc from object @obj, in e's arena. */
static int build(struct enc *e, const ProtobufCMessageDescriptor *desc, const struct jnode *obj,
		 ProtobufCMessage **out)
{
	ProtobufCMessage *m;
	int ret;

	if (obj->type != J_OBJ) {
		pr_err("%s: entry %zu: expected an object", e->name, e->entry);
		return -EINVAL;
	}
	m = arena_alloc(e->a, desc->sizeof_message);
	if (!m)
		return -ENOMEM;
	protobuf_c_message_init(desc, m);
	ret = set_fields(e, m, obj);
	if (!ret && !protobuf_c_message_check(m)) {
		pr_err("%s: entry %zu misses a required field", e->name, e->entry);
		ret = -EINVAL;
	}
	*out = m;
	return ret;
}

int json_build_message(struct arena *a, const char *name, const ProtobufCMessageDescriptor *desc,
		       const struct jnode *obj, ProtobufCMessage **out)
{
	struct enc e = { .a = a, .name = name };

	return build(&e, desc, obj, out);
}

static int write_entry(struct enc *e, struct img_file *f, const struct jnode *obj)
{
	ProtobufCMessage *m;
	int ret;

	ret = build(e, e->next_desc ?: img_file_next_desc(f), obj, &m);
	ret = ret ?: img_file_write_entry(f, m);
	ret = ret ?: extra_encode(f, json_get(obj, "extra"), m);
	if (!ret)
		e->next_desc = extra_next_desc(f, m);
	arena_free(e->a);
	return ret;
}

static int encode_tree(struct enc *e, const struct jnode *root, int out_fd)
{
	const struct jnode *magic = json_get(root, "magic"), *entries = json_get(root, "entries");
	const struct jnode *n;
	struct img_file *f;
	int fd, ret = 0, ret2;

	if (!magic || magic->type != J_STR || !entries || entries->type != J_ARR) {
		pr_err("%s: expected {\"magic\": NAME, \"entries\": [...]}", e->name);
		return -EINVAL;
	}
	fd = fcntl(out_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	f = img_file_open_fd(fd, e->name, magic->s, IMG_WRITE);
	if (!f)
		return -errno;
	if (!img_file_next_desc(f)) {
		pr_err("%s: %s images are raw data, not entries", e->name, magic->s);
		ret = -ENOTSUP;
	}
	for (n = entries->first; n && !ret; n = n->next, e->entry++)
		ret = write_entry(e, f, n);
	ret2 = img_file_close(f);
	return ret ?: ret2;
}

IMG_API int img_json_encode(int in_fd, const char *in_name, int out_fd)
{
	struct arena tree = { 0 }, entry = { 0 };
	struct enc e = { .a = &entry, .name = in_name };
	struct jnode *root;
	size_t len;
	char *text;
	int ret;

	ret = read_to_end(in_fd, JSON_INPUT_MAX, &text, &len);
	if (ret) {
		pr_err("%s: cannot read: %s", in_name, strerror(-ret));
		return ret;
	}
	root = json_parse(&tree, text, len, in_name);
	ret = root ? encode_tree(&e, root, out_fd) : -EINVAL;
	arena_free(&entry);
	arena_free(&tree);
	free(text);
	return ret;
}
