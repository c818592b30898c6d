// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "array.h"
#include "dump-unix.h"
#include "lib-log.h"
#include "restore-unix.h"
#include "sk-packet.pb-c.h"

/* What an image may queue: per socket, and records in all. */
#define QUEUE_MAX (64u << 20)
#define RECORDS_MAX (1u << 20)
#define SUN_PATH_MAX sizeof(((struct sockaddr_un *)0)->sun_path)

struct rst_packet {
	uint32_t len;
	void *data;
};

struct rst_usk {
	const UnixSkEntry *e;
	int fd;			    /* once created, until rst_unix_close_kept() */
	struct rst_usk *connect_to; /* the peer it is connected to by name, once all exist */
	struct rst_packet *pk;	    /* its queued messages, oldest first */
	size_t nr_pk, cap_pk;
	uint64_t queued; /* their bytes */
};

static int cmp_ino(const void *a, const void *b)
{
	uint32_t x = ((const struct rst_usk *)a)->e->ino, y = ((const struct rst_usk *)b)->e->ino;

	return (x > y) - (x < y);
}

static int cmp_id(const void *a, const void *b)
{
	uint32_t x = (*(struct rst_usk *const *)a)->e->id, y = (*(struct rst_usk *const *)b)->e->id;

	return (x > y) - (x < y);
}

static struct rst_usk *by_ino(struct rst_unix *ru, uint32_t ino)
{
	UnixSkEntry e = {.ino = ino};
	struct rst_usk key = {.e = &e};

	return ru->nr ? bsearch(&key, ru->v, ru->nr, sizeof(*ru->v), cmp_ino) : NULL;
}

static struct rst_usk *by_id(struct rst_unix *ru, uint32_t id)
{
	UnixSkEntry e = {.id = id};
	struct rst_usk key = {.e = &e}, *kp = &key, **found;

	found = ru->nr ? bsearch(&kp, ru->by_id, ru->nr, sizeof(*ru->by_id), cmp_id) : NULL;
	return found ? *found : NULL;
}

static bool is_path(const UnixSkEntry *e)
{
	return e->name.len && e->name.data[0];
}

/* Why the entry @e cannot be restored, or NULL. */
static const char *bad_entry(const FileEntry *fe, const UnixSkEntry *e)
{
	if (e->id != fe->id)
		return "its id differs from its file's";
	if (e->type != SOCK_STREAM && e->type != SOCK_DGRAM && e->type != SOCK_SEQPACKET)
		return "it has an unknown type";
	if (e->state != TCP_ESTABLISHED && e->state != TCP_CLOSE && e->state != TCP_LISTEN)
		return "it has an unknown state";
	if (e->state == TCP_LISTEN && (e->type == SOCK_DGRAM || !e->name.len))
		return "it listens as a datagram socket or without a name";
	if (e->name.len > SUN_PATH_MAX || (is_path(e) && e->name.len >= SUN_PATH_MAX))
		return "its name is too long";
	if (is_path(e) && (e->name.data[0] != '/' || memchr(e->name.data, 0, e->name.len)))
		return "its name is not an absolute path";
	if (e->peer == e->ino && e->peer)
		return "it is its own peer";
	return NULL;
}

/* Index the UNIXSK entries by inode and by id; every peer must be one of them. */
static int index_sockets(ProtobufCMessage **entries, size_t nr, struct rst_unix *ru)
{
	size_t n = 0;

	for (size_t i = 0; i < nr; i++)
		n += ((FileEntry *)entries[i])->type == FD_TYPES__UNIXSK;
	ru->v = calloc(n + 1, sizeof(*ru->v));
	ru->by_id = calloc(n + 1, sizeof(*ru->by_id));
	if (!ru->v || !ru->by_id)
		return -ENOMEM;
	for (size_t i = 0; i < nr; i++) {
		const FileEntry *fe = (FileEntry *)entries[i];
		const char *why;

		if (fe->type != FD_TYPES__UNIXSK)
			continue;
		why = fe->usk ? bad_entry(fe, fe->usk) : "it has no description";
		if (why) {
			pr_err("files.img: unix socket file %u: %s", fe->id, why);
			return -EINVAL;
		}
		ru->v[ru->nr++] = (struct rst_usk){.e = fe->usk, .fd = -1};
	}
	qsort(ru->v, ru->nr, sizeof(*ru->v), cmp_ino);
	for (size_t i = 0; i < ru->nr; i++) {
		const UnixSkEntry *e = ru->v[i].e;

		ru->by_id[i] = &ru->v[i];
		if (i && e->ino == ru->v[i - 1].e->ino) {
			pr_err("files.img: two unix sockets have inode %u", e->ino);
			return -EINVAL;
		}
	}
	for (size_t i = 0; i < ru->nr; i++) {
		const UnixSkEntry *e = ru->v[i].e;

		if (e->peer && !by_ino(ru, e->peer)) {
			pr_err("files.img: unix socket %u (file %u): its peer %u is nowhere in "
			       "files.img",
			       e->ino, e->id, e->peer);
			return -EINVAL;
		}
	}
	qsort(ru->by_id, ru->nr, sizeof(*ru->by_id), cmp_id);
	return 0;
}

/* Add the message @pe, whose bytes follow in @f, to its socket's queue. */
static int load_packet(struct rst_unix *ru, struct img_file *f, const SkPacketEntry *pe,
		       size_t *records)
{
	struct rst_usk *sk = by_id(ru, pe->id_for);
	struct rst_packet *p;
	int ret;

	if (!sk || sk->e->state == TCP_LISTEN || (sk->e->uflags & USK_EXTERN) || pe->n_scm ||
	    sk->queued + pe->length > QUEUE_MAX || ++*records > RECORDS_MAX) {
		pr_err("%s: a message for file %u: no such socket, one that queues nothing, "
		       "ancillary data or more than %u bytes or %u messages",
		       img_file_name(f), pe->id_for, QUEUE_MAX, RECORDS_MAX);
		return -EINVAL;
	}
	ret = array_grow((void **)&sk->pk, &sk->cap_pk, sk->nr_pk, sizeof(*sk->pk), RECORDS_MAX);
	if (ret)
		return ret;
	p = &sk->pk[sk->nr_pk];
	p->len = pe->length;
	p->data = malloc(p->len ? p->len : 1);
	if (!p->data)
		return -ENOMEM;
	sk->nr_pk++;
	sk->queued += p->len;
	ret = img_file_read_blob(f, p->data, p->len);
	if (ret)
		pr_err("%s: the bytes of a message for file %u: %s", img_file_name(f), pe->id_for,
		       strerror(-ret));
	return ret;
}

int rst_unix_load(struct img_dir *dir, ProtobufCMessage **entries, size_t nr, struct rst_unix *ru)
{
	ProtobufCMessage *msg;
	struct img_file *f;
	size_t records = 0;
	int ret;

	ret = index_sockets(entries, nr, ru);
	if (ret || faccessat(img_dir_fd(dir), "sk-queues.img", F_OK, 0))
		return ret;
	f = img_file_open(dir, "SK_QUEUES", 0, IMG_READ);
	if (!f) {
		ret = -errno;
		pr_err("cannot open sk-queues.img: %s", strerror(-ret));
		return ret;
	}
	while ((ret = img_file_read_entry(f, &sk_packet_entry__descriptor, &msg)) > 0) {
		ret = load_packet(ru, f, (SkPacketEntry *)msg, &records);
		protobuf_c_message_free_unpacked(msg, NULL);
		if (ret)
			break;
	}
	img_file_close(f);
	return ret;
}

/* @e's name for messages: a path, or an abstract name after '@'. */
static const char *name_of(const UnixSkEntry *e, char *buf)
{
	size_t n = e->name.len;

	if (n)
		memcpy(buf, e->name.data, n);
	buf[n] = '\0';
	if (n && !buf[0])
		buf[0] = '@';
	for (size_t i = 1; i < n; i++)
		if (!buf[i])
			buf[i] = '@';
	return buf;
}

static socklen_t addr_of(const UnixSkEntry *e, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (e->name.len) /* an unnamed socket's data may be NULL */
		memcpy(sa->sun_path, e->name.data, e->name.len);
	return offsetof(struct sockaddr_un, sun_path) + e->name.len + is_path(e);
}

/*
 * Bind @fd to @e's name; a socket file left at its path is removed first,
 * unless the socket's own file had been removed (then whatever is at the
 * path now stays, and create_all() removes the new file once every socket
 * is filled and connected).
 */
static int bind_name(int fd, const UnixSkEntry *e)
{
	char name[SUN_PATH_MAX + 1];
	struct sockaddr_un sa;
	socklen_t len = addr_of(e, &sa);
	bool deleted = e->has_deleted && e->deleted;
	struct stat st;

	if (!e->name.len)
		return 0;
	if (is_path(e) && !deleted && !lstat(sa.sun_path, &st) && S_ISSOCK(st.st_mode))
		unlink(sa.sun_path);
	if (bind(fd, (struct sockaddr *)&sa, len)) {
		pr_perror("cannot bind unix socket %u to %s%s", e->ino, name_of(e, name),
			  deleted ? " (its socket file was removed before the dump)" : "");
		return -errno;
	}
	if (is_path(e) && e->file_perms &&
	    (chmod(sa.sun_path, e->file_perms->mode & 07777) ||
	     chown(sa.sun_path, e->file_perms->uid, e->file_perms->gid))) {
		pr_perror("cannot set the mode and owner of %s", sa.sun_path);
		return -errno;
	}
	return 0;
}

/* Send @p from @from (to @to unless connected), all of it. */
static int send_packet(const struct rst_usk *sk, int from, const struct rst_packet *p,
		       const struct sockaddr_un *to, socklen_t to_len)
{
	uint32_t done = 0;

	do {
		ssize_t n =
			sendto(from, (char *)p->data + done, p->len - done,
			       MSG_DONTWAIT | MSG_NOSIGNAL, (const struct sockaddr *)to, to_len);

		if (n < 0) {
			pr_perror("unix socket %u: cannot queue a message of %u bytes again",
				  sk->e->ino, p->len);
			return -errno;
		}
		done += n;
	} while (done < p->len);
	return 0;
}

/*
 * Queue @sk's messages again, sent from @from (its peer's other end), or,
 * for a bound datagram socket without one, from a socket of our own.
 */
static int fill_queue(const struct rst_usk *sk, int from)
{
	int room = sk->queued < (1u << 29) ? 2 * sk->queued + 65536 : 1 << 30;
	struct sockaddr_un to, *top = NULL;
	socklen_t to_len = 0;
	int tmp = -1, ret = 0;

	if (!sk->nr_pk)
		return 0;
	if (from < 0 && sk->e->type == SOCK_DGRAM && sk->e->name.len) {
		from = tmp = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (tmp < 0) {
			pr_perror("cannot create a unix socket");
			return -errno;
		}
		to_len = addr_of(sk->e, &to);
		top = &to;
	}
	if (from < 0) {
		pr_err("unix socket %u: %zu messages were queued, but nothing can send them "
		       "again",
		       sk->e->ino, sk->nr_pk);
		return -EOPNOTSUPP;
	}
	/* Room for all of it at once; the dumped buffer sizes come after. */
	if (setsockopt(from, SOL_SOCKET, SO_SNDBUFFORCE, &room, sizeof(room)))
		setsockopt(from, SOL_SOCKET, SO_SNDBUF, &room, sizeof(room));
	for (size_t i = 0; i < sk->nr_pk && !ret; i++)
		ret = send_packet(sk, from, &sk->pk[i], top, to_len);
	if (tmp >= 0)
		close(tmp);
	return ret;
}

static int set_opt(int fd, uint32_t ino, const char *what, int opt, const void *val, socklen_t len)
{
	if (!setsockopt(fd, SOL_SOCKET, opt, val, len))
		return 0;
	pr_perror("socket %u: cannot set %s", ino, what);
	return -errno;
}

/* A buffer size as dumped: the kernel doubles what it is given. */
static int set_buf(int fd, uint32_t ino, const char *what, int force, int opt, uint32_t dumped)
{
	int val = dumped / 2;

	if (!setsockopt(fd, SOL_SOCKET, force, &val, sizeof(val)))
		return 0;
	return set_opt(fd, ino, what, opt, &val, sizeof(val));
}

static int set_timeout(int fd, uint32_t ino, const char *what, int opt, uint64_t sec,
		       uint64_t usec)
{
	struct timeval tv = {.tv_sec = sec, .tv_usec = usec};

	return set_opt(fd, ino, what, opt, &tv, sizeof(tv));
}

int rst_sk_opts(int fd, uint32_t ino, const SkOptsEntry *o)
{
	int ret, on;

	ret = set_buf(fd, ino, "SO_SNDBUF", SO_SNDBUFFORCE, SO_SNDBUF, o->so_sndbuf);
	if (!ret)
		ret = set_buf(fd, ino, "SO_RCVBUF", SO_RCVBUFFORCE, SO_RCVBUF, o->so_rcvbuf);
	if (!ret)
		ret = set_timeout(fd, ino, "SO_SNDTIMEO", SO_SNDTIMEO, o->so_snd_tmo_sec,
				  o->so_snd_tmo_usec);
	if (!ret)
		ret = set_timeout(fd, ino, "SO_RCVTIMEO", SO_RCVTIMEO, o->so_rcv_tmo_sec,
				  o->so_rcv_tmo_usec);
	on = o->so_passcred;
	if (!ret && o->has_so_passcred)
		ret = set_opt(fd, ino, "SO_PASSCRED", SO_PASSCRED, &on, sizeof(on));
	on = o->so_passsec;
	if (!ret && o->has_so_passsec)
		ret = set_opt(fd, ino, "SO_PASSSEC", SO_PASSSEC, &on, sizeof(on));
	if (!ret && o->has_so_priority)
		ret = set_opt(fd, ino, "SO_PRIORITY", SO_PRIORITY, &o->so_priority, sizeof(int));
	if (!ret && o->has_so_rcvlowat)
		ret = set_opt(fd, ino, "SO_RCVLOWAT", SO_RCVLOWAT, &o->so_rcvlowat, sizeof(int));
	if (!ret && o->has_so_mark && o->so_mark)
		ret = set_opt(fd, ino, "SO_MARK", SO_MARK, &o->so_mark, sizeof(int));
	return ret;
}

/* Options, shutdown and file flags of @sk, once its queue is back. */
static int apply_state(const struct rst_usk *sk)
{
	static const int how[] = {[SK_SHUTDOWN__READ] = SHUT_RD,
				  [SK_SHUTDOWN__WRITE] = SHUT_WR,
				  [SK_SHUTDOWN__BOTH] = SHUT_RDWR};
	int ret = rst_sk_opts(sk->fd, sk->e->ino, sk->e->opts);

	if (ret)
		return ret;
	if (sk->e->has_shutdown && sk->e->shutdown >= SK_SHUTDOWN__READ &&
	    sk->e->shutdown <= SK_SHUTDOWN__BOTH && shutdown(sk->fd, how[sk->e->shutdown])) {
		pr_perror("cannot shut unix socket %u down", sk->e->ino);
		return -errno;
	}
	if (fcntl(sk->fd, F_SETFL, sk->e->flags & O_NONBLOCK)) {
		pr_perror("cannot set the flags of unix socket %u", sk->e->ino);
		return -errno;
	}
	return 0;
}

/* Both ends of a pair whose ends are each other's peers. */
static int create_pair(struct rst_usk *a, struct rst_usk *b)
{
	int fds[2], ret;

	if (a->e->type != b->e->type) {
		pr_err("unix sockets %u and %u are peers of different types", a->e->ino, b->e->ino);
		return -EINVAL;
	}
	if (socketpair(AF_UNIX, a->e->type | SOCK_CLOEXEC, 0, fds)) {
		pr_perror("cannot create a unix socket pair");
		return -errno;
	}
	a->fd = fds[0];
	b->fd = fds[1];
	/* A connected stream socket's name is not bound again (see restore-unix.h). */
	ret = a->e->type == SOCK_DGRAM ? bind_name(a->fd, a->e) : 0;
	if (!ret && a->e->type == SOCK_DGRAM)
		ret = bind_name(b->fd, b->e);
	if (!ret)
		ret = fill_queue(a, b->fd);
	if (!ret)
		ret = fill_queue(b, a->fd);
	if (!ret)
		ret = apply_state(a);
	if (!ret)
		ret = apply_state(b);
	return ret;
}

/*
 * A connected socket whose peer was closed (a stream, or an unbound
 * datagram socket that has messages from it): a pair, one end closed.
 */
static int create_orphan(struct rst_usk *sk)
{
	int fds[2], ret;

	if (socketpair(AF_UNIX, sk->e->type | SOCK_CLOEXEC, 0, fds)) {
		pr_perror("cannot create a unix socket pair");
		return -errno;
	}
	sk->fd = fds[0];
	ret = fill_queue(sk, fds[1]);
	close(fds[1]);
	return ret ? ret : apply_state(sk);
}

/* Connect the datagram socket @sk to the name of @peer, created (and bound) already. */
static int connect_peer(struct rst_usk *sk, const struct rst_usk *peer)
{
	char name[SUN_PATH_MAX + 1];
	struct sockaddr_un sa;
	socklen_t len = addr_of(peer->e, &sa);

	if (!connect(sk->fd, (struct sockaddr *)&sa, len))
		return 0;
	pr_perror("cannot connect unix socket %u to %s%s", sk->e->ino, name_of(peer->e, name),
		  peer->e->uflags & USK_EXTERN ? " (its peer outside the tree)" : "");
	return -errno;
}

/* A socket of its own: bound, listening; connected to its peer later. */
static int create_single(struct rst_usk *sk, struct rst_usk *peer)
{
	int ret;

	if (peer && (sk->e->type != SOCK_DGRAM || !peer->e->name.len)) {
		pr_err("unix socket %u: its peer %u is not a bound socket it can connect to",
		       sk->e->ino, peer->e->ino);
		return -EINVAL;
	}
	sk->fd = socket(AF_UNIX, sk->e->type | SOCK_CLOEXEC, 0);
	if (sk->fd < 0) {
		pr_perror("cannot create a unix socket");
		return -errno;
	}
	sk->connect_to = peer;
	ret = bind_name(sk->fd, sk->e);
	if (!ret && sk->e->state == TCP_LISTEN && listen(sk->fd, sk->e->backlog)) {
		ret = -errno;
		pr_perror("unix socket %u cannot listen", sk->e->ino);
	}
	/* Before any connect: a connected datagram socket hears only its peer. */
	if (!ret)
		ret = fill_queue(sk, -1);
	return ret ? ret : apply_state(sk);
}

/* @sk, and its peer when they are a pair, with queues, options and state. */
static int usk_create(struct rst_unix *ru, struct rst_usk *sk)
{
	const UnixSkEntry *e = sk->e;
	struct rst_usk *peer = e->peer ? by_ino(ru, e->peer) : NULL;
	int ret;

	if (sk->fd >= 0 || (e->uflags & USK_EXTERN))
		return 0;
	if (peer && peer->e->peer == e->ino && !(peer->e->uflags & USK_EXTERN))
		ret = create_pair(sk, peer);
	else if (!peer && e->state == TCP_ESTABLISHED &&
		 (e->type != SOCK_DGRAM || (sk->nr_pk && !e->name.len)))
		ret = create_orphan(sk);
	else
		ret = create_single(sk, peer);
	pr_debug("unix socket %u (file %u): created: %d", e->ino, e->id, ret);
	return ret;
}

/*
 * Connect every datagram socket to its peer's name, in an order the
 * kernel allows: a socket only takes a connect while it is not connected
 * itself, so every socket connecting to @p goes before @p connects.
 */
static int connect_all(struct rst_unix *ru)
{
	uint32_t *waiting = calloc(ru->nr + 1, sizeof(*waiting));
	size_t *ready = malloc((ru->nr + 1) * sizeof(*ready));
	size_t nr_ready = 0, todo = 0;
	int ret = 0;

	if (!waiting || !ready) {
		ret = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < ru->nr; i++) {
		if (ru->v[i].connect_to) {
			waiting[ru->v[i].connect_to - ru->v]++;
			todo++;
		}
	}
	for (size_t i = 0; i < ru->nr; i++)
		if (ru->v[i].connect_to && !waiting[i])
			ready[nr_ready++] = i;
	while (nr_ready && !ret) {
		struct rst_usk *sk = &ru->v[ready[--nr_ready]];
		size_t p = sk->connect_to - ru->v;

		ret = connect_peer(sk, sk->connect_to);
		todo--;
		if (!--waiting[p] && ru->v[p].connect_to)
			ready[nr_ready++] = p;
	}
	if (!ret && todo) {
		pr_err("files.img: %zu unix sockets are connected in a loop", todo);
		ret = -EINVAL;
	}
out:
	free(waiting);
	free(ready);
	return ret;
}

/* The socket file of @e, bound anew, goes as it had gone before the dump. */
static int remove_file_again(const UnixSkEntry *e)
{
	struct sockaddr_un sa;

	addr_of(e, &sa);
	if (!unlink(sa.sun_path))
		return 0;
	pr_perror("cannot remove the socket file %s again", sa.sun_path);
	return -errno;
}

/*
 * Every socket of the images, at once: created, bound and filled, then
 * connected, then the socket files removed before the dump removed again.
 */
static int create_all(struct rst_unix *ru)
{
	int ret = 0;

	for (size_t i = 0; i < ru->nr && !ret; i++)
		ret = usk_create(ru, &ru->v[i]);
	if (!ret)
		ret = connect_all(ru);
	for (size_t i = 0; i < ru->nr && !ret; i++) {
		const UnixSkEntry *e = ru->v[i].e;

		if (ru->v[i].fd >= 0 && is_path(e) && e->has_deleted && e->deleted)
			ret = remove_file_again(e);
	}
	return ret;
}

int rst_unix_open(struct rst_unix *ru, const UnixSkEntry *e)
{
	struct rst_usk *sk = by_ino(ru, e->ino);
	int fd;

	if (!sk)
		return -ENOENT;
	if (e->uflags & USK_EXTERN) {
		pr_err("unix socket %u is outside the tree: no task can have it", e->ino);
		return -EINVAL;
	}
	if (!ru->created) {
		ru->created = true;
		ru->create_ret = create_all(ru);
	}
	if (ru->create_ret)
		return ru->create_ret;
	fd = fcntl(sk->fd, F_DUPFD_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

void rst_unix_close_kept(struct rst_unix *ru)
{
	for (size_t i = 0; i < ru->nr; i++) {
		if (ru->v[i].fd >= 0)
			close(ru->v[i].fd);
		ru->v[i].fd = -1;
	}
}

void rst_unix_free(struct rst_unix *ru)
{
	rst_unix_close_kept(ru);
	for (size_t i = 0; i < ru->nr; i++) {
		for (size_t j = 0; j < ru->v[i].nr_pk; j++)
			free(ru->v[i].pk[j].data);
		free(ru->v[i].pk);
	}
	free(ru->v);
	free(ru->by_id);
	ru->v = NULL;
	ru->by_id = NULL;
	ru->nr = 0;
}
