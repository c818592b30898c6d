// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "page-writer.h"

struct slot {
	unsigned char *buf;
	uint64_t vaddr;
	size_t len;
	bool full;
};

struct page_writer {
	struct img_pagemap_writer *w;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct slot slots[2];
	int fill;		/* the slot the reader fills next */
	bool stopping;
	int err;
};

static void *write_loop(void *arg)
{
	struct page_writer *pw = arg;
	int next = 0;

	pthread_mutex_lock(&pw->lock);
	for (;;) {
		struct slot *s = &pw->slots[next];
		int ret;

		while (!s->full && !pw->stopping)
			pthread_cond_wait(&pw->changed, &pw->lock);
		if (!s->full)
			break;
		pthread_mutex_unlock(&pw->lock);
		ret = pw->err ? 0 :
			img_pagemap_writer_add_data(pw->w, s->vaddr, s->len / IMG_PAGE_SIZE,
						    IMG_PE_PRESENT, s->buf);
		pthread_mutex_lock(&pw->lock);
		if (ret && !pw->err)
			pw->err = ret;
		s->full = false;
		next ^= 1;
		pthread_cond_broadcast(&pw->changed);
	}
	pthread_mutex_unlock(&pw->lock);
	return NULL;
}

struct page_writer *page_writer_start(struct img_pagemap_writer *w, size_t size)
{
	struct page_writer *pw = calloc(1, sizeof(*pw));
	int err = ENOMEM;

	if (!pw)
		return NULL;
	pw->w = w;
	pw->slots[0].buf = malloc(size);
	pw->slots[1].buf = malloc(size);
	pthread_mutex_init(&pw->lock, NULL);
	pthread_cond_init(&pw->changed, NULL);
	if (pw->slots[0].buf && pw->slots[1].buf) {
		err = pthread_create(&pw->thread, NULL, write_loop, pw);
		if (!err)
			return pw;
	}
	free(pw->slots[0].buf);
	free(pw->slots[1].buf);
	free(pw);
	errno = err;
	return NULL;
}

void *page_writer_buffer(struct page_writer *pw)
{
	struct slot *s = &pw->slots[pw->fill];
	void *buf;

	pthread_mutex_lock(&pw->lock);
	while (s->full && !pw->err)
		pthread_cond_wait(&pw->changed, &pw->lock);
	buf = pw->err ? NULL : s->buf;
	pthread_mutex_unlock(&pw->lock);
	return buf;
}

void page_writer_submit(struct page_writer *pw, uint64_t vaddr, size_t len)
{
	struct slot *s = &pw->slots[pw->fill];

	pthread_mutex_lock(&pw->lock);
	s->vaddr = vaddr;
	s->len = len;
	s->full = true;
	pw->fill ^= 1;
	pthread_cond_broadcast(&pw->changed);
	pthread_mutex_unlock(&pw->lock);
}

int page_writer_stop(struct page_writer *pw)
{
	int ret;

	if (!pw)
		return 0;
	pthread_mutex_lock(&pw->lock);
	pw->stopping = true;
	pthread_cond_broadcast(&pw->changed);
	pthread_mutex_unlock(&pw->lock);
	pthread_join(pw->thread, NULL);
	ret = pw->err;
	pthread_mutex_destroy(&pw->lock);
	pthread_cond_destroy(&pw->changed);
	free(pw->slots[0].buf);
	free(pw->slots[1].buf);
	free(pw);
	return ret;
}
