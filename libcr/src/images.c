// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <string.h>

#include "images.h"
#include "lib-log.h"

int cr_img_write_one(struct img_dir *dir, const char *kind, unsigned long id,
		     const ProtobufCMessage *msg)
{
	struct img_file *f = img_file_open(dir, kind, id, IMG_WRITE);
	int ret, ret2;

	if (!f) {
		ret = -errno;
		pr_err("cannot create the %s image %lu: %s", kind, id, strerror(-ret));
		return ret;
	}
	ret = img_file_write_entry(f, msg);
	ret2 = img_file_close(f);
	if (!ret)
		ret = ret2;
	if (ret)
		pr_err("cannot write the %s image %lu: %s", kind, id, strerror(-ret));
	return ret;
}

int cr_img_read_one(struct img_dir *dir, const char *kind, unsigned long id,
		    const ProtobufCMessageDescriptor *desc, ProtobufCMessage **msg)
{
	struct img_file *f = img_file_open(dir, kind, id, IMG_READ);
	int ret;

	if (!f) {
		ret = -errno;
		if (ret != -ENOENT)
			pr_err("cannot open the %s image %lu: %s", kind, id, strerror(-ret));
		return ret;
	}
	ret = img_file_read_entry(f, desc, msg);
	img_file_close(f);
	if (ret == 0)
		return -ENODATA;
	if (ret < 0) {
		pr_err("cannot read the %s image %lu: %s", kind, id, strerror(-ret));
		return ret;
	}
	return 0;
}
