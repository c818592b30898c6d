// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The root folder and O_PATH descriptors. A child chroots into a folder of
 * the scratch space holding a marker file (as root; a non-root run cannot,
 * and checks its cwd only) and works from a subfolder there; on SIGTERM it
 * checks its root and cwd and says so in its exit status. The parent, which
 * writes the verdict and so stays out of the jail, holds O_PATH descriptors
 * of the jail folder and of the marker.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

enum child_status { CHILD_OK, CHILD_CWD, CHILD_ROOT, CHILD_MARKER, CHILD_SETUP };

static const char *const child_says[] = {
	[CHILD_CWD] = "its cwd is another folder",
	[CHILD_ROOT] = "its root is another folder",
	[CHILD_MARKER] = "/marker is not in its root",
	[CHILD_SETUP] = "it could not set up",
};

static struct stat jail, sub, marker;
static int path_dir = -1, path_file = -1;
static pid_t child;
static char jailed;

static int same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static int same_path(const struct stat *a, const char *path)
{
	struct stat st;

	return !stat(path, &st) && same(a, &st);
}

static void child_main(int ready)
{
	enum child_status status = CHILD_OK;

	jailed = !chroot("jail");
	if (chdir(jailed ? "/sub" : "jail/sub") || write(ready, &jailed, 1) != 1)
		_exit(CHILD_SETUP);
	close(ready);
	victim_wait();
	if (!same_path(&sub, "."))
		status = CHILD_CWD;
	else if (jailed && !same_path(&jail, "/"))
		status = CHILD_ROOT;
	else if (jailed && access("/marker", F_OK))
		status = CHILD_MARKER;
	_exit(status);
}

static int setup(void)
{
	int ready[2], fd;

	if (mkdir("jail", 0755) || mkdir("jail/sub", 0755))
		return victim_fail("mkdir: %m");
	fd = open("jail/marker", O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		return victim_fail("create jail/marker: %m");
	close(fd);
	if (stat("jail", &jail) || stat("jail/sub", &sub) || stat("jail/marker", &marker))
		return victim_fail("stat: %m");
	path_dir = open("jail", O_PATH | O_DIRECTORY);
	path_file = open("jail/marker", O_PATH);
	if (path_dir < 0 || path_file < 0 || pipe(ready))
		return victim_fail("open: %m");
	child = fork();
	if (child < 0)
		return victim_fail("fork: %m");
	if (!child)
		child_main(ready[1]);
	close(ready[1]);
	if (read(ready[0], &jailed, 1) != 1)
		return victim_fail("the child did not set up");
	close(ready[0]);
	return 0;
}

static int check_path_fd(int fd, const struct stat *want, const char *what)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || !(fl & O_PATH))
		return victim_fail("%s is not an O_PATH descriptor (flags %#x)", what, fl);
	if (fstat(fd, &st) || !same(&st, want))
		return victim_fail("%s names another file", what);
	return 0;
}

static int check(void)
{
	int status;

	if (check_path_fd(path_dir, &jail, "the jail's O_PATH fd") ||
	    check_path_fd(path_file, &marker, "the marker's O_PATH fd"))
		return -1;
	if (kill(child, SIGTERM) || waitpid(child, &status, 0) != child)
		return victim_fail("the child: %m");
	if (!WIFEXITED(status))
		return victim_fail("the child died with status %#x", status);
	if (WEXITSTATUS(status) != CHILD_OK)
		return victim_fail("the child%s: %s", jailed ? " (chrooted)" : "",
				   WEXITSTATUS(status) <= CHILD_SETUP ?
					   child_says[WEXITSTATUS(status)] :
					   "it exited oddly");
	return 0;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
