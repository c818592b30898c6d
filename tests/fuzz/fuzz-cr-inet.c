// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz what a restore trusts in the inet sockets of an images folder: any
 * bytes, split in two, are files.img and the tcp-stream image of every
 * established TCP connection in it; every entry of the first goes through
 * the checks of rst_inet_load(), which reads each connection's state and
 * queues from the second. Nothing is created: no socket is opened.
 */
#include <netinet/tcp.h>
#include <stdio.h>

#include "fuzz-images.h"
#include "restore-inet.h"

/* tcp-stream-<ino>.img of every established TCP entry: @data. */
static void write_streams(ProtobufCMessage **entries, size_t nr, const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < nr; i++) {
		const FileEntry *fe = (FileEntry *)entries[i];
		char name[64];

		if (fe->type != FD_TYPES__INETSK || !fe->isk || fe->isk->state != TCP_ESTABLISHED)
			continue;
		snprintf(name, sizeof(name), "tcp-stream-%x.img", fe->isk->ino);
		fuzz_write_image(name, data, size);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ProtobufCMessage *entries[FUZZ_MAX_ENTRIES];
	struct rst_inet ri = {0};
	size_t nr;

	if (!fuzz_images_dir())
		return 0;
	nr = fuzz_files_entries(&data, &size, entries);
	write_streams(entries, nr, data, size);
	rst_inet_load(fuzz_images_dir(), entries, nr, true, &ri);
	rst_inet_free(&ri);
	fuzz_entries_free(entries, nr);
	return 0;
}
