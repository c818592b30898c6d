/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libimg: page data. pagemap-ID.img lists runs of pages (start address,
 * number of pages, flags); the runs flagged present have their bytes, in
 * order, in the raw file pages-N.img named by the pagemap's head.
 */
#ifndef IMG_PAGEMAP_H
#define IMG_PAGEMAP_H

#include <stdint.h>

#include "img/img.h"
#include "img/dir.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IMG_PAGE_SIZE 4096u

/* Flags of a run, CRIU's values. */
#define IMG_PE_PARENT 0x1  /* the pages are in the parent dump's images */
#define IMG_PE_LAZY 0x2    /* restore may fetch the pages on demand */
#define IMG_PE_PRESENT 0x4 /* the pages are in this dump's pages file */

struct img_dir;

struct img_page_run {
	uint64_t vaddr;
	uint64_t nr_pages;
	unsigned int flags;   /* IMG_PE_* */
	uint64_t pages_off;   /* offset in pages-N.img when IMG_PE_PRESENT */
};

struct img_pagemap;

/*
 * Open pagemap-@id.img in @dir and the pages file its head names. Returns a
 * reader to release with img_pagemap_close(), or NULL with errno.
 */
IMG_API struct img_pagemap *img_pagemap_open(struct img_dir *dir, unsigned long id);

/* The same for the pages of shared memory @shmid (pagemap-shmem-ID.img). */
IMG_API struct img_pagemap *img_pagemap_open_shmem(struct img_dir *dir, unsigned long shmid);

/*
 * The next run into *@run: 1, 0 after the last run, or a negative errno
 * (-ERANGE when a present run reaches past the end of the pages file).
 */
IMG_API int img_pagemap_next(struct img_pagemap *pm, struct img_page_run *run);

/* The pages file: its id and an fd owned by @pm, for pread()/splice(). */
IMG_API unsigned int img_pagemap_pages_id(const struct img_pagemap *pm);
IMG_API int img_pagemap_pages_fd(const struct img_pagemap *pm);

/*
 * Copy the bytes of the present run @run into @buf (nr_pages * page size
 * bytes). 0 or a negative errno.
 */
IMG_API int img_pagemap_read_run(struct img_pagemap *pm, const struct img_page_run *run, void *buf);

/* Release @pm (NULL is fine). */
IMG_API void img_pagemap_close(struct img_pagemap *pm);

struct img_pagemap_writer;

/*
 * Create pagemap-@id.img and pages-@pages_id.img in @dir. Returns a writer
 * to finish with img_pagemap_writer_close(), or NULL with errno.
 */
IMG_API struct img_pagemap_writer *img_pagemap_writer_open(struct img_dir *dir, unsigned long id,
							    unsigned int pages_id);

/* The same for the pages of shared memory @shmid (pagemap-shmem-ID.img). */
IMG_API struct img_pagemap_writer *img_pagemap_writer_open_shmem(struct img_dir *dir,
								  unsigned long shmid,
								  unsigned int pages_id);

/*
 * Record a run with no data in this dump (flags without IMG_PE_PRESENT, e.g.
 * IMG_PE_PARENT). Adjacent runs with equal flags merge into one entry.
 */
IMG_API int img_pagemap_writer_add_hole(struct img_pagemap_writer *w, uint64_t vaddr,
					uint64_t nr_pages, unsigned int flags);

/* Append a present run whose bytes are in memory at @data. */
IMG_API int img_pagemap_writer_add_data(struct img_pagemap_writer *w, uint64_t vaddr,
					uint64_t nr_pages, unsigned int flags, const void *data);

/*
 * Append a present run whose bytes wait in the pipe @pipe_fd (e.g. put there
 * by vmsplice() from the dumped task): they move into the pages file with
 * splice(), never through user memory. 0 or a negative errno.
 */
IMG_API int img_pagemap_writer_add_pipe(struct img_pagemap_writer *w, uint64_t vaddr,
					uint64_t nr_pages, unsigned int flags, int pipe_fd);

/*
 * Write the last entry, close both files and free @w (NULL is fine). 0, or
 * the negative errno of the first failure on the way.
 */
IMG_API int img_pagemap_writer_close(struct img_pagemap_writer *w);

#ifdef __cplusplus
}
#endif

#endif
