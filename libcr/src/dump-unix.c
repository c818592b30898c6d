// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unix sockets: what the kernel tells through sock_diag (state, name, peer,
 * shutdown, queue lengths), the options read with getsockopt() and the
 * queued messages, peeked at with SO_PEEK_OFF so the task still finds them.
 * Entries are written at the end, once every socket of the tree is known:
 * a peer outside the tree is refused unless CR_DUMP_EXT_UNIX_SK.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "array.h"
#include "cr/cr.h"
#include "dump-unix.h"
#include "file-ids.h"
#include "images.h"
#include "lib-log.h"
#include "sk-packet.pb-c.h"
#include "sock-diag.h"

/* Sockets of one dump, and bytes queued on one socket, we accept. */
#define USK_MAX 65536
#define QUEUE_MAX (64u << 20)
#define RECORDS_MAX (1u << 20)

struct dump_usk {
	uint32_t id;
	pid_t pid; /* where it was first met, for messages */
	int fd;
	unsigned int flags; /* open flags */
	struct unix_diag_info d;
	FownEntry fown;
	SkOptsEntry opts;
	bool has_perms; /* bound to a path: its socket file's */
	bool deleted;	/* bound to a path, its socket file removed since */
	FilePermsEntry perms;
};

struct dump_unix {
	struct dump_usk *v;
	size_t nr, cap;
	struct img_file *queues; /* sk-queues.img, created with the first message */
	uint32_t *ext;		 /* external peers written so far */
	size_t nr_ext, cap_ext;
};

bool dump_is_unix(int fd)
{
	int domain;
	socklen_t len = sizeof(domain);

	return !getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) && domain == AF_UNIX;
}

static struct dump_unix *unix_of(struct dump_ctx *ctx)
{
	if (!ctx->unix_sks)
		ctx->unix_sks = calloc(1, sizeof(*ctx->unix_sks));
	return ctx->unix_sks;
}

static int get_int(int fd, int opt, uint32_t *val)
{
	int v;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, opt, &v, &len))
		return -errno;
	*val = v;
	return 0;
}

static int get_timeout(int fd, int opt, uint64_t *sec, uint64_t *usec)
{
	struct timeval tv;
	socklen_t len = sizeof(tv);

	if (getsockopt(fd, SOL_SOCKET, opt, &tv, &len))
		return -errno;
	*sec = tv.tv_sec;
	*usec = tv.tv_usec;
	return 0;
}

int dump_sk_opts(int fd, SkOptsEntry *o)
{
	uint32_t passcred = 0, passsec = 0;
	int ret;

	ret = get_int(fd, SO_SNDBUF, &o->so_sndbuf);
	if (!ret)
		ret = get_int(fd, SO_RCVBUF, &o->so_rcvbuf);
	if (!ret)
		ret = get_timeout(fd, SO_SNDTIMEO, &o->so_snd_tmo_sec, &o->so_snd_tmo_usec);
	if (!ret)
		ret = get_timeout(fd, SO_RCVTIMEO, &o->so_rcv_tmo_sec, &o->so_rcv_tmo_usec);
	if (!ret)
		ret = get_int(fd, SO_PRIORITY, &o->so_priority);
	if (!ret)
		ret = get_int(fd, SO_RCVLOWAT, &o->so_rcvlowat);
	if (!ret)
		ret = get_int(fd, SO_MARK, &o->so_mark);
	if (ret)
		return ret;
	o->has_so_priority = o->has_so_rcvlowat = o->has_so_mark = true;
	/* Recent kernels have them for unix and netlink sockets only. */
	o->has_so_passcred = !get_int(fd, SO_PASSCRED, &passcred);
	o->has_so_passsec = !get_int(fd, SO_PASSSEC, &passsec);
	o->so_passcred = passcred;
	o->so_passsec = passsec;
	return 0;
}

/* Why the message peeked in @mh cannot be dumped, or NULL; fds it carried are closed. */
static const char *bad_ancillary(struct msghdr *mh)
{
	const char *why = NULL;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int *fds = (int *)CMSG_DATA(c);
			size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

			for (size_t i = 0; i < n; i++)
				close(fds[i]);
			why = "carries file descriptors (SCM_RIGHTS)";
		}
	}
	if (!why && (mh->msg_flags & MSG_CTRUNC))
		why = "carries more ancillary data than crtool reads";
	return why;
}

/*
 * Peek at the message at offset @off of the queue of our @fd into *@buf
 * (grown to the whole message when needed): its length, 0 at the end of
 * the queue (-EAGAIN), or a negative errno; *@why says what refuses it.
 */
static ssize_t peek_message(int fd, int off, int type, char **buf, size_t *size, const char **why)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int) * 64) + CMSG_SPACE(256)];
	} cbuf;
	/* A datagram's whole length, even when it does not fit. */
	int trunc = type == SOCK_STREAM ? 0 : MSG_TRUNC;

	for (;;) {
		struct iovec iov = {*buf, *size};
		struct msghdr mh = {.msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cbuf.buf,
				    .msg_controllen = sizeof(cbuf.buf)};
		ssize_t n;
		char *bigger;

		if (setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off)))
			return -errno;
		n = recvmsg(fd, &mh, MSG_PEEK | MSG_DONTWAIT | MSG_CMSG_CLOEXEC | trunc);
		if (n < 0)
			return -errno;
		*why = bad_ancillary(&mh);
		if (*why || (size_t)n <= *size)
			return n;
		if (n > QUEUE_MAX) {
			*why = "is too big to dump";
			return n;
		}
		/* Again, with room for all of it. */
		bigger = realloc(*buf, n);
		if (!bigger)
			return -ENOMEM;
		*buf = bigger;
		*size = n;
	}
}

static int write_record(struct dump_unix *du, struct img_dir *dir, uint32_t id, const char *buf,
			uint32_t len)
{
	SkPacketEntry pe = SK_PACKET_ENTRY__INIT;
	int ret;

	if (!du->queues) {
		du->queues = img_file_open(dir, "SK_QUEUES", 0, IMG_WRITE);
		if (!du->queues) {
			ret = -errno;
			pr_err("cannot create sk-queues.img: %s", strerror(-ret));
			return ret;
		}
	}
	pe.id_for = id;
	pe.length = len;
	ret = img_file_write_entry(du->queues, &pe.base);
	if (!ret && len)
		ret = img_file_write_blob(du->queues, buf, len);
	return ret;
}

/*
 * Write the messages queued on @s (our @fd) to sk-queues.img, one record
 * per message (per chunk of a stream), leaving them queued: SO_PEEK_OFF
 * moves on through the queue as we peek, and is put back as it was.
 */
static int dump_queue(struct dump_unix *du, struct img_dir *dir, const struct dump_usk *s, int fd)
{
	size_t size = s->opts.so_sndbuf > s->d.rqueue ? s->opts.so_sndbuf : s->d.rqueue;
	uint32_t old_off, total = 0, records = 0;
	char *buf = malloc(size);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = get_int(fd, SO_PEEK_OFF, &old_off);
	while (!ret) {
		const char *why = NULL;
		ssize_t n = peek_message(fd, total, s->d.type, &buf, &size, &why);

		if (n == -EAGAIN)
			break;
		if (!why && n >= 0 && (total + n > QUEUE_MAX || ++records > RECORDS_MAX))
			why = "makes the queue too long to dump";
		if (n < 0 || why) {
			ret = n < 0 ? n : -EOPNOTSUPP;
			pr_err("fd %d of task %d: unix socket %u: a queued message %s", s->fd,
			       s->pid, s->d.ino, why ? why : strerror(-ret));
			break;
		}
		/* 0 is also the end of a stream or seqpacket shut down for reading. */
		if (!n && s->d.type != SOCK_DGRAM &&
		    (s->d.type == SOCK_STREAM || ((s->d.shutdown & 1) && total >= s->d.rqueue)))
			break;
		ret = write_record(du, dir, s->id, buf, n);
		total += n;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &old_off, sizeof(old_off)) && !ret)
		ret = -errno;
	pr_debug("unix socket %u: %u bytes queued", s->d.ino, total);
	free(buf);
	return ret;
}

/*
 * The socket file of @s, bound to a path: its mode and owner, or (removed
 * since) that it is deleted. A path now leading to another file is refused.
 */
static int read_perms(struct dump_usk *s)
{
	char path[sizeof(s->d.name) + 32];
	struct stat st;

	if (s->d.name[0] != '/') {
		pr_err("fd %d of task %d: unix socket %u is bound to the relative path %.*s, "
		       "which crtool cannot dump",
		       s->fd, s->pid, s->d.ino, (int)s->d.name_len, s->d.name);
		return -EOPNOTSUPP;
	}
	snprintf(path, sizeof(path), "/proc/%d/root%.*s", s->pid, (int)s->d.name_len, s->d.name);
	if (stat(path, &st)) {
		if (errno != ENOENT) {
			pr_perror("cannot stat the socket file %s", path);
			return -errno;
		}
		s->deleted = true;
		return 0;
	}
	if (!S_ISSOCK(st.st_mode) || st.st_ino != s->d.vfs_ino) {
		pr_err("fd %d of task %d: the socket file %.*s of unix socket %u was replaced "
		       "by another file, which crtool cannot dump",
		       s->fd, s->pid, (int)s->d.name_len, s->d.name, s->d.ino);
		return -EOPNOTSUPP;
	}
	s->has_perms = true;
	s->perms.mode = st.st_mode;
	s->perms.uid = st.st_uid;
	s->perms.gid = st.st_gid;
	return 0;
}

/* Fill @s from the kernel and our @ours; refuse what cannot be restored. */
static int describe(struct dump_usk *s, int ours)
{
	int ret = sock_diag_unix(s->d.ino, &s->d);

	if (ret == -ENOENT)
		pr_err("fd %d of task %d: unix socket %u is not in crtool's network namespace",
		       s->fd, s->pid, s->d.ino);
	if (ret)
		return ret;
	if (s->d.type != SOCK_STREAM && s->d.type != SOCK_DGRAM && s->d.type != SOCK_SEQPACKET) {
		pr_err("fd %d of task %d: unix socket %u has type %u, which crtool cannot dump",
		       s->fd, s->pid, s->d.ino, s->d.type);
		return -EOPNOTSUPP;
	}
	if (s->d.state == TCP_LISTEN && (s->d.nr_icons || s->d.rqueue)) {
		pr_err("fd %d of task %d: unix socket %u listens with %u connections not yet "
		       "accepted, which crtool cannot dump",
		       s->fd, s->pid, s->d.ino, s->d.nr_icons ? s->d.nr_icons : s->d.rqueue);
		return -EOPNOTSUPP;
	}
	/* A connected stream socket's name is not bound again at restore. */
	if (s->d.has_vfs && (s->d.type == SOCK_DGRAM || s->d.state != TCP_ESTABLISHED))
		ret = read_perms(s);
	if (!ret)
		ret = dump_fown(ours, &s->fown);
	if (!ret)
		ret = dump_sk_opts(ours, &s->opts);
	return ret;
}

int dump_unix(struct dump_ctx *ctx, pid_t pid, int fd, int ours, unsigned int flags, uint32_t *id)
{
	struct dump_unix *du = unix_of(ctx);
	struct dump_usk *s;
	struct stat st;
	int ret;

	if (!du)
		return -ENOMEM;
	if (fstat(ours, &st))
		return -errno;
	*id = file_ids_find(ctx->file_ids, ours, st.st_dev, st.st_ino);
	if (*id)
		return 0;
	ret = array_grow((void **)&du->v, &du->cap, du->nr, sizeof(*du->v), USK_MAX);
	if (ret)
		return ret;
	s = &du->v[du->nr];
	*s = (struct dump_usk){.pid = pid,
			       .fd = fd,
			       .flags = flags & ~O_CLOEXEC,
			       .fown = FOWN_ENTRY__INIT,
			       .opts = SK_OPTS_ENTRY__INIT,
			       .perms = FILE_PERMS_ENTRY__INIT};
	s->d.ino = st.st_ino;
	ret = describe(s, ours);
	if (!ret)
		ret = file_ids_assign(ctx->file_ids, ours, st.st_dev, st.st_ino, id);
	if (ret)
		return ret;
	s->id = *id;
	if (s->d.state != TCP_LISTEN) {
		ret = dump_queue(du, ctx->dir, s, ours);
		if (ret)
			return ret;
	}
	du->nr++;
	pr_debug("file %u: unix socket %u, type %u, state %u, peer %u", s->id, s->d.ino, s->d.type,
		 s->d.state, s->d.peer);
	return 0;
}

static int cmp_ino(const void *a, const void *b)
{
	uint32_t x = ((const struct dump_usk *)a)->d.ino, y = ((const struct dump_usk *)b)->d.ino;

	return (x > y) - (x < y);
}

static struct dump_usk *find_ino(struct dump_unix *du, uint32_t ino)
{
	struct dump_usk key = {.d.ino = ino};

	return bsearch(&key, du->v, du->nr, sizeof(*du->v), cmp_ino);
}

static int write_entry(struct dump_ctx *ctx, struct dump_usk *s, uint32_t uflags)
{
	FileEntry fe = FILE_ENTRY__INIT;
	UnixSkEntry ue = UNIX_SK_ENTRY__INIT;

	ue.id = s->id;
	ue.ino = s->d.ino;
	ue.type = s->d.type;
	ue.state = s->d.state;
	ue.flags = s->flags;
	ue.uflags = uflags;
	ue.backlog = s->d.state == TCP_LISTEN ? s->d.wqueue : 0;
	ue.peer = s->d.peer;
	ue.fown = &s->fown;
	ue.opts = &s->opts;
	ue.name.data = (uint8_t *)s->d.name;
	ue.name.len = s->d.name_len;
	ue.has_shutdown = s->d.shutdown != 0;
	ue.shutdown = s->d.shutdown & SK_SHUTDOWN__BOTH;
	ue.file_perms = s->has_perms ? &s->perms : NULL;
	ue.has_deleted = s->deleted;
	ue.deleted = s->deleted;
	fe.type = FD_TYPES__UNIXSK;
	fe.id = s->id;
	fe.usk = &ue;
	return img_file_write_entry(ctx->files, &fe.base);
}

/*
 * The peer of @s is outside the tree: refused, or (CR_DUMP_EXT_UNIX_SK, a
 * datagram socket) written as an external entry the restore reconnects to
 * by its name.
 */
static int dump_external_peer(struct dump_ctx *ctx, const struct dump_usk *s)
{
	struct dump_usk peer = {.fown = FOWN_ENTRY__INIT, .opts = SK_OPTS_ENTRY__INIT};
	struct dump_unix *du = ctx->unix_sks;
	int ret;

	if (!(ctx->flags & CR_DUMP_EXT_UNIX_SK)) {
		pr_err("fd %d of task %d: unix socket %u is connected to socket %u outside the "
		       "tree (dump with --ext-unix-sk)",
		       s->fd, s->pid, s->d.ino, s->d.peer);
		return -EOPNOTSUPP;
	}
	ret = sock_diag_unix(s->d.peer, &peer.d);
	if (ret)
		return ret;
	if (s->d.type != SOCK_DGRAM || !peer.d.name_len ||
	    (peer.d.name[0] && peer.d.name[0] != '/')) {
		pr_err("fd %d of task %d: unix socket %u is connected to socket %u outside the "
		       "tree; crtool reconnects only datagram sockets to a peer bound to an "
		       "absolute path or an abstract name",
		       s->fd, s->pid, s->d.ino, s->d.peer);
		return -EOPNOTSUPP;
	}
	for (size_t i = 0; i < du->nr_ext; i++)
		if (du->ext[i] == s->d.peer)
			return 0;
	ret = array_grow((void **)&du->ext, &du->cap_ext, du->nr_ext, sizeof(*du->ext), USK_MAX);
	if (ret)
		return ret;
	du->ext[du->nr_ext++] = s->d.peer;
	peer.id = file_ids_next(ctx->file_ids);
	if (!peer.id)
		return -E2BIG;
	/* Only its name matters: the tree's socket is connected to it again. */
	peer.d.peer = 0;
	peer.d.shutdown = 0;
	pr_info("fd %d of task %d: unix socket %u: its peer %.*s is external", s->fd, s->pid,
		s->d.ino, (int)peer.d.name_len, peer.d.name);
	return write_entry(ctx, &peer, USK_EXTERN);
}

static int write_entries(struct dump_ctx *ctx, struct dump_unix *du)
{
	int ret = 0;

	qsort(du->v, du->nr, sizeof(*du->v), cmp_ino);
	for (size_t i = 0; i < du->nr && !ret; i++) {
		struct dump_usk *s = &du->v[i];

		if (s->d.peer && !find_ino(du, s->d.peer))
			ret = dump_external_peer(ctx, s);
		if (!ret)
			ret = write_entry(ctx, s, 0);
	}
	return ret;
}

int dump_unix_finish(struct dump_ctx *ctx, bool write)
{
	struct dump_unix *du = ctx->unix_sks;
	int ret = 0, ret2;

	if (!du)
		return 0;
	if (write)
		ret = write_entries(ctx, du);
	ret2 = img_file_close(du->queues);
	free(du->v);
	free(du->ext);
	free(du);
	ctx->unix_sks = NULL;
	return ret ? ret : ret2;
}
