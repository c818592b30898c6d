// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crtool show DIR: the process tree of the dump, then how many images of
 * each kind the folder holds. A kind is a file name without its id:
 * core-42.img and core-43.img are two "core" images. Images are the *.img
 * files and the few service files without that suffix; anything else in
 * the folder is only counted.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump-print.h"
#include "log.h"

static const char *const service_files[] = { "stats-dump", "stats-restore", "irmap-cache" };

struct kind_count {
	char name[NAME_MAX + 1];
	size_t count;
};

/*
 * @file's kind into @kind: without ".img", and without a last "-ID" where
 * ID is a decimal or hex number (tcp-stream and ghost-file ids are hex), so
 * that a name part such as "-data" or "-dump" stays. "" when @file is not
 * an image.
 */
static void kind_of(const char *file, char *kind)
{
	size_t len = strlen(file), i;
	char *dash;
	bool digit = false;

	kind[0] = '\0';
	if (len > 4 && !strcmp(file + len - 4, ".img")) {
		len -= 4;
	} else {
		for (i = 0; i < sizeof(service_files) / sizeof(service_files[0]); i++)
			if (!strcmp(file, service_files[i]))
				break;
		if (i == sizeof(service_files) / sizeof(service_files[0]))
			return;
	}
	memcpy(kind, file, len);
	kind[len] = '\0';
	dash = strrchr(kind, '-');
	if (!dash || !dash[1])
		return;
	for (i = 1; dash[i]; i++) {
		if (!isxdigit((unsigned char)dash[i]))
			return;
		digit |= isdigit((unsigned char)dash[i]) != 0;
	}
	if (digit)
		*dash = '\0';
}

/* Count @file under its kind; 0 when it is not an image, 1 when it is. */
static int count_kind(struct kind_count **kinds, size_t *n, const char *file)
{
	char kind[NAME_MAX + 1];
	struct kind_count *k;
	size_t i;

	kind_of(file, kind);
	if (!kind[0])
		return 0;
	for (i = 0; i < *n; i++)
		if (!strcmp((*kinds)[i].name, kind)) {
			(*kinds)[i].count++;
			return 1;
		}
	k = realloc(*kinds, (*n + 1) * sizeof(**kinds));
	if (!k)
		return -ENOMEM;
	*kinds = k;
	memcpy(k[*n].name, kind, sizeof(kind));
	k[(*n)++].count = 1;
	return 1;
}

static int cmp_kind(const void *a, const void *b)
{
	return strcmp(((const struct kind_count *)a)->name, ((const struct kind_count *)b)->name);
}

static int print_kinds(struct dump *d)
{
	int fd = openat(img_dir_fd(d->dir), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret = 0;
	struct kind_count *kinds = NULL;
	size_t n = 0, images = 0, others = 0, i;
	struct dirent *de;
	DIR *dir;

	dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir) {
		ret = -errno;
		pr_err("cannot list %s: %s", d->path, strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	while (ret >= 0 && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		ret = count_kind(&kinds, &n, de->d_name);
		if (ret > 0)
			images++;
		else if (!ret)
			others++;
	}
	closedir(dir);
	if (ret >= 0) {
		if (n)
			qsort(kinds, n, sizeof(*kinds), cmp_kind);
		printf("\n%zu images:\n", images);
		for (i = 0; i < n; i++)
			printf("%7zu  %s\n", kinds[i].count, kinds[i].name);
		if (others)
			printf("%7zu  (other files, not images)\n", others);
	}
	free(kinds);
	return ret < 0 ? ret : 0;
}

int dump_print_summary(struct dump *d)
{
	printf("%zu task%s:\n", d->nr_tasks, d->nr_tasks == 1 ? "" : "s");
	dump_print_tree(d, true);
	return print_kinds(d);
}
