/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the JSON decoder and the out-of-band payload rules. */
#ifndef IMG_JSON_CODEC_H
#define IMG_JSON_CODEC_H

#include <protobuf-c/protobuf-c.h>

#include "file-internal.h"
#include "arena.h"
#include "json-parse.h"
#include "json-write.h"

/*
 * Write the "extra" member for entry @m of @f, read from the bytes after the
 * entry, when @f's kind has one. 0 or a negative errno.
 */
int extra_decode(struct img_file *f, struct jw *j, const ProtobufCMessage *m);

/* Write the bytes of @extra (the entry's "extra" member, or NULL) after @m. */
int extra_encode(struct img_file *f, const struct jnode *extra, const ProtobufCMessage *m);

/* The message of the entry after @m when it is not the kind's (ghost chunks). */
const ProtobufCMessageDescriptor *extra_next_desc(const struct img_file *f,
						  const ProtobufCMessage *m);

/* Write the members of @m (inside an object already opened). */
void json_put_fields(struct jw *j, const ProtobufCMessage *m, bool pretty);

/*
 * Build message @desc from object @obj in arena @a (@name for messages).
 * 0 with *@out set, or a negative errno (logged).
 */
int json_build_message(struct arena *a, const char *name, const ProtobufCMessageDescriptor *desc,
		       const struct jnode *obj, ProtobufCMessage **out);

#endif
