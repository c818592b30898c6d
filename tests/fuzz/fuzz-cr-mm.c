// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz what a restore trusts in an mm image: any bytes, read as mm-N.img
 * through libimg, then the checks restore-mem.c runs on its areas before
 * it maps anything.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "images.h"
#include "restore-mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-mm", MFD_CLOEXEC);
	struct img_file *f = NULL;
	ProtobufCMessage *msg;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return 0;
	}
	/* The image file owns the fd from here, even when it fails to open. */
	f = img_file_open_fd(fd, "mm-1.img", "MM", IMG_READ);
	if (f && img_file_read_entry(f, &mm_entry__descriptor, &msg) > 0) {
		rst_mm_check((const MmEntry *)msg);
		protobuf_c_message_free_unpacked(msg, NULL);
	}
	img_file_close(f);
	return 0;
}
