/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pipes and FIFOs on restore: the bytes queued in each (pipes-data.img,
 * fifo-data.img) go back once per pipe, whichever of its ends is opened
 * first; the other ends are opened on the same pipe.
 */
#ifndef CR_RESTORE_PIPES_H
#define CR_RESTORE_PIPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "images.h"

struct rst_pipe {
	uint32_t pipe_id;
	uint32_t size;		/* buffer size to set, 0: leave */
	uint32_t bytes;
	void *data;
	int ends[2];		/* a pipe's, while the root opens files */
	bool filled;		/* a FIFO's bytes are back */
};

/* The pipes (or FIFOs) of one dump. */
struct rst_pipes {
	struct rst_pipe *v;
	size_t nr, cap;
};

/*
 * Read image @kind ("PIPES_DATA", "FIFO_DATA"), whose file is @file, into
 * @ps; a dump without such pipes has no such file.
 */
int rst_pipes_load(struct img_dir *dir, const char *kind, const char *file, struct rst_pipes *ps);

/* A new fd on the end @pe of its pipe, created (and filled) the first time. */
int rst_pipe_open(struct rst_pipes *ps, const PipeEntry *pe);

/* A new fd on the FIFO @ff, opened at @reg's path with @reg's flags. */
int rst_fifo_open(struct rst_pipes *ps, const FifoEntry *ff, const RegFileEntry *reg);

/* Close the pipe ends rst_pipe_open() kept for later ends. */
void rst_pipes_close_ends(struct rst_pipes *ps);

void rst_pipes_free(struct rst_pipes *ps);

#endif
