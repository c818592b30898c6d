/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libimg: images as JSON, with the conventions of CRIU's image tool:
 * {"magic": NAME, "entries": [...]}, each entry a message with its fields in
 * field-number order, enums by name, bytes in base64, out-of-band payloads
 * under "extra". The pretty form also indents by 4 and writes addresses in
 * hex, flags as "A | B", device numbers as "major:minor" and IP addresses as
 * text, as that tool's --pretty does.
 */
#ifndef IMG_JSON_H
#define IMG_JSON_H

#include "img/img.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IMG_JSON_PRETTY 0x1

/*
 * Read the image on @in_fd (named @in_name in messages) and write its JSON
 * to @out_fd. Neither fd is closed. 0 or a negative errno (see img.h; also
 * -ENOTSUP for a kind whose entries libimg cannot describe).
 */
IMG_API int img_json_decode(int in_fd, const char *in_name, int out_fd, unsigned int flags);

/*
 * Read JSON from @in_fd (as img_json_decode() writes it, either form) and
 * write the image it describes to @out_fd. Neither fd is closed. 0 or a
 * negative errno: -EINVAL for JSON that does not parse or does not fit the
 * messages (the log says where), -ENOENT for an unknown magic name.
 */
IMG_API int img_json_encode(int in_fd, const char *in_name, int out_fd);

#ifdef __cplusplus
}
#endif

#endif
