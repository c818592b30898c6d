// SPDX-License-Identifier: LGPL-2.1-or-later
/* userfaultfd probes: lazy restore, non-cooperative events, write-protect. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/userfaultfd.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probes.h"

#define NONCOOP_FEATURES                                                              \
	(UFFD_FEATURE_EVENT_FORK | UFFD_FEATURE_EVENT_REMAP | UFFD_FEATURE_EVENT_REMOVE | \
	 UFFD_FEATURE_EVENT_UNMAP)

/*
 * A userfaultfd past the UFFDIO_API handshake with @features: the fd, or
 * -errno. *@supported gets every feature the kernel offers.
 */
static int uffd_open(uint64_t features, uint64_t *supported)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	int fd, err;

	fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, UFFDIO_API, &api)) {
		err = errno;
		close(fd);
		return -err;
	}
	if (supported)
		*supported = api.features;
	return fd;
}

/*
 * A userfaultfd with @features and a fresh anonymous page, present when
 * @touch; hand both to @use, then unmap and close.
 */
static enum check_result with_uffd_page(struct probe_out *out, uint64_t features, bool touch,
					enum check_result (*use)(struct probe_out *out, int fd,
								 char *addr, long len))
{
	long page = sysconf(_SC_PAGESIZE);
	enum check_result r;
	char *addr;
	int fd;

	fd = uffd_open(features, NULL);
	if (fd < 0)
		return probe_errno(out, -fd, CAP_SYS_PTRACE, "userfaultfd");
	addr = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (addr == MAP_FAILED) {
		r = probe_errno(out, errno, -1, "mmap");
	} else {
		if (touch)
			addr[0] = 1;
		r = use(out, fd, addr, page);
		munmap(addr, page);
	}
	close(fd);
	return r;
}

/* Register the page for missing faults and fill it with UFFDIO_COPY. */
static enum check_result copy_into_missing(struct probe_out *out, int fd, char *addr, long len)
{
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)addr, .len = len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	static char src[4096] __attribute__((aligned(4096)));
	struct uffdio_copy copy = {
		.dst = (uintptr_t)addr, .src = (uintptr_t)src, .len = len,
	};

	if (len != sizeof(src))
		return probe_error(out, "page size %ld is not %zu", len, sizeof(src));
	memset(src, 'u', sizeof(src));
	if (ioctl(fd, UFFDIO_REGISTER, &reg))
		return probe_errno(out, errno, -1, "ioctl(UFFDIO_REGISTER)");
	if (ioctl(fd, UFFDIO_COPY, &copy) || copy.copy != len)
		return probe_errno(out, errno, -1, "ioctl(UFFDIO_COPY)");
	if (memcmp(addr, src, len))
		return probe_missing(out, "UFFDIO_COPY filled the page with other bytes");
	return probe_supported(out, "userfaultfd registers memory and fills missing pages");
}

enum check_result probe_uffd(struct probe_out *out)
{
	return with_uffd_page(out, 0, false, copy_into_missing);
}

/*
 * Whether the kernel's userfaultfd offers every feature in @want. False,
 * with @out filled in (missing with @lack, or why it could not tell), when
 * it does not.
 */
static bool uffd_offers(struct probe_out *out, uint64_t want, const char *lack)
{
	uint64_t supported = 0;
	int fd = uffd_open(0, &supported);

	if (fd < 0) {
		probe_errno(out, -fd, CAP_SYS_PTRACE, "userfaultfd");
		return false;
	}
	close(fd);
	if ((supported & want) != want) {
		probe_missing(out, "%s (offers %#llx)", lack, (unsigned long long)supported);
		return false;
	}
	return true;
}

enum check_result probe_uffd_noncoop(struct probe_out *out)
{
	int fd;

	if (!uffd_offers(out, NONCOOP_FEATURES, "userfaultfd lacks fork/remap/remove/unmap events"))
		return out->result;
	/* Asking for them checks the permission (fork events need more). */
	fd = uffd_open(NONCOOP_FEATURES, NULL);
	if (fd < 0)
		return probe_errno(out, -fd, CAP_SYS_PTRACE, "userfaultfd with non-cooperative events");
	close(fd);
	return probe_supported(out, "userfaultfd reports fork, remap, remove and unmap events");
}

/* Register the (present) page for write-protect and protect it. */
static enum check_result write_protect(struct probe_out *out, int fd, char *addr, long len)
{
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)addr, .len = len },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = { .start = (uintptr_t)addr, .len = len },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};

	if (ioctl(fd, UFFDIO_REGISTER, &reg))
		return probe_errno(out, errno, -1, "ioctl(UFFDIO_REGISTER, MODE_WP)");
	if (!(reg.ioctls & (1ULL << _UFFDIO_WRITEPROTECT)))
		return probe_missing(out, "anonymous memory registered for WP offers no UFFDIO_WRITEPROTECT");
	if (ioctl(fd, UFFDIO_WRITEPROTECT, &wp))
		return probe_errno(out, errno, -1, "ioctl(UFFDIO_WRITEPROTECT)");
	return probe_supported(out, "userfaultfd write-protects anonymous memory");
}

enum check_result probe_uffd_wp(struct probe_out *out)
{
	if (!uffd_offers(out, UFFD_FEATURE_PAGEFAULT_FLAG_WP, "userfaultfd has no write-protect mode"))
		return out->result;
	/* Write-protecting needs a present page. */
	return with_uffd_page(out, UFFD_FEATURE_PAGEFAULT_FLAG_WP, true, write_protect);
}
