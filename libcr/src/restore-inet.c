// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <soccr/soccr.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib-log.h"
#include "restore-inet.h"
#include "restore-unix.h"
#include "soccr-log.h"

#ifndef SO_BUF_LOCK
#define SO_BUF_LOCK 72
#endif

/* The bytes an image may queue in each direction of one connection. */
#define QUEUE_MAX (64u << 20)

struct rst_isk {
	const InetSkEntry *e;
	int fd;			    /* once created, until rst_inet_close_kept() */
	TcpStreamEntry *ts;	    /* an established connection's state */
	char *inq, *outq;	    /* and its queues */
	struct libsoccr_sk *paused; /* restored, in repair mode until all are */
};

static bool is_tcp(const InetSkEntry *e)
{
	return e->type == SOCK_STREAM;
}

static bool is_conn(const InetSkEntry *e)
{
	return is_tcp(e) && e->state == TCP_ESTABLISHED;
}

/* Why the entry @e cannot be restored, or NULL. */
static const char *bad_entry(const FileEntry *fe, const InetSkEntry *e)
{
	size_t words = e->family == AF_INET6 ? 4 : 1;

	if (e->id != fe->id)
		return "its id differs from its file's";
	if (e->family != AF_INET && e->family != AF_INET6)
		return "its family is neither AF_INET nor AF_INET6";
	if (!(e->type == SOCK_STREAM && e->proto == IPPROTO_TCP) &&
	    !(e->type == SOCK_DGRAM && e->proto == IPPROTO_UDP))
		return "it is neither a TCP nor a UDP socket";
	if (e->n_src_addr != words || (e->n_dst_addr && e->n_dst_addr != words))
		return "its addresses do not fit its family";
	if (e->src_port > 65535 || e->dst_port > 65535)
		return "its ports are out of range";
	if (e->state != TCP_CLOSE && e->state != TCP_ESTABLISHED &&
	    (e->state != TCP_LISTEN || !is_tcp(e)))
		return "it is in a state crtool cannot restore";
	if (e->state == TCP_ESTABLISHED && (!e->n_dst_addr || !e->dst_port))
		return "it is connected without a peer address";
	if (!e->opts || !e->fown)
		return "it lacks its options";
	return NULL;
}

/* Why the connection state @ts cannot be restored, or NULL. */
static const char *bad_stream(const TcpStreamEntry *ts)
{
	if (ts->inq_len > QUEUE_MAX || ts->outq_len > QUEUE_MAX)
		return "its queues are too long";
	if (ts->has_unsq_len && ts->unsq_len > ts->outq_len)
		return "more bytes are unsent than queued";
	return NULL;
}

static char *read_queue(struct img_file *f, uint32_t len, int *ret)
{
	char *buf = len ? malloc(len) : NULL;

	if (len && !buf)
		*ret = -ENOMEM;
	else if (len)
		*ret = img_file_read_blob(f, buf, len);
	return buf;
}

/* tcp-stream-<ino>.img of @sk: the state, then the receive and send queues. */
static int load_stream(struct img_dir *dir, struct rst_isk *sk)
{
	ProtobufCMessage *msg = NULL;
	const char *why = NULL;
	struct img_file *f;
	int ret;

	f = img_file_open(dir, "TCP_STREAM", sk->e->ino, IMG_READ);
	if (!f) {
		ret = -errno;
		pr_err("cannot open tcp-stream-%x.img: %s", sk->e->ino, strerror(-ret));
		return ret;
	}
	ret = img_file_read_entry(f, &tcp_stream_entry__descriptor, &msg);
	if (ret == 0)
		ret = -ENODATA;
	if (ret > 0) {
		sk->ts = (TcpStreamEntry *)msg;
		why = bad_stream(sk->ts);
		ret = why ? -EINVAL : 0;
	}
	if (!ret)
		sk->inq = read_queue(f, sk->ts->inq_len, &ret);
	if (!ret)
		sk->outq = read_queue(f, sk->ts->outq_len, &ret);
	if (ret)
		pr_err("%s: %s", img_file_name(f), why ? why : strerror(-ret));
	img_file_close(f);
	return ret;
}

int rst_inet_load(struct img_dir *dir, ProtobufCMessage **entries, size_t nr, bool tcp_established,
		  struct rst_inet *ri)
{
	size_t n = 0;
	int ret = 0;

	for (size_t i = 0; i < nr; i++)
		n += ((FileEntry *)entries[i])->type == FD_TYPES__INETSK;
	ri->v = calloc(n + 1, sizeof(*ri->v));
	if (!ri->v)
		return -ENOMEM;
	for (size_t i = 0; i < nr && !ret; i++) {
		const FileEntry *fe = (FileEntry *)entries[i];
		struct rst_isk *sk;
		const char *why;

		if (fe->type != FD_TYPES__INETSK)
			continue;
		why = fe->isk ? bad_entry(fe, fe->isk) : "it has no description";
		if (why) {
			pr_err("files.img: inet socket file %u: %s", fe->id, why);
			return -EINVAL;
		}
		sk = &ri->v[ri->nr++];
		*sk = (struct rst_isk){.e = fe->isk, .fd = -1};
		if (!is_conn(sk->e))
			continue;
		if (!tcp_established) {
			pr_err("file %u is an established TCP connection (restore with "
			       "--tcp-established)",
			       fe->id);
			return -EOPNOTSUPP;
		}
		ret = load_stream(dir, sk);
	}
	return ret;
}

/* The address @words, @port of @e as a socket address. */
static socklen_t sock_addr(const InetSkEntry *e, const uint32_t *words, uint32_t port,
			   union libsoccr_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->sa.sa_family = e->family;
	if (e->family == AF_INET6) {
		if (words)
			memcpy(&a->v6.sin6_addr, words, 16);
		a->v6.sin6_port = htons(port);
		return sizeof(a->v6);
	}
	if (words)
		memcpy(&a->v4.sin_addr, words, 4);
	a->v4.sin_port = htons(port);
	return sizeof(a->v4);
}

static int set_int(const struct rst_isk *sk, int level, int opt, const char *what, int val)
{
	if (!setsockopt(sk->fd, level, opt, &val, sizeof(val)))
		return 0;
	pr_perror("inet socket %u: cannot set %s", sk->e->ino, what);
	return -errno;
}

/* The options set before the socket is bound. */
static int set_opts(const struct rst_isk *sk)
{
	const SkOptsEntry *o = sk->e->opts;
	const IpOptsEntry *ip = sk->e->ip_opts;
	int ret = rst_sk_opts(sk->fd, sk->e->ino, o);

	if (!ret && sk->e->family == AF_INET6 && sk->e->has_v6only)
		ret = set_int(sk, IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY", sk->e->v6only);
	if (!ret && o->has_reuseaddr)
		ret = set_int(sk, SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR", o->reuseaddr);
	if (!ret && o->has_so_reuseport)
		ret = set_int(sk, SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT", o->so_reuseport);
	if (!ret && o->has_so_broadcast)
		ret = set_int(sk, SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST", o->so_broadcast);
	if (!ret && o->has_so_keepalive)
		ret = set_int(sk, SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE", o->so_keepalive);
	if (!ret && o->has_so_dontroute)
		ret = set_int(sk, SOL_SOCKET, SO_DONTROUTE, "SO_DONTROUTE", o->so_dontroute);
	if (!ret && o->has_so_no_check)
		ret = set_int(sk, SOL_SOCKET, SO_NO_CHECK, "SO_NO_CHECK", o->so_no_check);
	if (!ret && o->has_so_oobinline)
		ret = set_int(sk, SOL_SOCKET, SO_OOBINLINE, "SO_OOBINLINE", o->so_oobinline);
	/* Setting the buffer sizes locked them: back to what was locked. */
	if (!ret && o->has_so_buf_lock &&
	    setsockopt(sk->fd, SOL_SOCKET, SO_BUF_LOCK, &(int){o->so_buf_lock}, sizeof(int)) &&
	    errno != ENOPROTOOPT)
		ret = set_int(sk, SOL_SOCKET, SO_BUF_LOCK, "SO_BUF_LOCK", o->so_buf_lock);
	if (!ret && ip && ip->has_freebind)
		ret = sk->e->family == AF_INET6
			      ? set_int(sk, IPPROTO_IPV6, IPV6_FREEBIND, "IPV6_FREEBIND",
					ip->freebind)
			      : set_int(sk, IPPROTO_IP, IP_FREEBIND, "IP_FREEBIND", ip->freebind);
	if (!ret && ip && ip->has_ttl)
		ret = sk->e->family == AF_INET6
			      ? set_int(sk, IPPROTO_IPV6, IPV6_UNICAST_HOPS, "IPV6_UNICAST_HOPS",
					ip->ttl)
			      : set_int(sk, IPPROTO_IP, IP_TTL, "IP_TTL", ip->ttl);
	return ret;
}

/* The TCP options and the file flags, once the socket is in its state. */
static int set_final(const struct rst_isk *sk)
{
	const TcpOptsEntry *t = sk->e->tcp_opts;
	int ret = 0;

	if (is_tcp(sk->e) && t) {
		if (t->has_nodelay)
			ret = set_int(sk, IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY", t->nodelay);
		if (!ret && t->has_cork)
			ret = set_int(sk, IPPROTO_TCP, TCP_CORK, "TCP_CORK", t->cork);
		if (!ret && t->has_keepcnt)
			ret = set_int(sk, IPPROTO_TCP, TCP_KEEPCNT, "TCP_KEEPCNT", t->keepcnt);
		if (!ret && t->has_keepidle)
			ret = set_int(sk, IPPROTO_TCP, TCP_KEEPIDLE, "TCP_KEEPIDLE", t->keepidle);
		if (!ret && t->has_keepintvl)
			ret = set_int(sk, IPPROTO_TCP, TCP_KEEPINTVL, "TCP_KEEPINTVL",
				      t->keepintvl);
	}
	if (!ret && fcntl(sk->fd, F_SETFL, sk->e->flags & O_NONBLOCK)) {
		pr_perror("cannot set the flags of inet socket %u", sk->e->ino);
		ret = -errno;
	}
	return ret;
}

/* Bind (when it was), listen or connect (UDP) as dumped. */
static int set_state(const struct rst_isk *sk)
{
	const InetSkEntry *e = sk->e;
	union libsoccr_addr a;
	socklen_t len;

	if (e->src_port) {
		len = sock_addr(e, e->src_addr, e->src_port, &a);
		if (bind(sk->fd, &a.sa, len)) {
			pr_perror("cannot bind inet socket %u to port %u", e->ino, e->src_port);
			return -errno;
		}
	}
	if (e->state == TCP_LISTEN && listen(sk->fd, e->backlog)) {
		pr_perror("inet socket %u cannot listen on port %u", e->ino, e->src_port);
		return -errno;
	}
	if (e->state == TCP_ESTABLISHED) {
		len = sock_addr(e, e->dst_addr, e->dst_port, &a);
		if (connect(sk->fd, &a.sa, len)) {
			pr_perror("cannot connect UDP socket %u to port %u", e->ino, e->dst_port);
			return -errno;
		}
	}
	return 0;
}

/*
 * Rebuild the connection @sk in repair mode with libsoccr; it stays there
 * (sk->paused) until every connection is back: the first one let go tells
 * its peer, which must be there to hear it (else the listener of the port
 * answers with a reset).
 */
static int restore_stream(struct rst_isk *sk)
{
	const TcpStreamEntry *ts = sk->ts;
	struct libsoccr_sk_data d = {
		.state = sk->e->state,
		.inq_len = ts->inq_len,
		.inq_seq = ts->inq_seq,
		.outq_len = ts->outq_len,
		.outq_seq = ts->outq_seq,
		.unsq_len = ts->unsq_len,
		.opt_mask = ts->opt_mask,
		.mss_clamp = ts->mss_clamp,
		.snd_wscale = ts->snd_wscale,
		.rcv_wscale = ts->rcv_wscale,
		.timestamp = ts->timestamp,
	};
	union libsoccr_addr src, dst;
	struct libsoccr_sk *s;
	int ret;

	if (ts->has_snd_wl1 && ts->has_snd_wnd && ts->has_max_window && ts->has_rcv_wnd &&
	    ts->has_rcv_wup) {
		d.flags = SOCCR_FLAGS_WINDOW;
		d.snd_wl1 = ts->snd_wl1;
		d.snd_wnd = ts->snd_wnd;
		d.max_window = ts->max_window;
		d.rcv_wnd = ts->rcv_wnd;
		d.rcv_wup = ts->rcv_wup;
	}
	sock_addr(sk->e, sk->e->src_addr, sk->e->src_port, &src);
	sock_addr(sk->e, sk->e->dst_addr, sk->e->dst_port, &dst);
	soccr_log_init();
	s = libsoccr_pause(sk->fd);
	if (!s) {
		pr_perror("inet socket %u: cannot enter repair mode", sk->e->ino);
		return -errno;
	}
	ret = libsoccr_set_addr(s, 1, &src, 0);
	if (!ret)
		ret = libsoccr_set_addr(s, 0, &dst, 0);
	if (!ret && d.inq_len)
		ret = libsoccr_set_queue_bytes(s, TCP_RECV_QUEUE, sk->inq, 0);
	if (!ret && d.outq_len)
		ret = libsoccr_set_queue_bytes(s, TCP_SEND_QUEUE, sk->outq, 0);
	if (!ret)
		ret = libsoccr_restore(s, &d, sizeof(d));
	if (ret) {
		pr_err("cannot restore the TCP connection %u (port %u to %u): %s", sk->e->ino,
		       sk->e->src_port, sk->e->dst_port, strerror(-ret));
		/* Its fd is closed in repair mode: nothing goes to the peer. */
		libsoccr_release(s);
		return ret;
	}
	sk->paused = s;
	return 0;
}

static int isk_create(struct rst_isk *sk)
{
	int ret;

	sk->fd = socket(sk->e->family, sk->e->type | SOCK_CLOEXEC, sk->e->proto);
	if (sk->fd < 0) {
		pr_perror("cannot create an inet socket");
		return -errno;
	}
	ret = set_opts(sk);
	if (!ret)
		ret = is_conn(sk->e) ? restore_stream(sk) : set_state(sk);
	if (!ret)
		ret = set_final(sk);
	pr_debug("inet socket %u (file %u): created: %d", sk->e->ino, sk->e->id, ret);
	return ret;
}

/*
 * Every socket: listeners and the others first, then the connections,
 * let go together (or, on failure, left in repair mode to be closed: that
 * sends nothing to their peers).
 */
static int create_all(struct rst_inet *ri)
{
	int ret = 0;

	for (size_t i = 0; i < ri->nr && !ret; i++)
		if (!is_conn(ri->v[i].e))
			ret = isk_create(&ri->v[i]);
	for (size_t i = 0; i < ri->nr && !ret; i++)
		if (is_conn(ri->v[i].e))
			ret = isk_create(&ri->v[i]);
	for (size_t i = 0; i < ri->nr; i++) {
		if (!ri->v[i].paused)
			continue;
		if (ret)
			libsoccr_release(ri->v[i].paused);
		else
			libsoccr_resume(ri->v[i].paused);
		ri->v[i].paused = NULL;
	}
	return ret;
}

int rst_inet_open(struct rst_inet *ri, const InetSkEntry *e)
{
	struct rst_isk *sk = NULL;
	int fd;

	for (size_t i = 0; i < ri->nr && !sk; i++)
		if (ri->v[i].e == e)
			sk = &ri->v[i];
	if (!sk)
		return -ENOENT;
	if (!ri->created) {
		ri->created = true;
		ri->create_ret = create_all(ri);
	}
	if (ri->create_ret)
		return ri->create_ret;
	fd = fcntl(sk->fd, F_DUPFD_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

void rst_inet_close_kept(struct rst_inet *ri)
{
	for (size_t i = 0; i < ri->nr; i++) {
		if (ri->v[i].fd >= 0)
			close(ri->v[i].fd);
		ri->v[i].fd = -1;
	}
}

void rst_inet_free(struct rst_inet *ri)
{
	rst_inet_close_kept(ri);
	for (size_t i = 0; i < ri->nr; i++) {
		if (ri->v[i].ts)
			protobuf_c_message_free_unpacked(&ri->v[i].ts->base, NULL);
		free(ri->v[i].inq);
		free(ri->v[i].outq);
	}
	free(ri->v);
	ri->v = NULL;
	ri->nr = 0;
}
