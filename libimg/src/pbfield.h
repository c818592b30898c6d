/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading and setting message fields through protobuf-c's descriptors. */
#ifndef IMG_PBFIELD_H
#define IMG_PBFIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>

/* Address of field @f's member inside message @m. */
static inline void *pb_member(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f)
{
	return (char *)m + f->offset;
}

/* Whether the JSON form lists field @f: set, or repeated with elements. */
bool pb_field_present(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f);

/* Number of values of @f: its element count, or 1 when present. */
size_t pb_field_count(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f);

/* Address of value @i of field @f (an element of a repeated field). */
void *pb_field_value(const ProtobufCMessage *m, const ProtobufCFieldDescriptor *f, size_t i);

/* Size of one value of field @f's type in a message struct. */
size_t pb_value_size(const ProtobufCFieldDescriptor *f);

/* Integer (or enum, bool) value at @p, sign-extended for signed types. */
uint64_t pb_int_get(const ProtobufCFieldDescriptor *f, const void *p);
bool pb_type_signed(const ProtobufCFieldDescriptor *f);

/*
 * The integer field called @name in @m: true with *@v set when it is present,
 * false when it is absent or not an integer.
 */
bool pb_get_uint(const ProtobufCMessage *m, const char *name, uint64_t *v);

/* Set the integer or bool field @name of @m (and its has_ flag). 0 or -ENOENT. */
int pb_set_uint(ProtobufCMessage *m, const char *name, uint64_t v);

#endif
