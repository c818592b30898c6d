/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef IMG_DIR_INTERNAL_H
#define IMG_DIR_INTERNAL_H

struct img_dir {
	int fd;
};

#endif
