/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /proc/PID/fdinfo/N: the common lines of every fd and the lines of each
 * special kind (eventfd, epoll, inotify, fanotify, signalfd, timerfd).
 * Repeated lines (epoll targets, inotify watches, fanotify marks) go to a
 * callback one by one, so their number costs no memory here.
 */
#ifndef CR_PROC_FDINFO_H
#define CR_PROC_FDINFO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Which lines were there (bits of proc_fdinfo.have). */
enum proc_fdinfo_have {
	PROC_FDINFO_POS = 1 << 0,
	PROC_FDINFO_FLAGS = 1 << 1,
	PROC_FDINFO_MNT_ID = 1 << 2,
	PROC_FDINFO_INO = 1 << 3,
	PROC_FDINFO_EVENTFD = 1 << 4,	/* eventfd-count */
	PROC_FDINFO_EVENTFD_ID = 1 << 5,
	PROC_FDINFO_EVENTFD_SEM = 1 << 6,
	PROC_FDINFO_SIGNALFD = 1 << 7,	/* sigmask */
	PROC_FDINFO_TIMERFD = 1 << 8,	/* clockid, ticks, settime flags, it_value, it_interval: all */
	PROC_FDINFO_FANOTIFY = 1 << 9,	/* fanotify flags / event-flags */
};

struct proc_timespec {
	uint64_t sec, nsec;
};

struct proc_fdinfo {
	unsigned int have;		/* enum proc_fdinfo_have */
	int64_t pos;
	uint32_t flags;			/* O_* of the open file, read as octal */
	int mnt_id;
	uint64_t ino;

	uint64_t eventfd_count;
	int eventfd_id;
	int eventfd_semaphore;

	uint64_t sigmask;		/* signalfd: bit N-1 for signal N */

	int timerfd_clockid;
	uint64_t timerfd_ticks;
	uint32_t timerfd_settime_flags;	/* TFD_TIMER_ABSTIME... */
	struct proc_timespec timerfd_value, timerfd_interval;

	uint32_t fanotify_flags;	/* fanotify_init() flags */
	uint32_t fanotify_event_flags;	/* fanotify_init() event_f_flags */
};

/* Longest file handle a mark may carry (the kernel's MAX_HANDLE_SZ). */
#define PROC_FHANDLE_MAX 128

struct proc_fhandle {
	uint32_t bytes;
	int32_t type;
	unsigned char handle[PROC_FHANDLE_MAX];
};

enum proc_fdinfo_entry_kind {
	PROC_FDE_EPOLL_TFD,		/* "tfd: ..." */
	PROC_FDE_INOTIFY_WD,		/* "inotify wd: ..." */
	PROC_FDE_FANOTIFY_INODE,	/* "fanotify ino: ..." */
	PROC_FDE_FANOTIFY_MOUNT,	/* "fanotify mnt_id: ..." */
	PROC_FDE_FANOTIFY_SB,		/* "fanotify sdev: ..." (filesystem mark) */
};

struct proc_fdinfo_entry {
	enum proc_fdinfo_entry_kind kind;
	union {
		struct {
			int tfd;
			uint32_t events;
			uint64_t data;
			int64_t pos;
			uint64_t ino;
			uint32_t sdev;
		} epoll;
		struct {
			int wd;
			uint64_t ino;
			uint32_t sdev;
			uint32_t mask, ignored_mask;
			struct proc_fhandle fh;
		} inotify;
		/* Fields unused by a mark kind stay 0. */
		struct {
			uint64_t ino;
			uint32_t sdev;
			int mnt_id;
			uint32_t mflags, mask, ignored_mask;
			struct proc_fhandle fh;
		} fanotify;
	};
};

/* Called per repeated line; a negative return stops and is returned. */
typedef int (*proc_fdinfo_entry_fn)(const struct proc_fdinfo_entry *e, void *arg);

/*
 * Parse the text of an fdinfo file (@buf, @len bytes) into @fi, calling
 * @fn (may be NULL) per entry line. pos, flags and mnt_id must be there;
 * unknown lines are ignored. 0, -EINVAL on malformed text, or what @fn
 * returned. Suitable as a fuzz entry point.
 */
int proc_fdinfo_parse(const char *buf, size_t len, struct proc_fdinfo *fi, proc_fdinfo_entry_fn fn, void *arg);

/* The same on /proc/@pid/fdinfo/@fd. */
int proc_fdinfo_read(pid_t pid, int fd, struct proc_fdinfo *fi, proc_fdinfo_entry_fn fn, void *arg);

#endif
