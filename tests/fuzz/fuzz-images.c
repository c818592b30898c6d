// SPDX-License-Identifier: LGPL-2.1-or-later
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz-images.h"

static char path[] = "/tmp/fuzz-cr.XXXXXX";
static struct img_dir *dir;

static void remove_dir(void)
{
	DIR *d = opendir(path);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	img_dir_close(dir);
	rmdir(path);
}

struct img_dir *fuzz_images_dir(void)
{
	if (!dir && mkdtemp(path)) {
		dir = img_dir_open(path, 0);
		if (dir)
			atexit(remove_dir);
	}
	return dir;
}

void fuzz_write_image(const char *name, const uint8_t *data, size_t size)
{
	int fd = openat(img_dir_fd(fuzz_images_dir()), name, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return;
	if (write(fd, data, size) != (ssize_t)size && ftruncate(fd, 0))
		unlinkat(img_dir_fd(dir), name, 0);
	close(fd);
}

size_t fuzz_files_entries(const uint8_t **data, size_t *size, ProtobufCMessage **entries)
{
	struct img_file *f;
	size_t split, nr = 0;
	int fd;

	if (*size < 2)
		return 0;
	split = (size_t)(*data)[0] << 8 | (*data)[1];
	*data += 2;
	*size -= 2;
	if (split > *size)
		split = *size;
	fd = memfd_create("fuzz-files", MFD_CLOEXEC);
	if (fd >= 0 && (write(fd, *data, split) != (ssize_t)split || lseek(fd, 0, SEEK_SET))) {
		close(fd);
		fd = -1;
	}
	*data += split;
	*size -= split;
	if (fd < 0)
		return 0;
	/* The image file owns the fd from here, even when it fails to open. */
	f = img_file_open_fd(fd, "files.img", "FILES", IMG_READ);
	while (f && nr < FUZZ_MAX_ENTRIES &&
	       img_file_read_entry(f, &file_entry__descriptor, &entries[nr]) > 0)
		nr++;
	img_file_close(f);
	return nr;
}

void fuzz_entries_free(ProtobufCMessage **entries, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		protobuf_c_message_free_unpacked(entries[i], NULL);
}
