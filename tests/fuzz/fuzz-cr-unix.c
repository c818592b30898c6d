// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz what a restore trusts in the unix sockets of an images folder: any
 * bytes, split in two, are files.img and sk-queues.img; every entry of the
 * first goes through the checks and the indexing of rst_unix_load() (peers,
 * names, types, connect order), which also reads every queued packet of
 * the second. Nothing is created: no socket is opened.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "images.h"
#include "restore-unix.h"

#define MAX_ENTRIES 256

static struct img_dir *dir;

static char path[] = "/tmp/fuzz-cr-unix.XXXXXX";

static void remove_dir(void)
{
	unlinkat(img_dir_fd(dir), "sk-queues.img", 0);
	img_dir_close(dir);
	rmdir(path);
}

/* A folder of our own for sk-queues.img, made once. */
static struct img_dir *images_dir(void)
{
	if (!dir && mkdtemp(path)) {
		dir = img_dir_open(path, 0);
		if (dir)
			atexit(remove_dir);
	}
	return dir;
}

static void write_queues(const uint8_t *data, size_t size)
{
	int fd = openat(img_dir_fd(dir), "sk-queues.img", O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return;
	if (write(fd, data, size) != (ssize_t)size)
		ftruncate(fd, 0);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ProtobufCMessage *entries[MAX_ENTRIES];
	struct rst_unix ru = { 0 };
	struct img_file *f;
	size_t split, nr = 0;
	int fd;

	/* The first two bytes say where files.img ends. */
	if (size < 2 || !images_dir())
		return 0;
	split = (size_t)data[0] << 8 | data[1];
	data += 2;
	size -= 2;
	if (split > size)
		split = size;
	write_queues(data + split, size - split);
	fd = memfd_create("fuzz-files", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, split) != (ssize_t)split || lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return 0;
	}
	/* The image file owns the fd from here, even when it fails to open. */
	f = img_file_open_fd(fd, "files.img", "FILES", IMG_READ);
	while (f && nr < MAX_ENTRIES &&
	       img_file_read_entry(f, &file_entry__descriptor, &entries[nr]) > 0)
		nr++;
	img_file_close(f);
	rst_unix_load(dir, entries, nr, &ru);
	rst_unix_free(&ru);
	for (size_t i = 0; i < nr; i++)
		protobuf_c_message_free_unpacked(entries[i], NULL);
	return 0;
}
