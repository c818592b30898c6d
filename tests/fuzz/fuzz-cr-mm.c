// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz what a restore trusts in an mm image: any bytes, read as mm-N.img
 * through libimg, then the checks restore-mem.c runs on its areas before
 * it maps anything, and the making of a vDSO proxy from the vDSO it holds
 * (restore-vdso.c), into a buffer here.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "images.h"
#include "restore-mem.h"
#include "restore-vdso.h"

/* A proxy of @mm's vDSO for this kernel's, when one can be made. */
static void make_proxy(const MmEntry *mm)
{
	static struct vdso *here;
	char why[128];
	uint8_t *at;

	if (vdso_self_once(&here) || rst_vdso_proxy_check(mm, here, why, sizeof(why)) ||
	    mm->vdso.len > (1 << 20))
		return;
	at = malloc(mm->vdso.len);
	if (at)
		rst_vdso_proxy_fill(mm, here, at, 0x7f0000000000);
	free(at);
}

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
		if (!rst_mm_check((const MmEntry *)msg))
			make_proxy((const MmEntry *)msg);
		protobuf_c_message_free_unpacked(msg, NULL);
	}
	img_file_close(f);
	return 0;
}
