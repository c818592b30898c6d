// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One synthetic entry of every kind libimg knows, every field set: written,
 * read back, decoded to JSON (both forms) and encoded to the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "img/img.h"
#include "arena.h"
#include "image-table.h"
#include "pbfield.h"
#include "img-test.h"

/* Kinds whose entries declare payload lengths: their integers stay 0. */
static const char *const with_payload[] = {
	"PIPES_DATA", "FIFO_DATA", "SK_QUEUES", "TCP_STREAM", "GHOST_FILE",
	"IPCNS_SHM", "IPCNS_SEM", "IPCNS_MSG", "BPFMAP_DATA", NULL,
};

static bool has_payload(const char *kind)
{
	const char *const *p;

	for (p = with_payload; *p; p++)
		if (!strcmp(*p, kind))
			return true;
	return false;
}

static void fill(struct arena *a, ProtobufCMessage *m, bool zero_ints, int depth);

static void fill_value(struct arena *a, const ProtobufCFieldDescriptor *f, void *p, uint64_t seed,
		       bool zero_ints, int depth)
{
	const ProtobufCEnumDescriptor *ed;
	const ProtobufCMessageDescriptor *md;
	ProtobufCBinaryData *b;
	ProtobufCMessage *sub;
	char *s;

	switch (f->type) {
	case PROTOBUF_C_TYPE_MESSAGE:
		md = f->descriptor;
		sub = arena_alloc(a, md->sizeof_message);
		protobuf_c_message_init(md, sub);
		fill(a, sub, zero_ints, depth + 1);
		*(ProtobufCMessage **)p = sub;
		return;
	case PROTOBUF_C_TYPE_STRING:
		s = arena_alloc(a, 32);
		snprintf(s, 32, "s%" PRIu64 "/\xc3\xa9", seed);
		*(char **)p = s;
		return;
	case PROTOBUF_C_TYPE_BYTES:
		b = p;
		b->data = arena_alloc(a, 4);
		memcpy(b->data, "\0=a\xff", 4);
		b->len = 4;
		return;
	case PROTOBUF_C_TYPE_ENUM:
		ed = f->descriptor;
		*(int32_t *)p = ed->values[seed % ed->n_values].value;
		return;
	case PROTOBUF_C_TYPE_BOOL:
		*(protobuf_c_boolean *)p = 1;
		return;
	case PROTOBUF_C_TYPE_FLOAT:
		*(float *)p = 0.5f;
		return;
	case PROTOBUF_C_TYPE_DOUBLE:
		*(double *)p = 0.25;
		return;
	default:
		break;
	}
	if (zero_ints)
		seed = 0;
	else
		seed = seed * 0x10001 + 7;
	if (pb_value_size(f) == 4)
		*(uint32_t *)p = seed;
	else
		*(uint64_t *)p = seed << 20 | seed;
}

static void fill(struct arena *a, ProtobufCMessage *m, bool zero_ints, int depth)
{
	const ProtobufCMessageDescriptor *md = m->descriptor;
	const ProtobufCFieldDescriptor *f;
	size_t i, k, size;
	char *arr;

	assert_true(depth < 10);
	for (i = 0; i < md->n_fields; i++) {
		f = &md->fields[i];
		/* Some messages nest themselves: stop at a few levels. */
		if ((f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) ||
		    (depth >= 4 && f->type == PROTOBUF_C_TYPE_MESSAGE &&
		     f->label != PROTOBUF_C_LABEL_REQUIRED))
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size = pb_value_size(f);
			arr = arena_alloc(a, 2 * size);
			for (k = 0; k < 2; k++)
				fill_value(a, f, arr + k * size, f->id + k, zero_ints, depth);
			*(char **)pb_member(m, f) = arr;
			*(size_t *)((char *)m + f->quantifier_offset) = 2;
			continue;
		}
		fill_value(a, f, pb_member(m, f), f->id, zero_ints, depth);
		if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->type != PROTOBUF_C_TYPE_MESSAGE &&
		    f->type != PROTOBUF_C_TYPE_STRING)
			*(protobuf_c_boolean *)((char *)m + f->quantifier_offset) = 1;
	}
}

/* Image of @k holding one full entry (two for kinds with a head). */
static int synthetic_image(struct arena *a, const struct img_kind *k)
{
	int fd = memfd_create("synthetic", 0), dup_fd = dup(fd), n, i;
	const ProtobufCMessageDescriptor *d;
	struct img_file *f;
	ProtobufCMessage *m;

	f = img_file_open_fd(dup_fd, k->name, k->name, IMG_WRITE);
	assert_non_null(f);
	n = k->head_desc ? 2 : 1;
	for (i = 0; i < n; i++) {
		d = img_file_next_desc(f);
		m = arena_alloc(a, d->sizeof_message);
		protobuf_c_message_init(d, m);
		fill(a, m, has_payload(k->name), 0);
		assert_true(protobuf_c_message_check(m));
		assert_int_equal(img_file_write_entry(f, m), 0);
	}
	assert_int_equal(img_file_close(f), 0);
	return fd;
}

static void check_kind(const struct img_kind *k, unsigned int flags)
{
	struct arena a = { 0 };
	int img = synthetic_image(&a, k), json = memfd_create("json", 0), back = memfd_create("back", 0);
	char *orig, *again;
	size_t len, len2;

	orig = fd_content(img, &len);
	assert_int_equal(lseek(img, 0, SEEK_SET), 0);
	if (img_json_decode(img, k->name, json, flags))
		fail_msg("%s: decode failed: %s", k->name, log_text());
	assert_int_equal(lseek(json, 0, SEEK_SET), 0);
	if (img_json_encode(json, k->name, back))
		fail_msg("%s: encode failed: %s", k->name, log_text());
	again = fd_content(back, &len2);
	if (len != len2 || memcmp(orig, again, len))
		fail_msg("%s: %s JSON round trip changed the bytes", k->name,
			 flags ? "pretty" : "plain");
	free(orig);
	free(again);
	close(img);
	close(json);
	close(back);
	arena_free(&a);
}

static void test_every_kind(void **state)
{
	const struct img_kind *k;
	size_t n = 0;

	log_capture();
	for (k = img_kinds; k->name; k++) {
		if (!k->desc)
			continue;
		log_reset();
		check_kind(k, IMG_JSON_PRETTY);
		check_kind(k, 0);
		n++;
	}
	printf("%zu kinds round-trip\n", n);
	assert_true(n > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
