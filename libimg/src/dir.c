// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "img/dir.h"
#include "lib-log.h"
#include "dir-internal.h"

static struct img_dir *dir_new(int fd)
{
	struct img_dir *dir = malloc(sizeof(*dir));

	if (!dir) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	dir->fd = fd;
	return dir;
}

IMG_API struct img_dir *img_dir_open(const char *path, unsigned int flags)
{
	int fd, err;

	if ((flags & IMG_DIR_CREATE) && mkdir(path, 0700) && errno != EEXIST) {
		err = errno;
		pr_perror("cannot create image folder %s", path);
		errno = err;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		pr_perror("cannot open image folder %s", path);
		errno = err;
		return NULL;
	}
	return dir_new(fd);
}

IMG_API struct img_dir *img_dir_open_fd(int dirfd)
{
	/* Never below @dirfd: a caller keeping low fd numbers free passes a high one. */
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, dirfd > 3 ? dirfd : 3), err;

	if (fd < 0) {
		err = errno;
		pr_perror("cannot duplicate image folder fd %d", dirfd);
		errno = err;
		return NULL;
	}
	return dir_new(fd);
}

IMG_API int img_dir_fd(const struct img_dir *dir)
{
	return dir->fd;
}

IMG_API void img_dir_close(struct img_dir *dir)
{
	if (!dir)
		return;
	close(dir->fd);
	free(dir);
}
