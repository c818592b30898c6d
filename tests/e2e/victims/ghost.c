// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A deleted file still open: 10 KiB written, unlinked, held by one fd at an
 * offset and by a second open of the same inode (through /proc) at another.
 * Afterwards both fds hold the same unlinked inode with the same bytes,
 * mode and offsets, and a write through one shows through the other.
 * --size BYTES (10 KiB and up) sets the file's size; --hole yes punches a
 * hole in it (a page at HOLE_OFF), which must come back a hole.
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
#define HOLE_OFF 4096
#define HOLE_LEN 4096

static int fd, second;
static long size = MIN_SIZE;
static unsigned char *buf;
static int hole;

static int option(const char *name, const char *value)
{
	if (!strcmp(name, "hole")) {
		hole = !strcmp(value, "yes");
		return 0;
	}
	if (strcmp(name, "size"))
		return -1;
	size = atol(value);
	return size < MIN_SIZE ? -1 : 0;
}

/* The bytes the file holds: the pattern, zeros in the hole. */
static int check_bytes(void)
{
	unsigned char *want = malloc(size);
	int ret;

	if (!want)
		return victim_fail("malloc: %m");
	victim_fill(want, size, 80);
	if (hole)
		memset(want + HOLE_OFF, 0, HOLE_LEN);
	ret = pread(second, buf, size, 0) == size && !memcmp(buf, want, size) ? 0 :
		victim_fail("the deleted file's bytes differ: %m");
	free(want);
	return ret;
}

/* With --hole, the hole is still one (moves second). */
static int check_hole(void)
{
	off_t h = lseek(second, 0, SEEK_HOLE);

	if (hole && h != HOLE_OFF)
		return victim_fail("the hole is gone: the first hole is at %lld", (long long)h);
	return 0;
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
	if (hole && fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, HOLE_OFF, HOLE_LEN))
		return victim_fail("punch a hole: %m");
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
	if (check_hole() || check_bytes())
		return -1;
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
