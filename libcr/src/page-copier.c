// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/userfaultfd.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib-log.h"
#include "page-copier.h"

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

/* Copied per UFFDIO_COPY: its source pages are mapped in beforehand. */
#define SRC_CHUNK (4ul << 20)

int page_copier_open(struct page_copier *pc, int pages_fd)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct stat st;
	void *src;

	pc->uffd = -1;
	pc->src = NULL;
	if (fstat(pages_fd, &st))
		return -errno;
	if (!st.st_size)
		return -ENODATA;
	src = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, pages_fd, 0);
	if (src == MAP_FAILED)
		return -errno;
	pc->src = src;
	pc->src_len = (size_t)st.st_size;
	pc->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
	if (pc->uffd < 0 || ioctl(pc->uffd, UFFDIO_API, &api)) {
		int ret = -errno;

		page_copier_close(pc);
		return ret;
	}
	return 0;
}

int page_copier_register(struct page_copier *pc, uint64_t addr, size_t len)
{
	struct uffdio_register reg = {
		.range = { .start = addr, .len = len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	return ioctl(pc->uffd, UFFDIO_REGISTER, &reg) ? -errno : 0;
}

int page_copier_copy(struct page_copier *pc, uint64_t dst, uint64_t off, size_t len)
{
	if (off > pc->src_len || len > pc->src_len - off)
		return -ERANGE;
	while (len) {
		size_t n = len < SRC_CHUNK ? len : SRC_CHUNK;
		struct uffdio_copy copy = {
			.dst = dst,
			.src = (uintptr_t)(pc->src + off),
			.len = n,
		};

		/* Map the source pages in one go rather than fault by fault. */
		madvise((void *)(pc->src + off), n, MADV_POPULATE_READ);
		/* EAGAIN: only part was copied (copy.copy bytes), the rest goes again. */
		if (ioctl(pc->uffd, UFFDIO_COPY, &copy) && (errno != EAGAIN || copy.copy <= 0)) {
			int ret = -errno;

			pr_err("cannot copy the pages at %#" PRIx64 ": %s", dst, strerror(-ret));
			return ret;
		}
		dst += (uint64_t)copy.copy;
		off += (uint64_t)copy.copy;
		len -= (size_t)copy.copy;
	}
	return 0;
}

void page_copier_close(struct page_copier *pc)
{
	/* Closing the userfaultfd unregisters every area. */
	if (pc->uffd >= 0)
		close(pc->uffd);
	if (pc->src)
		munmap((void *)pc->src, pc->src_len);
	pc->uffd = -1;
	pc->src = NULL;
}
