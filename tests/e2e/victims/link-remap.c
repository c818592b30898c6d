// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * An open file whose path no longer leads to it, --mode:
 *   unlink   opened as "data", which also has the hard link "other";
 *            "data" is unlinked (the fd reads "data (deleted)", one link left)
 *   replace  the same, but "data" is replaced by another file (rename over it)
 *   rename   opened as "data", renamed to "moved" (the fd follows the rename)
 * Afterwards the fd holds the same inode as the remaining name (st_dev and
 * st_ino), its bytes, access mode and offset; a write through it shows at
 * that name; "data" is as it was left; no link_remap.* file is in the folder.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "victim.h"

#define SIZE 12345
#define OFFSET 4321
#define SEED 90
#define NEW_SEED 91

static const char *mode = "unlink";
static const char *kept; /* the name left on the file */
static unsigned char buf[SIZE];
static int fd;

static int option(const char *name, const char *value)
{
	if (strcmp(name, "mode"))
		return -1;
	mode = value;
	if (!strcmp(mode, "unlink") || !strcmp(mode, "replace"))
		kept = "other";
	else if (!strcmp(mode, "rename"))
		kept = "moved";
	else
		return -1;
	return 0;
}

/* A new file @path holding SIZE bytes of pattern @seed. */
static int make_file(const char *path, unsigned int seed)
{
	int wr = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	victim_fill(buf, SIZE, seed);
	if (wr < 0 || write(wr, buf, SIZE) != SIZE || close(wr))
		return victim_fail("create %s: %m", path);
	return 0;
}

static int setup(void)
{
	if (!kept)
		kept = "other";
	if (make_file("data", SEED))
		return -1;
	fd = open("data", O_RDWR);
	if (fd < 0 || lseek(fd, OFFSET, SEEK_SET) != OFFSET)
		return victim_fail("open data: %m");
	if (!strcmp(mode, "rename")) {
		if (rename("data", "moved"))
			return victim_fail("rename data: %m");
		return 0;
	}
	if (link("data", "other"))
		return victim_fail("link data: %m");
	if (!strcmp(mode, "unlink"))
		return unlink("data") ? victim_fail("unlink data: %m") : 0;
	if (make_file("new", NEW_SEED) || rename("new", "data"))
		return victim_fail("replace data: %m");
	return 0;
}

static int no_link_remap_left(void)
{
	DIR *d = opendir(".");
	struct dirent *e;
	int ret = 0;

	if (!d)
		return victim_fail("opendir .: %m");
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "link_remap", 10))
			ret = victim_fail("%s was left in the folder", e->d_name);
	closedir(d);
	return ret;
}

/* What is at "data" now: nothing, or the file that replaced it. */
static int check_data_path(void)
{
	struct stat st;
	int rd;

	if (strcmp(mode, "replace"))
		return access("data", F_OK) ? 0 : victim_fail("data is back");
	rd = open("data", O_RDONLY);
	if (rd < 0 || fstat(rd, &st) || st.st_size != SIZE || read(rd, buf, SIZE) != SIZE)
		return victim_fail("read the new data: %m");
	close(rd);
	return victim_check_pattern("the file now at data", buf, SIZE, NEW_SEED);
}

static int check(void)
{
	struct stat st, named;
	int rd;

	if (fstat(fd, &st) || stat(kept, &named))
		return victim_fail("stat: %m");
	if (st.st_dev != named.st_dev || st.st_ino != named.st_ino)
		return victim_fail("the fd holds inode %lu, %s is %lu", (unsigned long)st.st_ino,
				   kept, (unsigned long)named.st_ino);
	if (st.st_nlink != 1 || st.st_size != SIZE)
		return victim_fail("%lu links, %lld bytes", (unsigned long)st.st_nlink,
				   (long long)st.st_size);
	if ((fcntl(fd, F_GETFL) & O_ACCMODE) != O_RDWR || lseek(fd, 0, SEEK_CUR) != OFFSET)
		return victim_fail("access mode or offset %lld changed",
				   (long long)lseek(fd, 0, SEEK_CUR));
	if (pread(fd, buf, SIZE, 0) != SIZE ||
	    victim_check_pattern("the open file", buf, SIZE, SEED))
		return -1;
	victim_fill(buf, 100, NEW_SEED + 1);
	if (write(fd, buf, 100) != 100)
		return victim_fail("write: %m");
	rd = open(kept, O_RDONLY);
	memset(buf, 0, 100);
	if (rd < 0 || pread(rd, buf, 100, OFFSET) != 100)
		return victim_fail("read %s back: %m", kept);
	close(rd);
	if (victim_check_pattern("the write seen through the remaining name", buf, 100,
				 NEW_SEED + 1))
		return -1;
	if (check_data_path())
		return -1;
	return no_link_remap_left();
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.check = check,
};
