/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libimg: the folder that holds the images of one dump. */
#ifndef IMG_DIR_H
#define IMG_DIR_H

#include "img/img.h"

#ifdef __cplusplus
extern "C" {
#endif

struct img_dir;

/* img_dir_open() flags. */
#define IMG_DIR_CREATE 0x1 /* create the folder (mode 0700) when missing */

/*
 * Open the image folder at @path. Returns a new folder the caller releases
 * with img_dir_close(), or NULL with errno set (ENOENT, ENOTDIR, EACCES...).
 */
IMG_API struct img_dir *img_dir_open(const char *path, unsigned int flags);

/*
 * Open the image folder behind the directory fd @dirfd. The folder keeps its
 * own duplicate (numbered @dirfd or above): the caller still owns @dirfd.
 * NULL with errno on failure.
 */
IMG_API struct img_dir *img_dir_open_fd(int dirfd);

/* The folder's directory fd, owned by @dir (valid until img_dir_close()). */
IMG_API int img_dir_fd(const struct img_dir *dir);

/* Release @dir (NULL is fine). Files opened from it stay usable. */
IMG_API void img_dir_close(struct img_dir *dir);

#ifdef __cplusplus
}
#endif

#endif
