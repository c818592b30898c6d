// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fuzz what a restore trusts in the unix sockets of an images folder: any
 * bytes, split in two, are files.img and sk-queues.img; every entry of the
 * first goes through the checks and the indexing of rst_unix_load() (peers,
 * names, types, connect order), which also reads every queued packet of
 * the second. Nothing is created: no socket is opened.
 */
#include "fuzz-images.h"
#include "restore-unix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ProtobufCMessage *entries[FUZZ_MAX_ENTRIES];
	struct rst_unix ru = { 0 };
	size_t nr;

	if (!fuzz_images_dir())
		return 0;
	nr = fuzz_files_entries(&data, &size, entries);
	fuzz_write_image("sk-queues.img", data, size);
	rst_unix_load(fuzz_images_dir(), entries, nr, &ru);
	rst_unix_free(&ru);
	fuzz_entries_free(entries, nr);
	return 0;
}
