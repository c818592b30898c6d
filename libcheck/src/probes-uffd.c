// SPDX-License-Identifier: LGPL-2.1-or-later
/* userfaultfd probes: lazy restore, non-cooperative events, write-protect. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/userfaultfd.h>
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

/* Register @len bytes at @addr in @mode, fill the first page by UFFDIO_COPY. */
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
	long page = sysconf(_SC_PAGESIZE);
	enum check_result r;
	char *addr;
	int fd;

	if (page != 4096)
		return probe_error(out, "page size %ld is not 4096", page);
	fd = uffd_open(0, NULL);
	if (fd < 0)
		return probe_errno(out, -fd, CAP_SYS_PTRACE, "userfaultfd");
	addr = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (addr == MAP_FAILED) {
		r = probe_errno(out, errno, -1, "mmap");
	} else {
		r = copy_into_missing(out, fd, addr, page);
		munmap(addr, page);
	}
	close(fd);
	return r;
}

enum check_result probe_uffd_noncoop(struct probe_out *out)
{
	uint64_t supported = 0;
	int fd = uffd_open(0, &supported);

	if (fd < 0)
		return probe_errno(out, -fd, CAP_SYS_PTRACE, "userfaultfd");
	close(fd);
	if ((supported & NONCOOP_FEATURES) != NONCOOP_FEATURES)
		return probe_missing(out, "userfaultfd lacks fork/remap/remove/unmap events (has %#llx)",
				     (unsigned long long)supported);
	/* Asking for them checks the permission (fork events need more). */
	fd = uffd_open(NONCOOP_FEATURES, NULL);
	if (fd < 0)
		return probe_errno(out, -fd, CAP_SYS_PTRACE, "userfaultfd with non-cooperative events");
	close(fd);
	return probe_supported(out, "userfaultfd reports fork, remap, remove and unmap events");
}

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
	long page = sysconf(_SC_PAGESIZE);
	uint64_t supported = 0;
	enum check_result r;
	char *addr;
	int fd;

	fd = uffd_open(0, &supported);
	if (fd < 0)
		return probe_errno(out, -fd, CAP_SYS_PTRACE, "userfaultfd");
	close(fd);
	if (!(supported & UFFD_FEATURE_PAGEFAULT_FLAG_WP))
		return probe_missing(out, "userfaultfd has no write-protect mode");
	fd = uffd_open(UFFD_FEATURE_PAGEFAULT_FLAG_WP, NULL);
	if (fd < 0)
		return probe_errno(out, -fd, CAP_SYS_PTRACE, "userfaultfd with write-protect");
	addr = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (addr == MAP_FAILED) {
		r = probe_errno(out, errno, -1, "mmap");
	} else {
		/* Write-protecting needs a present page. */
		addr[0] = 1;
		r = write_protect(out, fd, addr, page);
		munmap(addr, page);
	}
	close(fd);
	return r;
}
