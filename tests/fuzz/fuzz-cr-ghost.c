// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz what a restore trusts in a ghost file (a deleted file saved whole,
 * restore-ghost.c): any bytes after the first eight (the size files.img
 * gives the file) are ghost-file-1.img, which a restore makes into a file
 * beside the file's old path, with its data, holes and attributes, then
 * removes again.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "images.h"
#include "remap-file-path.pb-c.h"
#include "restore-ghost.h"

static struct img_dir *dir;
static char name[64];

static char path[] = "/tmp/fuzz-cr-ghost.XXXXXX";

static void remove_dir(void)
{
	unlinkat(img_dir_fd(dir), "remap-fpath.img", 0);
	unlinkat(img_dir_fd(dir), "ghost-file-1.img", 0);
	img_dir_close(dir);
	rmdir(path);
}

/* A folder whose remap-fpath.img maps file 1 to ghost 1, made once. */
static struct img_dir *images_dir(void)
{
	RemapFilePathEntry r = REMAP_FILE_PATH_ENTRY__INIT;
	struct img_file *f;

	if (dir || !mkdtemp(path))
		return dir;
	dir = img_dir_open(path, 0);
	f = dir ? img_file_open(dir, "REMAP_FPATH", 0, IMG_WRITE) : NULL;
	r.orig_id = r.remap_id = 1;
	r.has_remap_type = 1;
	r.remap_type = REMAP_TYPE__GHOST;
	if (!f || img_file_write_entry(f, &r.base) || img_file_close(f)) {
		img_dir_close(dir);
		dir = NULL;
	}
	snprintf(name, sizeof(name), "%s/deleted", path);
	if (dir)
		atexit(remove_dir);
	return dir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	RegFileEntry reg = REG_FILE_ENTRY__INIT;
	struct rst_ghosts *gs = NULL;
	int fd;

	if (size < sizeof(reg.size) || !images_dir())
		return 0;
	memcpy(&reg.size, data, sizeof(reg.size));
	fd = openat(img_dir_fd(dir), "ghost-file-1.img", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 0;
	if (write(fd, data + sizeof(reg.size), size - sizeof(reg.size)) < 0)
		size = 0;
	close(fd);
	reg.id = 1;
	reg.name = name;
	reg.has_size = 1;
	if (size && !rst_ghosts_load(dir, &gs))
		rst_ghost_path(gs, NULL, dir, &reg);
	if (gs)
		rst_ghosts_unlink(gs);
	rst_ghosts_free(gs);
	return 0;
}
