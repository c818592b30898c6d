// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * File mappings, with their files closed: a private mapping with one page
 * dirtied (the file keeps the old bytes) and a shared mapping whose writes
 * reach the file, before the dump and after.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "victim.h"

#define PRIVATE_PAGES 4
#define SHARED_PAGES 2

static size_t page;
static char private_path[PATH_MAX], shared_path[PATH_MAX];
static unsigned char *private_map, *shared_map;

/* Maps NAME (created in the cwd, pages of pattern 10, 11, ... or zeros). */
static unsigned char *map_new_file(const char *name, char *path, size_t pages, int flags,
				   int patterned)
{
	unsigned char *buf = malloc(page), *map = NULL;
	int fd = open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	size_t i;

	if (fd < 0 || !buf || !realpath(name, path) || ftruncate(fd, pages * page)) {
		victim_fail("create %s: %m", name);
		goto out;
	}
	for (i = 0; patterned && i < pages; i++) {
		victim_fill(buf, page, 10 + i);
		if (pwrite(fd, buf, page, i * page) != (ssize_t)page) {
			victim_fail("write %s: %m", name);
			goto out;
		}
	}
	map = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (map == MAP_FAILED) {
		victim_fail("mmap %s: %m", name);
		map = NULL;
	}
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	return map;
}

static int setup(void)
{
	page = sysconf(_SC_PAGESIZE);
	private_map = map_new_file("private.data", private_path, PRIVATE_PAGES, MAP_PRIVATE, 1);
	shared_map = map_new_file("shared.data", shared_path, SHARED_PAGES, MAP_SHARED, 0);
	if (!private_map || !shared_map)
		return -1;
	victim_fill(private_map + page, page, 20);
	victim_fill(shared_map, page, 30);
	return 0;
}

/* Page index of the file at path holds pattern seed. */
static int check_file_page(const char *path, size_t index, unsigned int seed)
{
	unsigned char *buf = malloc(page);
	int fd = open(path, O_RDONLY), ret;

	if (fd < 0 || !buf || pread(fd, buf, page, index * page) != (ssize_t)page)
		ret = victim_fail("read %s: %m", path);
	else
		ret = victim_check_pattern(path, buf, page, seed);
	free(buf);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int check(void)
{
	size_t i;

	for (i = 0; i < PRIVATE_PAGES; i++)
		if (victim_check_pattern("a private mapping's page", private_map + i * page, page,
					 i == 1 ? 20 : 10 + i))
			return -1;
	if (check_file_page(private_path, 1, 11) ||
	    victim_check_perms("the private mapping", private_map, "rw-p"))
		return -1;

	if (victim_check_pattern("the shared mapping", shared_map, page, 30) ||
	    check_file_page(shared_path, 0, 30) ||
	    victim_check_perms("the shared mapping", shared_map, "rw-s"))
		return -1;
	/* Still shared with the file: a new write reaches it. */
	victim_fill(shared_map + page, page, 31);
	if (msync(shared_map, SHARED_PAGES * page, MS_SYNC))
		return victim_fail("msync: %m");
	return check_file_page(shared_path, 1, 31);
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
