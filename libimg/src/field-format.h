/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The fields CRIU's image tool writes in a special way in JSON (its custom
 * field options: hex, flags, dict, dev, odev, ipadd, conv), which protobuf-c
 * descriptors do not carry. The looks and name lists are those of
 * field-style.h.
 */
#ifndef IMG_FIELD_FORMAT_H
#define IMG_FIELD_FORMAT_H

#include <stddef.h>

#include "field-style.h"

struct field_format {
	const char *msg;        /* message full name, e.g. "vma_entry" */
	const char *field;      /* field name, e.g. "prot" */
	enum field_look look;
	const struct look_name *names;  /* LOOK_FLAGS, LOOK_DICT; else NULL */
	size_t nr_names;
};

/* Every special field, ending with an entry whose msg is NULL. */
extern const struct field_format field_formats[];

/* The format of field @field of message @msg; NULL when it is plain. */
const struct field_format *field_format_find(const char *msg, const char *field);

#endif
