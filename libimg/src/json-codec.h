/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by the JSON decoder and the out-of-band payload rules. */
#ifndef IMG_JSON_CODEC_H
#define IMG_JSON_CODEC_H

#include <protobuf-c/protobuf-c.h>

#include "file-internal.h"
#include "json-parse.h"
#include "json-write.h"

/*
 * Write the "extra" member for entry @m of @f, read from the bytes after the
 * entry, when @f's kind has one. 0 or a negative errno.
 */
int extra_decode(struct img_file *f, struct jw *j, const ProtobufCMessage *m);

/* Write the bytes of @extra (the entry's "extra" member, or NULL) after @m. */
int extra_encode(struct img_file *f, const struct jnode *extra, const ProtobufCMessage *m);

/* Whether image kind @kind has payloads libimg cannot walk (-ENOTSUP). */
int extra_supported(const char *kind, const ProtobufCMessage *first);

#endif
