// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * /proc/PID/fdinfo probes: each makes a file of one kind in a known state
 * and checks that its fdinfo tells that state.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "probes.h"

#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS _IOW('T', 0, unsigned long long)
#endif

/* A call on @fd failed: close it, answer from the errno. */
static enum check_result fail_closing(struct probe_out *out, int fd, const char *what)
{
	int err = errno;

	close(fd);
	return probe_errno(out, err, -1, what);
}

/*
 * Read @fd's fdinfo into @buf and close @fd. False, with @out filled in,
 * when the read failed.
 */
static bool take_fdinfo(struct probe_out *out, int fd, char *buf, size_t size)
{
	int err = probe_read_fdinfo(fd, buf, size);

	close(fd);
	if (err)
		probe_errno(out, -err, -1, "read /proc/self/fdinfo");
	return !err;
}

/*
 * Take @fd's fdinfo and check that the line @key holds @want (NULL: any
 * value) as its first word. The caller names the file @what.
 */
static enum check_result check_field(struct probe_out *out, int fd, const char *what,
				     const char *key, const char *want)
{
	char buf[4096], word[64] = "";
	const char *val;

	if (!take_fdinfo(out, fd, buf, sizeof(buf)))
		return out->result;
	val = probe_fdinfo_field(buf, key);
	if (!val)
		return probe_missing(out, "fdinfo of %s has no '%s' line", what, key);
	sscanf(val, "%63s", word);
	if (want && strcmp(word, want))
		return probe_missing(out, "fdinfo of %s says %s%s, expected %s", what, key, word, want);
	return probe_supported(out, "fdinfo of %s shows '%s'", what, key);
}

enum check_result probe_fdinfo_eventfd(struct probe_out *out)
{
	int fd = eventfd(0x2a, EFD_CLOEXEC);

	if (fd < 0)
		return probe_errno(out, errno, -1, "eventfd");
	return check_field(out, fd, "an eventfd", "eventfd-count:", "2a");
}

enum check_result probe_fdinfo_epoll(struct probe_out *out)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0xc0ffee };
	unsigned long long data = 0;
	const char *line, *d;
	char buf[4096];
	int ep, efd;
	bool ok;

	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		return probe_errno(out, errno, -1, "eventfd");
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return fail_closing(out, efd, "epoll_create1");
	if (epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev)) {
		close(ep);
		return fail_closing(out, efd, "epoll_ctl");
	}
	/* Closing the watched file would remove the watch: keep it open. */
	ok = take_fdinfo(out, ep, buf, sizeof(buf));
	close(efd);
	if (!ok)
		return out->result;
	line = probe_fdinfo_field(buf, "tfd:");
	if (!line)
		return probe_missing(out, "fdinfo of an epoll has no 'tfd:' line per watched file");
	d = strstr(line, "data:");
	if (!d || sscanf(d, "data: %llx", &data) != 1 || data != ev.data.u64 || !strstr(line, "pos:"))
		return probe_missing(out, "fdinfo of an epoll lacks the watch's data or file position");
	return probe_supported(out, "fdinfo of an epoll lists the watched files");
}

enum check_result probe_fdinfo_inotify(struct probe_out *out)
{
	char buf[4096];
	const char *line;
	int fd;

	fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0)
		return probe_errno(out, errno, -1, "inotify_init1");
	if (inotify_add_watch(fd, "/", IN_CREATE) < 0)
		return fail_closing(out, fd, "inotify_add_watch");
	if (!take_fdinfo(out, fd, buf, sizeof(buf)))
		return out->result;
	line = probe_fdinfo_field(buf, "inotify wd:");
	if (!line)
		return probe_missing(out, "fdinfo of an inotify has no 'inotify wd:' line");
	/* Restore reopens the watched inode from its handle. */
	if (!strstr(line, "fhandle-bytes:"))
		return probe_missing(out, "fdinfo of an inotify has no file handle (CONFIG_EXPORTFS?)");
	return probe_supported(out, "fdinfo of an inotify lists watches with file handles");
}

enum check_result probe_fdinfo_fanotify(struct probe_out *out)
{
	char buf[4096];
	int fd;

	fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	if (fd < 0)
		return probe_errno(out, errno, CAP_SYS_ADMIN, "fanotify_init");
	if (fanotify_mark(fd, FAN_MARK_ADD, FAN_CLOSE_WRITE, AT_FDCWD, "/"))
		return fail_closing(out, fd, "fanotify_mark");
	if (!take_fdinfo(out, fd, buf, sizeof(buf)))
		return out->result;
	if (!probe_fdinfo_field(buf, "fanotify flags:"))
		return probe_missing(out, "fdinfo of a fanotify has no 'fanotify flags:' line");
	if (!probe_fdinfo_field(buf, "fanotify ino:"))
		return probe_missing(out, "fdinfo of a fanotify does not list its inode marks");
	return probe_supported(out, "fdinfo of a fanotify shows its flags and marks");
}

enum check_result probe_fdinfo_signalfd(struct probe_out *out)
{
	char want[32];
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		return probe_errno(out, errno, -1, "signalfd");
	snprintf(want, sizeof(want), "%016llx", 1ULL << (SIGUSR2 - 1));
	return check_field(out, fd, "a signalfd", "sigmask:", want);
}

enum check_result probe_fdinfo_timerfd(struct probe_out *out)
{
	struct itimerspec its = { .it_value = { 1000, 0 }, .it_interval = { 7, 0 } };
	char buf[4096];
	const char *val;
	int fd;

	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (fd < 0)
		return probe_errno(out, errno, -1, "timerfd_create");
	if (timerfd_settime(fd, 0, &its, NULL))
		return fail_closing(out, fd, "timerfd_settime");
	if (!take_fdinfo(out, fd, buf, sizeof(buf)))
		return out->result;
	val = probe_fdinfo_field(buf, "it_interval:");
	if (!probe_fdinfo_field(buf, "clockid:") || !probe_fdinfo_field(buf, "ticks:") ||
	    !probe_fdinfo_field(buf, "it_value:") || !val)
		return probe_missing(out, "fdinfo of a timerfd lacks clockid, ticks or timer values");
	if (strncmp(val, " (7, 0)", 7))
		return probe_missing(out, "fdinfo of a timerfd shows another interval than set");
	return probe_supported(out, "fdinfo of a timerfd shows its clock and timer");
}

enum check_result probe_mnt_id(struct probe_out *out)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return probe_errno(out, errno, -1, "open /");
	return check_field(out, fd, "a directory", "mnt_id:", NULL);
}

enum check_result probe_fdinfo_lock(struct probe_out *out)
{
	char buf[4096];
	const char *line;
	int fd;

	fd = memfd_create("crtool-check-lock", MFD_CLOEXEC);
	if (fd < 0)
		return probe_errno(out, errno, -1, "memfd_create");
	if (flock(fd, LOCK_EX))
		return fail_closing(out, fd, "flock");
	if (!take_fdinfo(out, fd, buf, sizeof(buf)))
		return out->result;
	line = probe_fdinfo_field(buf, "lock:");
	if (!line)
		return probe_missing(out, "fdinfo of a locked file has no 'lock:' line");
	if (!strstr(line, "FLOCK") || !strstr(line, "WRITE"))
		return probe_missing(out, "fdinfo 'lock:' line does not describe the flock");
	return probe_supported(out, "fdinfo shows the locks held on a file");
}

enum check_result probe_timerfd(struct probe_out *out)
{
	struct itimerspec its = { .it_value = { 0x7fffffff, 0 } };
	unsigned long long ticks = 3, got = 0;
	enum check_result r;
	int fd;

	fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0)
		return probe_errno(out, errno, -1, "timerfd_create");
	if (timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL))
		r = probe_errno(out, errno, -1, "timerfd_settime(TFD_TIMER_CANCEL_ON_SET)");
	else if (ioctl(fd, TFD_IOC_SET_TICKS, &ticks))
		r = probe_errno(out, errno, -1, "ioctl(TFD_IOC_SET_TICKS)");
	else if (read(fd, &got, sizeof(got)) != sizeof(got) || got != ticks)
		r = probe_missing(out, "a timerfd does not give back the ticks set with TFD_IOC_SET_TICKS");
	else
		r = probe_supported(out, "timerfds take TFD_TIMER_CANCEL_ON_SET and TFD_IOC_SET_TICKS");
	close(fd);
	return r;
}
