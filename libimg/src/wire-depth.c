// SPDX-License-Identifier: LGPL-2.1-or-later
#include "wire-depth.h"

/* A varint at *@p (below @end) into *@v; false when it runs off the end. */
static bool varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	int shift = 0;

	*v = 0;
	while (*p < end && shift < 64) {
		uint8_t b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return true;
		shift += 7;
	}
	return false;
}

/*
 * Only the nesting is judged: anything else malformed passes here and is
 * left to protobuf-c's unpacking, which rejects it.
 */
bool wire_depth_ok(const ProtobufCMessageDescriptor *desc, const uint8_t *buf, size_t len,
		   int max_depth)
{
	const uint8_t *p = buf, *end = buf + len;
	const ProtobufCFieldDescriptor *f;
	uint64_t key, n;

	if (max_depth < 0)
		return false;
	while (p < end) {
		if (!varint(&p, end, &key))
			return true;
		switch (key & 7) {
		case 0:
			if (!varint(&p, end, &n))
				return true;
			break;
		case 1:
			p += (size_t)(end - p) < 8 ? (size_t)(end - p) : 8;
			break;
		case 5:
			p += (size_t)(end - p) < 4 ? (size_t)(end - p) : 4;
			break;
		case 2:
			if (!varint(&p, end, &n) || n > (uint64_t)(end - p))
				return true;
			f = key >> 3 <= UINT32_MAX ?
				    protobuf_c_message_descriptor_get_field(desc, key >> 3) : NULL;
			if (f && f->type == PROTOBUF_C_TYPE_MESSAGE &&
			    !wire_depth_ok(f->descriptor, p, n, max_depth - 1))
				return false;
			p += n;
			break;
		default:
			return true;
		}
	}
	return true;
}
