// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <string.h>

#include "pbfield.h"

size_t pb_value_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		return 4;
	case PROTOBUF_C_TYPE_FLOAT:
		return sizeof(float);
	case PROTOBUF_C_TYPE_BOOL:
		return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_STRING:
	case PROTOBUF_C_TYPE_MESSAGE:
		return sizeof(void *);
	case PROTOBUF_C_TYPE_BYTES:
		return sizeof(ProtobufCBinaryData);
	default:
		return 8;
	}
}

static bool pointer_type(const ProtobufCFieldDescriptor *f)
{
	return f->type == PROTOBUF_C_TYPE_STRING || f->type == PROTOBUF_C_TYPE_MESSAGE;
}

bool pb_field_present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	const void *p = pb_member(m, f);
	const char *q = (const char *)m + f->quantifier_offset;

	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return *(const size_t *)q > 0;
	if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF)
		return *(const uint32_t *)q == f->id;
	if (pointer_type(f)) {
		const void *ptr = *(void *const *)p;

		/* protobuf-c points absent strings at their default value. */
		return ptr && !(f->label != PROTOBUF_C_LABEL_REQUIRED && f->type == PROTOBUF_C_TYPE_STRING &&
				ptr == f->default_value);
	}
	if (f->label == PROTOBUF_C_LABEL_OPTIONAL)
		return *(const protobuf_c_boolean *)q;
	if (f->label == PROTOBUF_C_LABEL_NONE) {
		static const char zero[sizeof(ProtobufCBinaryData)];

		if (f->type == PROTOBUF_C_TYPE_BYTES)
			return ((const ProtobufCBinaryData *)p)->len > 0;
		return memcmp(p, zero, pb_value_size(f)) != 0;
	}
	return true;
}

size_t pb_field_count(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return *(const size_t *)((const char *)m + f->quantifier_offset);
	return pb_field_present(m, f) ? 1 : 0;
}

void *pb_field_value(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, size_t i)
{
	void *p = pb_member(m, f);

	if (f->label == PROTOBUF_C_LABEL_REPEATED)
		return *(char **)p + i * pb_value_size(f);
	return p;
}

bool pb_type_signed(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_INT64:
	case PROTOBUF_C_TYPE_SINT64:
	case PROTOBUF_C_TYPE_SFIXED64:
		return true;
	default:
		return false;
	}
}

uint64_t pb_int_get(const ProtobufCFieldDescriptor *f, const void *p)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_INT32:
	case PROTOBUF_C_TYPE_SINT32:
	case PROTOBUF_C_TYPE_SFIXED32:
	case PROTOBUF_C_TYPE_ENUM:
		return (uint64_t)(int64_t)*(const int32_t *)p;
	case PROTOBUF_C_TYPE_UINT32:
	case PROTOBUF_C_TYPE_FIXED32:
		return *(const uint32_t *)p;
	case PROTOBUF_C_TYPE_BOOL:
		return *(const protobuf_c_boolean *)p ? 1 : 0;
	default:
		return *(const uint64_t *)p;
	}
}

static bool int_type(const ProtobufCFieldDescriptor *f)
{
	return f->type != PROTOBUF_C_TYPE_FLOAT && f->type != PROTOBUF_C_TYPE_DOUBLE &&
	       f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_BYTES &&
	       f->type != PROTOBUF_C_TYPE_MESSAGE;
}

bool pb_get_uint(const ProtobufCMessage *m, const char *name, uint64_t *v)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);

	if (!f || !int_type(f) || f->label == PROTOBUF_C_LABEL_REPEATED || !pb_field_present(m, f))
		return false;
	*v = pb_int_get(f, pb_member(m, f));
	return true;
}

int pb_set_uint(ProtobufCMessage *m, const char *name, uint64_t v)
{
	const ProtobufCFieldDescriptor *f =
		protobuf_c_message_descriptor_get_field_by_name(m->descriptor, name);
	void *p;

	if (!f || !int_type(f) || f->label == PROTOBUF_C_LABEL_REPEATED)
		return -ENOENT;
	p = pb_member(m, f);
	switch (pb_value_size(f)) {
	case 4:
		*(uint32_t *)p = v;
		break;
	default:
		*(uint64_t *)p = v;
	}
	if (f->type == PROTOBUF_C_TYPE_BOOL)
		*(protobuf_c_boolean *)p = !!v;
	if (f->label == PROTOBUF_C_LABEL_OPTIONAL)
		*(protobuf_c_boolean *)((char *)m + f->quantifier_offset) = 1;
	return 0;
}
