// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Files: an O_APPEND file, a file read up to an offset and shared by two fds
 * (dup: one position), O_CLOEXEC on one of them, /dev/null, /dev/zero,
 * /dev/urandom (O_NONBLOCK) and /dev/random (O_CLOEXEC), at chosen fd
 * numbers; the cwd in a folder of its own; the umask. Afterwards the fd
 * table holds exactly the same fds.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "victim.h"

enum {
	FD_APPEND = 10,
	FD_OFFSET = 11,
	FD_DUP = 12,
	FD_NULL = 20,
	FD_ZERO = 21,
	FD_URANDOM = 22,
	FD_RANDOM = 23,
};
#define DATA_SIZE 8192
#define OFFSET 5000
#define UMASK 027

static char cwd[PATH_MAX], append_path[PATH_MAX];
static unsigned char data[DATA_SIZE];
static char fds_before[256];

/* Opens path at fd number `at`, with flags; 0, or victim_fail(). */
static int open_at(const char *path, int flags, int at)
{
	int fd = open(path, flags, 0644);

	if (fd < 0 || (fd != at && (dup3(fd, at, flags & O_CLOEXEC) != at || close(fd))))
		return victim_fail("open %s at %d: %m", path, at);
	return 0;
}

/* The open fds as "0 1 2 10 ...", leaving out the one reading them (procfs lists them in order). */
static int list_fds(char *buf, size_t size)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t len = 0;

	if (!d)
		return victim_fail("open /proc/self/fd: %m");
	buf[0] = 0;
	while ((e = readdir(d)) && len < size)
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
			len += snprintf(buf + len, size - len, "%s ", e->d_name);
	closedir(d);
	return len < size ? 0 : victim_fail("too many open fds");
}

static int setup(void)
{
	char dir[] = "cwd.XXXXXX";

	if (!mkdtemp(dir) || chdir(dir) || !getcwd(cwd, sizeof(cwd)))
		return victim_fail("a cwd of its own: %m");
	umask(UMASK);
	victim_fill(data, DATA_SIZE, 50);
	if (open_at("append.log", O_WRONLY | O_CREAT | O_APPEND, FD_APPEND) ||
	    open_at("offset.data", O_RDWR | O_CREAT | O_CLOEXEC, FD_OFFSET) ||
	    open_at("/dev/null", O_WRONLY, FD_NULL) || open_at("/dev/zero", O_RDONLY, FD_ZERO) ||
	    open_at("/dev/urandom", O_RDONLY | O_NONBLOCK, FD_URANDOM) ||
	    open_at("/dev/random", O_RDONLY | O_CLOEXEC, FD_RANDOM))
		return -1;
	if (!realpath("append.log", append_path) || write(FD_APPEND, "one\n", 4) != 4 ||
	    write(FD_OFFSET, data, DATA_SIZE) != DATA_SIZE ||
	    lseek(FD_OFFSET, OFFSET, SEEK_SET) < 0 || dup2(FD_OFFSET, FD_DUP) != FD_DUP)
		return victim_fail("writing the files: %m");
	return list_fds(fds_before, sizeof(fds_before));
}

static int check_flags(int fd, int fl, int fd_flags)
{
	int now = fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK),
	    fdf = fcntl(fd, F_GETFD);

	if (now != fl || fdf != fd_flags)
		return victim_fail("fd %d has flags %#o and fd flags %d, not %#o and %d", fd, now,
				   fdf, fl, fd_flags);
	return 0;
}

static int check_device(int fd, unsigned int minor)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, minor))
		return victim_fail("fd %d is not the character device 1:%u", fd, minor);
	return 0;
}

/* Two reads of @fd give bytes, and not the same ones. */
static int check_random(int fd, const char *what)
{
	unsigned char a[32], b[32];

	if (read(fd, a, sizeof(a)) != sizeof(a) || read(fd, b, sizeof(b)) != sizeof(b))
		return victim_fail("reading %s: %m", what);
	if (!memcmp(a, b, sizeof(a)))
		return victim_fail("%s gave the same 32 bytes twice", what);
	return 0;
}

static int check(void)
{
	unsigned char buf[100], zeros[100] = {0};
	char path[PATH_MAX], log[16] = "", fds[sizeof(fds_before)];
	mode_t mask = umask(UMASK);
	int fd;

	if (!getcwd(path, sizeof(path)) || strcmp(path, cwd))
		return victim_fail("the cwd is %s, not %s", path, cwd);
	if (mask != UMASK)
		return victim_fail("the umask is %#o, not %#o", mask, UMASK);
	if (list_fds(fds, sizeof(fds)))
		return -1;
	if (strcmp(fds, fds_before))
		return victim_fail("the open fds are %s, not %s", fds, fds_before);
	if (check_flags(FD_APPEND, O_WRONLY | O_APPEND, 0) ||
	    check_flags(FD_OFFSET, O_RDWR, FD_CLOEXEC) || check_flags(FD_DUP, O_RDWR, 0) ||
	    check_flags(FD_NULL, O_WRONLY, 0) || check_flags(FD_ZERO, O_RDONLY, 0) ||
	    check_flags(FD_URANDOM, O_RDONLY | O_NONBLOCK, 0) ||
	    check_flags(FD_RANDOM, O_RDONLY, FD_CLOEXEC) || check_device(FD_NULL, 3) ||
	    check_device(FD_ZERO, 5) || check_device(FD_URANDOM, 9) || check_device(FD_RANDOM, 8) ||
	    check_random(FD_URANDOM, "/dev/urandom") || check_random(FD_RANDOM, "/dev/random"))
		return -1;

	/* One position for both fds of the shared file. */
	if (lseek(FD_DUP, 0, SEEK_CUR) != OFFSET)
		return victim_fail("the position is %ld, not %d", (long)lseek(FD_DUP, 0, SEEK_CUR),
				   OFFSET);
	if (read(FD_OFFSET, buf, sizeof(buf)) != sizeof(buf) ||
	    memcmp(buf, data + OFFSET, sizeof(buf)))
		return victim_fail("reading at the offset: wrong bytes or %m");
	if (lseek(FD_DUP, 0, SEEK_CUR) != OFFSET + (off_t)sizeof(buf))
		return victim_fail("the dup'ed fd has its own position");

	/* Writes still append; the devices still work. */
	if (lseek(FD_APPEND, 0, SEEK_SET) || write(FD_APPEND, "two\n", 4) != 4)
		return victim_fail("append: %m");
	fd = open(append_path, O_RDONLY);
	if (fd < 0 || read(fd, log, sizeof(log) - 1) < 0 || strcmp(log, "one\ntwo\n"))
		return victim_fail("append.log holds '%s'", log);
	close(fd);
	if (write(FD_NULL, buf, sizeof(buf)) != sizeof(buf) ||
	    read(FD_ZERO, buf, sizeof(buf)) != sizeof(buf) || memcmp(buf, zeros, sizeof(buf)))
		return victim_fail("/dev/null or /dev/zero stopped working");
	return 0;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
