/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How the JSON form writes one message field, beyond its protobuf type: the
 * custom field options of CRIU's image definitions, which protobuf-c
 * descriptors do not carry (the table is in field-format.c).
 */
#ifndef IMG_FIELD_STYLE_H
#define IMG_FIELD_STYLE_H

#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>

enum field_look {
	LOOK_PLAIN,
	LOOK_HEX,       /* "0x1f"; also every integer of a message field so marked */
	LOOK_FLAGS,     /* "A | B | 0x40" from names[]; "0x.." when names is NULL */
	LOOK_DEV,       /* "major:minor", kernel's encoding (minor in 20 bits) */
	LOOK_ODEV,      /* "major:minor", glibc's dev_t encoding */
	LOOK_IPADDR,    /* repeated u32: one address as text */
	LOOK_DICT,      /* a name from names[] when the value has one */
	LOOK_QP,        /* bytes as quoted-printable (unix socket names) */
};

struct look_name {
	const char *name;
	uint64_t value;
};

struct field_style {
	enum field_look look;
	const struct look_name *names;
	size_t nr_names;
};

/* The style of field @f of message @m (LOOK_PLAIN when nothing special). */
void field_style(const ProtobufCMessageDescriptor *m, const ProtobufCFieldDescriptor *f,
		 struct field_style *st);

#endif
