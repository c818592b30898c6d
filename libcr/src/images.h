/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcr's side of libimg: the generated message types of every image libcr
 * reads or writes, and the two shapes most images have (one entry per file).
 */
#ifndef CR_IMAGES_H
#define CR_IMAGES_H

#include <protobuf-c/protobuf-c.h>

#include "img/img.h"

#include "core.pb-c.h"
#include "creds.pb-c.h"
#include "fdinfo.pb-c.h"
#include "fifo.pb-c.h"
#include "fs.pb-c.h"
#include "ghost-file.pb-c.h"
#include "inventory.pb-c.h"
#include "mm.pb-c.h"
#include "pagemap.pb-c.h"
#include "pipe-data.pb-c.h"
#include "pipe.pb-c.h"
#include "pstree.pb-c.h"
#include "regfile.pb-c.h"
#include "remap-file-path.pb-c.h"
#include "seccomp.pb-c.h"

/*
 * Write @msg as the only entry of image @kind ("CORE", "MM", ...) with id
 * @id in @dir. 0 or a negative errno (logged, naming the file).
 */
int cr_img_write_one(struct img_dir *dir, const char *kind, unsigned long id,
		     const ProtobufCMessage *msg);

/*
 * Read the first entry of image @kind/@id as @desc into *@msg (free it with
 * protobuf_c_message_free_unpacked(*msg, NULL)). 0, -ENOENT when the file
 * is missing, -ENODATA when it has no entry, or another negative errno.
 */
int cr_img_read_one(struct img_dir *dir, const char *kind, unsigned long id,
		    const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg);

#endif
