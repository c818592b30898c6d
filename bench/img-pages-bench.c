// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libimg page data throughput: write SIZE MiB of pages through the pagemap
 * writer, in runs of 4 MiB, then read them back through the pagemap reader
 * and check them. Done twice: with img_pagemap_writer_add_data() (bytes in
 * memory) and with img_pagemap_writer_add_pipe() (bytes put in a pipe by
 * vmsplice() from another thread, as a dump gets them from a task).
 * Only the library calls are timed, not the checksums.
 *   img-pages-bench DIR [SIZE_MIB]
 * Prints "NAME SECONDS" lines (write-data, read-data, write-pipe,
 * read-pipe) for bench/img-bench.sh; exits 1 when the data read back differ.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "bench-time.h"

#include "img/img.h"

#define RUN_PAGES 1024u
#define RUN_BYTES ((size_t)RUN_PAGES * IMG_PAGE_SIZE)
/* Runs are one page apart, as areas are, so the writer keeps them apart. */
#define RUN_STRIDE (RUN_BYTES + IMG_PAGE_SIZE)
#define BASE_VADDR 0x7f0000000000ull
#define PIPE_BYTES (1u << 20)

static unsigned char *src; /* run i's bytes start at src + i pages: each run differs */
static size_t nr_runs;

static const unsigned char *run_data(size_t i)
{
	return src + i * IMG_PAGE_SIZE;
}

/* A position-dependent checksum of one run, folded into *@sum. */
static void checksum(uint64_t *sum, const unsigned char *p)
{
	uint64_t lane[4] = { 1, 2, 3, 4 }, w;
	size_t i;

	for (i = 0; i < RUN_BYTES; i += 8) {
		memcpy(&w, p + i, 8);
		lane[(i >> 3) & 3] = (lane[(i >> 3) & 3] ^ w) * 0x100000001b3ull;
	}
	*sum = (*sum * 31) ^ lane[0] ^ (lane[1] << 1) ^ (lane[2] << 2) ^ (lane[3] << 3);
}

static void fill_random(unsigned char *p, size_t n)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t i;

	for (i = 0; i < n; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(p + i, &x, 8);
	}
}

/* The feeder thread: vmsplice() every run into the pipe, in order. */
static void *feed(void *arg)
{
	int fd = *(int *)arg;
	size_t i, done;
	ssize_t n;

	for (i = 0; i < nr_runs; i++)
		for (done = 0; done < RUN_BYTES; done += n) {
			struct iovec iov = { (void *)(run_data(i) + done), RUN_BYTES - done };

			n = vmsplice(fd, &iov, 1, 0);
			if (n <= 0) {
				perror("vmsplice");
				exit(1);
			}
		}
	return NULL;
}

static double write_runs(struct img_dir *dir, unsigned long id, int use_pipe)
{
	struct img_pagemap_writer *w = img_pagemap_writer_open(dir, id, id);
	int pipefd[2] = { -1, -1 }, ret = 0;
	pthread_t feeder;
	double t0;
	size_t i;

	if (!w) {
		perror("img_pagemap_writer_open");
		exit(1);
	}
	if (use_pipe) {
		if (pipe(pipefd) || fcntl(pipefd[1], F_SETPIPE_SZ, PIPE_BYTES) < 0) {
			perror("pipe");
			exit(1);
		}
	}
	t0 = bench_now();
	if (use_pipe && pthread_create(&feeder, NULL, feed, &pipefd[1])) {
		fprintf(stderr, "cannot start the feeder thread\n");
		exit(1);
	}
	for (i = 0; !ret && i < nr_runs; i++) {
		uint64_t vaddr = BASE_VADDR + i * RUN_STRIDE;

		if (use_pipe)
			ret = img_pagemap_writer_add_pipe(w, vaddr, RUN_PAGES, IMG_PE_PRESENT,
							  pipefd[0]);
		else
			ret = img_pagemap_writer_add_data(w, vaddr, RUN_PAGES, IMG_PE_PRESENT,
							  run_data(i));
	}
	ret = ret ?: img_pagemap_writer_close(w);
	if (use_pipe)
		pthread_join(feeder, NULL);
	t0 = bench_now() - t0;
	if (ret) {
		fprintf(stderr, "writing pages: %s\n", strerror(-ret));
		exit(1);
	}
	if (use_pipe) {
		close(pipefd[0]);
		close(pipefd[1]);
	}
	return t0;
}

/* Read every run back; the time spent in the library into *@secs. */
static uint64_t read_runs(struct img_dir *dir, unsigned long id, unsigned char *buf, double *secs)
{
	struct img_pagemap *pm;
	struct img_page_run run;
	uint64_t sum = 0;
	size_t runs = 0;
	double t0 = bench_now();
	int ret;

	*secs = 0;
	pm = img_pagemap_open(dir, id);
	if (!pm) {
		perror("img_pagemap_open");
		exit(1);
	}
	while ((ret = img_pagemap_next(pm, &run)) > 0) {
		if (run.nr_pages != RUN_PAGES || runs >= nr_runs ||
		    run.vaddr != BASE_VADDR + runs * RUN_STRIDE) {
			fprintf(stderr, "run %zu: %llu pages at 0x%llx, not what was written\n", runs,
				(unsigned long long)run.nr_pages, (unsigned long long)run.vaddr);
			exit(1);
		}
		ret = img_pagemap_read_run(pm, &run, buf);
		if (ret)
			break;
		*secs += bench_now() - t0;
		checksum(&sum, buf);
		runs++;
		t0 = bench_now();
	}
	img_pagemap_close(pm);
	*secs += bench_now() - t0;
	if (ret < 0 || runs != nr_runs) {
		fprintf(stderr, "reading pages: %s (%zu runs)\n", strerror(ret < 0 ? -ret : EIO),
			runs);
		exit(1);
	}
	return sum;
}

int main(int argc, char **argv)
{
	struct img_dir *dir;
	unsigned char *buf;
	uint64_t want = 0, got;
	size_t mib, i;
	double secs;
	int p;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "Usage: img-pages-bench DIR [SIZE_MIB]\n");
		return 2;
	}
	mib = argc == 3 ? strtoul(argv[2], NULL, 0) : 1024;
	nr_runs = mib * (1u << 20) / RUN_BYTES;
	if (!nr_runs) {
		fprintf(stderr, "SIZE_MIB must be at least %zu\n", RUN_BYTES >> 20);
		return 2;
	}
	dir = img_dir_open(argv[1], IMG_DIR_CREATE);
	if (posix_memalign((void **)&src, IMG_PAGE_SIZE, RUN_BYTES + nr_runs * IMG_PAGE_SIZE) ||
	    posix_memalign((void **)&buf, IMG_PAGE_SIZE, RUN_BYTES) || !dir) {
		perror("setup");
		return 1;
	}
	fill_random(src, RUN_BYTES + nr_runs * IMG_PAGE_SIZE);
	memset(buf, 0, RUN_BYTES);
	for (i = 0; i < nr_runs; i++)
		checksum(&want, run_data(i));

	for (p = 0; p < 2; p++) {
		const char *how = p ? "pipe" : "data";

		printf("write-%s %.6f\n", how, write_runs(dir, 1, p));
		fflush(stdout);
		got = read_runs(dir, 1, buf, &secs);
		if (got != want) {
			fprintf(stderr, "%s: checksum %016llx read back, %016llx written\n", how,
				(unsigned long long)got, (unsigned long long)want);
			return 1;
		}
		printf("read-%s %.6f\n", how, secs);
		fflush(stdout);
		/* Free the tmpfs space before the next pass. */
		unlinkat(img_dir_fd(dir), "pages-1.img", 0);
		unlinkat(img_dir_fd(dir), "pagemap-1.img", 0);
	}
	img_dir_close(dir);
	free(src);
	free(buf);
	return 0;
}
