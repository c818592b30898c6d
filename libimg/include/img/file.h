/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libimg: one image file: its magic(s), then entries, each a u32 length and
 * a protobuf message, some followed by an out-of-band payload (pipe data,
 * socket queues, ghost file contents).
 */
#ifndef IMG_FILE_H
#define IMG_FILE_H

#include <stddef.h>
#include <protobuf-c/protobuf-c.h>

#include "img/img.h"
#include "img/dir.h"

#ifdef __cplusplus
extern "C" {
#endif

struct img_dir;
struct img_file;

enum img_mode {
	IMG_READ,
	IMG_WRITE, /* create or truncate, mode 0600 */
};

/*
 * Open the image of kind @kind (CRIU's magic name: "CORE", "PAGEMAP",
 * "INVENTORY", ...) with id @id (ignored by kinds with one file per dump)
 * inside @dir. Reading checks the magic(s); writing writes them. Returns a
 * file to release with img_file_close(), or NULL with errno: ENOENT for an
 * unknown kind or a missing file, EINVAL for a wrong magic, ENODATA when the
 * file ends inside its magic.
 */
IMG_API struct img_file *img_file_open(struct img_dir *dir, const char *kind,
				       unsigned long id, enum img_mode mode);

/*
 * Open an image on the fd @fd, which the file takes over (closed by
 * img_file_close(), also on failure). @name names the file in messages.
 * Reading with @kind NULL takes the kind from the file's magic; writing needs
 * @kind. NULL with errno on failure, as img_file_open().
 */
IMG_API struct img_file *img_file_open_fd(int fd, const char *name, const char *kind,
					  enum img_mode mode);

/* The file's kind (CRIU's magic name), its name, and its current offset. */
IMG_API const char *img_file_kind(const struct img_file *f);
IMG_API const char *img_file_name(const struct img_file *f);
IMG_API unsigned long long img_file_offset(const struct img_file *f);

/*
 * The message of the next entry: the kind's head message for the first entry
 * of kinds that have one (pagemap), else the kind's entry message; NULL for
 * raw kinds.
 */
IMG_API const ProtobufCMessageDescriptor *img_file_next_desc(const struct img_file *f);

/*
 * Read the next entry as message @desc (NULL: img_file_next_desc()). On
 * success *@msg is a new message the caller frees with
 * protobuf_c_message_free_unpacked(*@msg, NULL) and 1 is returned; 0 at the
 * end of the file; a negative errno (see img.h) on a bad entry.
 */
IMG_API int img_file_read_entry(struct img_file *f, const ProtobufCMessageDescriptor *desc,
				ProtobufCMessage **msg);

/*
 * Read every remaining entry with img_file_read_entry(). On success *@msgs
 * is a new array of *@n messages the caller frees with img_entries_free()
 * and 0 is returned; a negative errno otherwise (nothing to free).
 */
IMG_API int img_file_read_all(struct img_file *f, ProtobufCMessage ***msgs, size_t *n);

/* Free what img_file_read_all() returned. */
IMG_API void img_entries_free(ProtobufCMessage **msgs, size_t n);

/*
 * Read exactly @len bytes of out-of-band payload into @buf: 0, or -ENODATA
 * when the file ends first, or another negative errno.
 */
IMG_API int img_file_read_blob(struct img_file *f, void *buf, size_t len);

/* Append one entry (length and packed @msg). 0 or a negative errno. */
IMG_API int img_file_write_entry(struct img_file *f, const ProtobufCMessage *msg);

/* Append @len bytes of out-of-band payload. 0 or a negative errno. */
IMG_API int img_file_write_blob(struct img_file *f, const void *buf, size_t len);

/*
 * Flush what was written, close and free @f (NULL is fine). Returns 0, or the
 * negative errno of a write that failed on the way.
 */
IMG_API int img_file_close(struct img_file *f);

#ifdef __cplusplus
}
#endif

#endif
