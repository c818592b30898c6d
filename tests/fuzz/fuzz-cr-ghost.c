// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz what a restore trusts in a ghost file (a deleted file saved whole,
 * restore-ghost.c): any bytes after the first eight (the size files.img
 * gives the file) are ghost-file-1.img, which a restore makes into a file
 * beside the file's old path, with its data, holes and attributes, then
 * removes again.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz-images.h"
#include "remap-file-path.pb-c.h"
#include "restore-ghost.h"

static char name[64];

/* remap-fpath.img mapping file 1 to ghost 1, written once. */
static int write_remap(void)
{
	RemapFilePathEntry r = REMAP_FILE_PATH_ENTRY__INIT;
	static int done;
	struct img_file *f;

	if (done)
		return 0;
	f = img_file_open(fuzz_images_dir(), "REMAP_FPATH", 0, IMG_WRITE);
	r.orig_id = r.remap_id = 1;
	r.has_remap_type = 1;
	r.remap_type = REMAP_TYPE__GHOST;
	if (!f || img_file_write_entry(f, &r.base) || img_file_close(f))
		return -1;
	snprintf(name, sizeof(name), "/proc/self/fd/%d/deleted", img_dir_fd(fuzz_images_dir()));
	done = 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	RegFileEntry reg = REG_FILE_ENTRY__INIT;
	struct rst_ghosts *gs = NULL;

	if (size < sizeof(reg.size) || !fuzz_images_dir() || write_remap())
		return 0;
	memcpy(&reg.size, data, sizeof(reg.size));
	fuzz_write_image("ghost-file-1.img", data + sizeof(reg.size), size - sizeof(reg.size));
	reg.id = 1;
	reg.name = name;
	reg.has_size = 1;
	if (!rst_ghosts_load(fuzz_images_dir(), &gs))
		rst_ghost_path(gs, NULL, fuzz_images_dir(), &reg);
	if (gs)
		rst_ghosts_unlink(gs);
	rst_ghosts_free(gs);
	return 0;
}
