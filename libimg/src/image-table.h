/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The table of image kinds CRIU 4.x writes: for each, its magic name (as the
 * JSON decoding names it), its file name, its magic value(s) and the
 * protobuf-c descriptor of its entries.
 */
#ifndef IMG_IMAGE_TABLE_H
#define IMG_IMAGE_TABLE_H

#include <stdint.h>
#include <protobuf-c/protobuf-c.h>

#define IMG_COMMON_MAGIC 0x54564319u
#define IMG_SERVICE_MAGIC 0x55105940u

/* How a file of this kind starts. */
enum img_magic_kind {
	IMG_MAGIC_COMMON,    /* IMG_COMMON_MAGIC, then the kind's own magic */
	IMG_MAGIC_ALONE,     /* only the kind's own magic (inventory.img) */
	IMG_MAGIC_SERVICE,   /* IMG_SERVICE_MAGIC, then the kind's own magic */
	IMG_MAGIC_NONE,      /* raw data, no magic (pages-N.img) */
};

struct img_kind {
	const char *name;       /* "CORE", "INVENTORY", ...: CRIU's magic name */
	const char *file_fmt;   /* "core-%u.img", "inventory.img": %u is the id */
	uint32_t magic;         /* the kind's own magic; 0 for IMG_MAGIC_NONE */
	enum img_magic_kind magic_kind;
	/* Entry message; NULL for raw kinds and kinds with no protobuf entries. */
	const ProtobufCMessageDescriptor *desc;
	/* First entry's message when it differs (pagemap: its head); or NULL. */
	const ProtobufCMessageDescriptor *head_desc;
};

/* Every kind, ending with an entry whose name is NULL. */
extern const struct img_kind img_kinds[];

/* Look-ups: NULL when nothing matches. */
const struct img_kind *img_kind_by_name(const char *name);
const struct img_kind *img_kind_by_magic(uint32_t magic);

#endif
