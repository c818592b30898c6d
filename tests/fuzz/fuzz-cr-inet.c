// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz what a restore trusts in the inet sockets of an images folder: any
 * bytes, split in two, are files.img and the tcp-stream image of every
 * established TCP connection in it; every entry of the first goes through
 * the checks of rst_inet_load(), which reads each connection's state and
 * queues from the second. Nothing is created: no socket is opened.
 */
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "images.h"
#include "restore-inet.h"

#define MAX_ENTRIES 256

static struct img_dir *dir;

/* A folder of our own for the tcp-stream images, made once. */
static struct img_dir *images_dir(void)
{
	static char path[] = "/tmp/fuzz-cr-inet.XXXXXX";

	if (!dir && mkdtemp(path))
		dir = img_dir_open(path, 0);
	return dir;
}

/* tcp-stream-<ino>.img of every established TCP entry: @data, or removed. */
static void write_streams(ProtobufCMessage **entries, size_t nr, const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < nr; i++) {
		const FileEntry *fe = (FileEntry *)entries[i];
		char name[64];
		int fd;

		if (fe->type != FD_TYPES__INETSK || !fe->isk || fe->isk->state != TCP_ESTABLISHED)
			continue;
		snprintf(name, sizeof(name), "tcp-stream-%x.img", fe->isk->ino);
		fd = openat(img_dir_fd(dir), name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			continue;
		if (write(fd, data, size) != (ssize_t)size)
			ftruncate(fd, 0);
		close(fd);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ProtobufCMessage *entries[MAX_ENTRIES];
	struct rst_inet ri = {0};
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
	write_streams(entries, nr, data + split, size - split);
	rst_inet_load(dir, entries, nr, true, &ri);
	rst_inet_free(&ri);
	for (size_t i = 0; i < nr; i++)
		protobuf_c_message_free_unpacked(entries[i], NULL);
	return 0;
}
