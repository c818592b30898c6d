// SPDX-License-Identifier: LGPL-2.1-or-later
/* Probes of /proc files: map_files, ns_last_pid, stat, timers, loginuid. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probes.h"

enum check_result probe_map_files(struct probe_out *out)
{
	char path[64], target[256];
	enum check_result r;
	long page = sysconf(_SC_PAGESIZE);
	void *addr;
	ssize_t n;
	int fd;

	/* A named mapping, so that the link has something to say. */
	fd = memfd_create("crtool-check-map-files", MFD_CLOEXEC);
	if (fd < 0)
		return probe_errno(out, errno, -1, "memfd_create");
	if (ftruncate(fd, page)) {
		r = probe_errno(out, errno, -1, "ftruncate");
		close(fd);
		return r;
	}
	addr = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (addr == MAP_FAILED)
		return probe_errno(out, errno, -1, "mmap");
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx", (unsigned long)addr,
		 (unsigned long)addr + page);
	n = readlink(path, target, sizeof(target) - 1);
	if (n >= 0)
		target[n] = '\0';
	if (n < 0)
		r = probe_errno(out, errno, CAP_CHECKPOINT_RESTORE, "readlink /proc/self/map_files");
	else if (!strstr(target, "crtool-check-map-files"))
		r = probe_error(out, "%s points to %s, not to the mapped memfd", path, target);
	else
		r = probe_supported(out, "/proc/PID/map_files links to mapped files");
	munmap(addr, page);
	return r;
}

/*
 * In a child that is pid 1 of a new pid namespace: set ns_last_pid there
 * and check that the next child gets the pid after it.
 */
static int choose_next_pid(void *arg)
{
	const char last[] = "4241";
	int fd, status;
	pid_t pid;

	fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, last, sizeof(last) - 1) != sizeof(last) - 1)
		return errno;
	close(fd);
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return errno;
	return pid == 4242 ? 0 : EPROTO;
}

enum check_result probe_ns_last_pid(struct probe_out *out)
{
	const char *path = "/proc/sys/kernel/ns_last_pid";
	char buf[32];
	ssize_t n;
	int err;

	n = probe_read_file(path, buf, sizeof(buf));
	if (n < 0)
		return probe_errno(out, -n, -1, path);
	if (atol(buf) <= 0)
		return probe_error(out, "%s holds '%s', not a pid", path, buf);
	/* A pid namespace of our own: no race with other forks. */
	err = probe_in_child(CLONE_NEWPID, choose_next_pid, NULL);
	return probe_answer(out, err, CAP_SYS_ADMIN, "set ns_last_pid in a new pid namespace",
			    "writing ns_last_pid does not choose the next pid",
			    "ns_last_pid chooses the next pid");
}

enum check_result probe_proc_stat_ext(struct probe_out *out)
{
	char buf[2048];
	const char *p;
	ssize_t n;
	int fields = 0;

	n = probe_read_file("/proc/self/stat", buf, sizeof(buf));
	if (n < 0)
		return probe_errno(out, -n, -1, "/proc/self/stat");
	/* The command name may hold spaces: count from its closing ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return probe_error(out, "/proc/self/stat has no command name");
	for (p++; *p; p++)
		if (*p == ' ')
			fields++;
	/* Fields 3 to 52 (exit_code) follow the name: 50 of them. */
	if (fields < 50)
		return probe_missing(out, "/proc/PID/stat has %d fields, 52 needed (start_data to exit_code)",
				     fields + 2);
	return probe_supported(out, "/proc/PID/stat has %d fields", fields + 2);
}

enum check_result probe_posix_timers(struct probe_out *out)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	char buf[16384], want[32];
	enum check_result r;
	timer_t id;
	ssize_t n;

	if (timer_create(CLOCK_MONOTONIC, &sev, &id))
		return probe_errno(out, errno, -1, "timer_create");
	n = probe_read_file("/proc/self/timers", buf, sizeof(buf));
	snprintf(want, sizeof(want), "ID: %" PRIdPTR "\n", (intptr_t)id);
	if (n < 0)
		r = probe_errno(out, -n, -1, "/proc/self/timers");
	else if (!strstr(buf, want))
		r = probe_error(out, "timer %" PRIdPTR " is not listed in /proc/self/timers",
				(intptr_t)id);
	else
		r = probe_supported(out, "/proc/PID/timers lists POSIX timers");
	timer_delete(id);
	return r;
}

/* In a child: write its own loginuid back unchanged. */
static int rewrite_loginuid(void *arg)
{
	char buf[32];
	ssize_t n = probe_read_file("/proc/self/loginuid", buf, sizeof(buf));
	int fd;

	if (n < 0)
		return -n;
	fd = open("/proc/self/loginuid", O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, buf, n) != n)
		return errno;
	return 0;
}

enum check_result probe_loginuid(struct probe_out *out)
{
	int err = probe_in_child(0, rewrite_loginuid, NULL);

	return probe_answer(out, err, CAP_AUDIT_CONTROL, "write /proc/PID/loginuid", NULL,
			    "/proc/PID/loginuid can be set");
}
