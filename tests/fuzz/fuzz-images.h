/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the fuzz targets of libcr's restore share: a scratch images folder, files.img from the input. */
#ifndef FUZZ_IMAGES_H
#define FUZZ_IMAGES_H

#include <stddef.h>
#include <stdint.h>

#include "images.h"

#define FUZZ_MAX_ENTRIES 256

/* A folder of our own in /tmp, made on the first call, emptied and removed at exit; NULL if none. */
struct img_dir *fuzz_images_dir(void);

/* Write @size bytes of @data as @name in fuzz_images_dir() (an empty file if they do not fit). */
void fuzz_write_image(const char *name, const uint8_t *data, size_t size);

/*
 * The entries of files.img at the head of the input: its first two bytes
 * say how long files.img is, the rest follows. Reads at most
 * FUZZ_MAX_ENTRIES into @entries and returns how many; *@data and *@size
 * are left on what comes after files.img.
 */
size_t fuzz_files_entries(const uint8_t **data, size_t *size, ProtobufCMessage **entries);

void fuzz_entries_free(ProtobufCMessage **entries, size_t nr);

#endif
