// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A deleted file still open: 10 KiB written, unlinked, held by one fd at an
 * offset and by a second open of the same inode (through /proc) at another.
 * Afterwards both fds hold the same unlinked inode with the same bytes,
 * mode and offsets, and a write through one shows through the other.
 * --size BYTES (10 KiB and up) sets the file's size.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "victim.h"

#define MIN_SIZE (10 * 1024)
#define OFFSET 3000
#define MODE 0640

static int fd, second;
static long size = MIN_SIZE;
static unsigned char *buf;

static int option(const char *name, const char *value)
{
	if (strcmp(name, "size"))
		return -1;
	size = atol(value);
	return size < MIN_SIZE ? -1 : 0;
}

static int setup(void)
{
	char link[32];

	buf = malloc(size);
	if (!buf)
		return victim_fail("malloc: %m");
	victim_fill(buf, size, 80);
	fd = open("ghost", O_RDWR | O_CREAT | O_EXCL, MODE);
	if (fd < 0 || fchmod(fd, MODE) || write(fd, buf, size) != size || unlink("ghost") ||
	    lseek(fd, OFFSET, SEEK_SET) != OFFSET)
		return victim_fail("set up the deleted file: %m");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	second = open(link, O_RDONLY);
	if (second < 0 || lseek(second, OFFSET * 2, SEEK_SET) != OFFSET * 2)
		return victim_fail("open the deleted file again: %m");
	return 0;
}

static int check(void)
{
	struct stat st, st2;

	if (fstat(fd, &st) || fstat(second, &st2))
		return victim_fail("fstat: %m");
	if (st.st_nlink != 0 || st.st_ino != st2.st_ino || st.st_dev != st2.st_dev)
		return victim_fail("the fds hold %lu links, inodes %lu and %lu",
				   (unsigned long)st.st_nlink, (unsigned long)st.st_ino,
				   (unsigned long)st2.st_ino);
	if (!S_ISREG(st.st_mode) || (st.st_mode & 07777) != MODE || st.st_size != size)
		return victim_fail("mode %o, size %lld", st.st_mode, (long long)st.st_size);
	if (st.st_uid != getuid() || st.st_gid != getgid())
		return victim_fail("owned by %u:%u", st.st_uid, st.st_gid);
	if (!access("ghost", F_OK))
		return victim_fail("the deleted file is back at its path");
	if (lseek(fd, 0, SEEK_CUR) != OFFSET || lseek(second, 0, SEEK_CUR) != OFFSET * 2)
		return victim_fail("offsets %lld and %lld", (long long)lseek(fd, 0, SEEK_CUR),
				   (long long)lseek(second, 0, SEEK_CUR));
	if ((fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDWR ||
	    (fcntl(second, F_GETFL) & O_ACCMODE) != O_RDONLY)
		return victim_fail("the access modes changed");
	if (pread(second, buf, size, 0) != size ||
	    victim_check_pattern("the deleted file", buf, size, 80))
		return victim_fail("the deleted file's bytes differ: %m");
	victim_fill(buf, 100, 81);
	if (write(fd, buf, 100) != 100 || pread(second, buf, 100, OFFSET) != 100)
		return victim_fail("write and read back: %m");
	return victim_check_pattern("new data", buf, 100, 81);
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.check = check,
};
