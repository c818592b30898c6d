// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eventfd, signalfd and timerfd on restore, made anew from their entries
 * in files.img (see dump-anon-fds.c for what the entries hold). A timerfd
 * is armed with the time it had left at the dump, from the restore on: one
 * armed at an absolute time is armed so again (that time moved by the
 * restore's delay), with its cancel-on-set; its unread expirations are put
 * back with TFD_IOC_SET_TICKS where the kernel has it, else dropped with a
 * warning.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "lib-log.h"
#include "restore-anon-fds.h"

#ifndef TFD_IOC_SET_TICKS
#define TFD_IOC_SET_TICKS _IOW('T', 0, uint64_t)
#endif

#define NSEC_PER_SEC 1000000000ull

static int open_eventfd(const EventfdFileEntry *e)
{
	int flags = EFD_CLOEXEC | EFD_NONBLOCK;
	int fd;

	if (e->flags & EFD_SEMAPHORE)
		flags |= EFD_SEMAPHORE;
	fd = eventfd(0, flags);
	if (fd < 0) {
		pr_perror("cannot create eventfd %u", e->id);
		return -errno;
	}
	/* eventfd() takes only an int: the counter is written instead. */
	if ((e->counter && write(fd, &e->counter, sizeof(e->counter)) != sizeof(e->counter)) ||
	    fcntl(fd, F_SETFL, e->flags & O_NONBLOCK)) {
		pr_perror("cannot set eventfd %u to %llu", e->id, (unsigned long long)e->counter);
		close(fd);
		return -EINVAL;
	}
	return fd;
}

static int open_signalfd(const SignalfdEntry *e)
{
	sigset_t mask;
	int fd;

	sigemptyset(&mask);
	for (int sig = 1; sig <= 64; sig++)
		if (e->sigmask & (1ull << (sig - 1)))
			sigaddset(&mask, sig);
	fd = signalfd(-1, &mask, SFD_CLOEXEC | ((e->flags & O_NONBLOCK) ? SFD_NONBLOCK : 0));
	if (fd < 0) {
		pr_perror("cannot create signalfd %u", e->id);
		return -errno;
	}
	return fd;
}

static bool timespec_ok(uint64_t sec, uint64_t nsec)
{
	return sec <= INT64_MAX && nsec < NSEC_PER_SEC;
}

static int open_timerfd(const TimerfdEntry *e)
{
	struct itimerspec its = {
		.it_value = {.tv_sec = e->vsec, .tv_nsec = e->vnsec},
		.it_interval = {.tv_sec = e->isec, .tv_nsec = e->insec},
	};
	struct timespec now;
	int fd, flags = 0;

	if (!timespec_ok(e->vsec, e->vnsec) || !timespec_ok(e->isec, e->insec)) {
		pr_err("timerfd %u has a bad time", e->id);
		return -EINVAL;
	}
	fd = timerfd_create(e->clockid, TFD_CLOEXEC | ((e->flags & O_NONBLOCK) ? TFD_NONBLOCK : 0));
	if (fd < 0) {
		pr_perror("cannot create timerfd %u on clock %u", e->id, e->clockid);
		return -errno;
	}
	if (its.it_value.tv_sec || its.it_value.tv_nsec)
		flags = e->settime_flags & (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET);
	/* The value is the time left: from now on for an absolute timer too. */
	if ((flags & TFD_TIMER_ABSTIME) && !clock_gettime(e->clockid, &now)) {
		its.it_value.tv_sec += now.tv_sec;
		its.it_value.tv_nsec += now.tv_nsec;
		if ((uint64_t)its.it_value.tv_nsec >= NSEC_PER_SEC) {
			its.it_value.tv_sec++;
			its.it_value.tv_nsec -= (long)NSEC_PER_SEC;
		}
	} else {
		flags = 0;
	}
	if (timerfd_settime(fd, flags, &its, NULL)) {
		pr_perror("cannot arm timerfd %u", e->id);
		close(fd);
		return -EINVAL;
	}
	if (e->ticks && ioctl(fd, TFD_IOC_SET_TICKS, &e->ticks))
		pr_warn("timerfd %u loses its %llu unread expirations: %m", e->id,
			(unsigned long long)e->ticks);
	return fd;
}

int rst_anon_open(const FileEntry *fe)
{
	if (fe->type == FD_TYPES__EVENTFD && fe->efd)
		return open_eventfd(fe->efd);
	if (fe->type == FD_TYPES__SIGNALFD && fe->sgfd)
		return open_signalfd(fe->sgfd);
	if (fe->type == FD_TYPES__TIMERFD && fe->tfd)
		return open_timerfd(fe->tfd);
	pr_err("file %u of kind %d has no description", fe->id, fe->type);
	return -EINVAL;
}
