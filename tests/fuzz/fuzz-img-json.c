// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz the JSON encoder: any text turned into an image; what encodes must
 * decode again.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "img/img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int in = memfd_create("fuzz-json", MFD_CLOEXEC), img = memfd_create("fuzz-img", MFD_CLOEXEC);
	int out = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (in >= 0 && img >= 0 && out >= 0 && write(in, data, size) == (ssize_t)size &&
	    lseek(in, 0, SEEK_SET) == 0 && img_json_encode(in, "fuzz.json", img) == 0) {
		lseek(img, 0, SEEK_SET);
		if (img_json_decode(img, "fuzz.img", out, IMG_JSON_PRETTY) < 0)
			abort(); /* we wrote an image we cannot read back */
	}
	close(in);
	close(img);
	close(out);
	return 0;
}
