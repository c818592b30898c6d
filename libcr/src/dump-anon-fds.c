// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eventfd, signalfd and timerfd: one entry in files.img per open file, its
 * state taken from the fdinfo of the task's fd. The flags are those of the
 * open file without O_CLOEXEC, as CRIU writes them. An eventfd's
 * EFD_SEMAPHORE, absent from the open file's flags, is kept in bit 0 of its
 * flags (O_WRONLY, which an eventfd, always O_RDWR, never has otherwise).
 * A timerfd's value is the time left until its next expiry, as fdinfo
 * shows it; its ticks the expirations the task has not read yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/stat.h>

#include "dump-files.h"
#include "file-ids.h"
#include "images.h"
#include "lib-log.h"

FdTypes dump_anon_kind(const struct proc_fdinfo *fi)
{
	if (fi->have & PROC_FDINFO_EVENTFD)
		return FD_TYPES__EVENTFD;
	if (fi->have & PROC_FDINFO_SIGNALFD)
		return FD_TYPES__SIGNALFD;
	if (fi->have & PROC_FDINFO_TIMERFD)
		return FD_TYPES__TIMERFD;
	return FD_TYPES__UND;
}

static void fill_timerfd(TimerfdEntry *tfd, const struct proc_fdinfo *fi)
{
	tfd->clockid = fi->timerfd_clockid;
	tfd->ticks = fi->timerfd_ticks;
	tfd->settime_flags = fi->timerfd_settime_flags;
	tfd->vsec = fi->timerfd_value.sec;
	tfd->vnsec = fi->timerfd_value.nsec;
	tfd->isec = fi->timerfd_interval.sec;
	tfd->insec = fi->timerfd_interval.nsec;
}

int dump_anon_fd(struct dump_ctx *ctx, int fd, const struct proc_fdinfo *fi, uint32_t *id)
{
	FileEntry fe = FILE_ENTRY__INIT;
	EventfdFileEntry efd = EVENTFD_FILE_ENTRY__INIT;
	SignalfdEntry sgfd = SIGNALFD_ENTRY__INIT;
	TimerfdEntry tfd = TIMERFD_ENTRY__INIT;
	FownEntry fown = FOWN_ENTRY__INIT;
	uint32_t flags = fi->flags & ~O_CLOEXEC;
	int ret;

	ret = file_ids_claim(ctx->file_ids, fd, id, &fown);
	if (ret)
		return ret < 0 ? ret : 0;
	fe.type = dump_anon_kind(fi);
	fe.id = *id;
	switch (fe.type) {
	case FD_TYPES__EVENTFD:
		efd.id = *id;
		efd.flags = flags | (fi->eventfd_semaphore ? EFD_SEMAPHORE : 0);
		efd.fown = &fown;
		efd.counter = fi->eventfd_count;
		fe.efd = &efd;
		break;
	case FD_TYPES__SIGNALFD:
		sgfd.id = *id;
		sgfd.flags = flags;
		sgfd.fown = &fown;
		sgfd.sigmask = fi->sigmask;
		fe.sgfd = &sgfd;
		break;
	default:
		tfd.id = *id;
		tfd.flags = flags;
		tfd.fown = &fown;
		fill_timerfd(&tfd, fi);
		fe.tfd = &tfd;
		break;
	}
	pr_debug("file %u: anonymous file of kind %d, flags %#x", *id, fe.type, flags);
	return img_file_write_entry(ctx->files, &fe.base);
}
