// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rst_check_memory(): the pages of every task's pagemap and of every shared
 * memory object's (the runs of a check-only dump count though they hold no
 * data) against MemAvailable and the headroom (limit - usage) of crtool's
 * memory cgroup and of each cgroup above it, v1 or v2: the restored tree
 * is created in crtool's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "img/pagemap.h"
#include "lib-log.h"
#include "restore-check.h"
#include "restore-tree.h"

#define MIB ((uint64_t)1 << 20)

static uint64_t mib_up(uint64_t bytes)
{
	return (bytes + MIB - 1) / MIB;
}

/* Add the pages of every run of @pm (NULL: not opened) to *@pages; closes @pm. */
static int count_runs(struct img_pagemap *pm, const char *what, unsigned long id, uint64_t *pages)
{
	struct img_page_run run;
	int ret;

	if (!pm) {
		ret = -errno;
		pr_err("cannot open the pagemap of %s %lu: %s", what, id, strerror(-ret));
		return ret;
	}
	while ((ret = img_pagemap_next(pm, &run)) > 0) {
		if (run.nr_pages > UINT64_MAX / IMG_PAGE_SIZE - *pages) {
			ret = -EOVERFLOW;
			break;
		}
		*pages += run.nr_pages;
	}
	img_pagemap_close(pm);
	if (ret < 0)
		pr_err("bad pagemap of %s %lu: %s", what, id, strerror(-ret));
	return ret < 0 ? ret : 0;
}

/* Shared memory: every pagemap-shmem-ID.img of the folder. */
static int shmem_pages(const struct rst_ctx *ctx, uint64_t *pages)
{
	int fd = openat(img_dir_fd(ctx->dir), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *de;
	unsigned long id;
	char end;
	int ret = 0;

	if (!d) {
		ret = -errno;
		if (fd >= 0)
			close(fd);
		return ret;
	}
	while (!ret && (de = readdir(d)))
		if (sscanf(de->d_name, "pagemap-shmem-%lu.im%c", &id, &end) == 2 && end == 'g')
			ret = count_runs(img_pagemap_open_shmem(ctx->dir, id), "shared memory", id,
					 pages);
	closedir(d);
	return ret;
}

static int pages_needed(const struct rst_ctx *ctx, uint64_t *pages)
{
	int ret = 0;

	*pages = 0;
	for (size_t i = 0; i < ctx->nr_tasks && !ret; i++) {
		unsigned long pid = ctx->tasks[i].pe->pid;

		if (!rst_task_is_zombie(&ctx->tasks[i]))
			ret = count_runs(img_pagemap_open(ctx->dir, pid), "task", pid, pages);
	}
	return ret ? ret : shmem_pages(ctx, pages);
}

/* The first number of the file @path (after @key when not NULL): 0 or -errno. */
static int read_number(const char *path, const char *key, uint64_t *val)
{
	char line[256];
	int ret = -ENODATA;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		const char *p = line;

		if (key && strncmp(line, key, strlen(key)))
			continue;
		if (key)
			p += strlen(key);
		if (sscanf(p, "%" SCNu64, val) == 1)
			ret = 0;
		else if (!strncmp(p, "max", 3))
			ret = -ERANGE; /* no limit */
		break;
	}
	fclose(f);
	return ret;
}

/* Where a memory cgroup hierarchy keeps its limit and usage. */
struct cg_files {
	const char *root, *max, *cur;
};

static const struct cg_files cg_v1 = {"/sys/fs/cgroup/memory", "memory.limit_in_bytes",
				      "memory.usage_in_bytes"};
static const struct cg_files cg_v2 = {"/sys/fs/cgroup", "memory.max", "memory.current"};

/*
 * crtool's memory cgroup path into @buf: the v1 memory hierarchy's when
 * there is one, else the v2 one's. Its files, or NULL.
 */
static const struct cg_files *own_cgroup(char *buf, size_t size)
{
	const struct cg_files *kind = NULL;
	char line[4096], *path;
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		path = strchr(line, ':');
		if (!path || !(path = strchr(path + 1, ':')))
			continue;
		*path++ = '\0';
		if (!strcmp(strchr(line, ':') + 1, "memory") &&
		    snprintf(buf, size, "%s", path) < (int)size) {
			kind = &cg_v1;
			break;
		}
		if (!strcmp(line, "0:") && snprintf(buf, size, "%s", path) < (int)size)
			kind = &cg_v2;
	}
	fclose(f);
	return kind;
}

/* One finding per cgroup from crtool's up whose headroom is below @need. */
static int check_cgroups(const struct rst_ctx *ctx, uint64_t need)
{
	char cg[2048], limit[2200], path[2200];
	const struct cg_files *kind = own_cgroup(cg, sizeof(cg));
	uint64_t max, cur;
	int found = 0;
	char *slash;

	while (kind) {
		snprintf(limit, sizeof(limit), "%s%s/%s", kind->root, cg, kind->max);
		if (!read_number(limit, NULL, &max)) {
			snprintf(path, sizeof(path), "%s%s/%s", kind->root, cg, kind->cur);
			if (read_number(path, NULL, &cur))
				cur = 0;
			cur = cur < max ? cur : max;
			if (need > max - cur) {
				rst_finding(ctx, "memory", limit,
					    "the memory cgroup %s has %" PRIu64
					    " MiB left (limit %" PRIu64
					    " MiB), the tree needs %" PRIu64
					    " MiB: short by %" PRIu64 " MiB; raise %s",
					    cg[0] ? cg : "/", (max - cur) / MIB, max / MIB,
					    mib_up(need), mib_up(need - (max - cur)), limit);
				found++;
			}
		}
		slash = strrchr(cg, '/');
		if (!slash || !cg[0])
			break;
		*slash = '\0';
	}
	return found;
}

int rst_check_memory(const struct rst_ctx *ctx)
{
	uint64_t pages, need, avail_kb;
	int ret, found = 0;

	ret = pages_needed(ctx, &pages);
	if (ret)
		return ret;
	need = pages * IMG_PAGE_SIZE;
	pr_info("check-only: the tree's pages take %" PRIu64 " MiB", mib_up(need));
	if (!read_number("/proc/meminfo", "MemAvailable:", &avail_kb) && need > avail_kb * 1024) {
		rst_finding(ctx, "memory", "MemAvailable",
			    "MemAvailable is %" PRIu64 " MiB, the tree needs %" PRIu64
			    " MiB: short by %" PRIu64 " MiB; free memory first",
			    avail_kb / 1024, mib_up(need), mib_up(need - avail_kb * 1024));
		found++;
	}
	return found + check_cgroups(ctx, need);
}
