// SPDX-License-Identifier: LGPL-2.1-or-later
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "img/img.h"
#include "img-test.h"

const char *fixture_names[256];
size_t nr_fixtures;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void fixtures_scan(void)
{
	static const char *const sets[] = { "fdzoo", "tcp", "tree" };
	char path[512], *name;
	struct dirent *de;
	size_t i, len;
	DIR *d;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, sets[i]);
		d = opendir(path);
		assert_non_null(d);
		while ((de = readdir(d))) {
			len = strlen(de->d_name);
			if (len < 6 || strcmp(de->d_name + len - 5, ".json"))
				continue;
			assert_true(nr_fixtures < 256);
			assert_true(asprintf(&name, "%s/%.*s", sets[i], (int)(len - 5), de->d_name) > 0);
			fixture_names[nr_fixtures++] = name;
		}
		closedir(d);
	}
	qsort(fixture_names, nr_fixtures, sizeof(fixture_names[0]), by_name);
	assert_true(nr_fixtures > 50);
}

char *fixture_path(const char *name)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", FIXTURES_DIR, name) > 0);
	return p;
}

char *fd_content(int fd, size_t *len)
{
	struct stat st;
	char *buf;

	assert_int_equal(fstat(fd, &st), 0);
	buf = malloc(st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, st.st_size, 0), st.st_size);
	buf[st.st_size] = '\0';
	*len = st.st_size;
	return buf;
}

char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	char *buf;

	assert_true(fd >= 0);
	buf = fd_content(fd, len);
	close(fd);
	return buf;
}

int memfd_with(const void *data, size_t len)
{
	int fd = memfd_create("img-test", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static char log_buf[16384];
static size_t log_len;

static void log_to_buf(int level, const char *file, int line, const char *msg, void *ctx)
{
	int n = snprintf(log_buf + log_len, sizeof(log_buf) - log_len, "%s\n", msg);

	if (n > 0 && log_len + n < sizeof(log_buf))
		log_len += n;
}

void log_capture(void)
{
	img_set_log(log_to_buf, NULL);
	log_reset();
}

void log_reset(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

const char *log_text(void)
{
	return log_buf;
}

char *make_tmpdir(void)
{
	char *p = strdup("/tmp/img-test-XXXXXX");

	assert_non_null(p);
	assert_non_null(mkdtemp(p));
	return p;
}

void rm_tree(const char *path)
{
	char *cmd;

	assert_true(asprintf(&cmd, "rm -rf '%s'", path) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
}
