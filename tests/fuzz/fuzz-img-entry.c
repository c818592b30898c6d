// SPDX-License-Identifier: LGPL-2.1-or-later
/* Fuzz the image reader: any bytes, decoded as an image of whatever kind. */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "img/img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int in = memfd_create("fuzz-in", MFD_CLOEXEC), out = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (in >= 0 && out >= 0 && write(in, data, size) == (ssize_t)size &&
	    lseek(in, 0, SEEK_SET) == 0) {
		img_json_decode(in, "fuzz.img", out, IMG_JSON_PRETTY);
		lseek(in, 0, SEEK_SET);
		img_json_decode(in, "fuzz.img", out, 0);
	}
	close(in);
	close(out);
	return 0;
}
