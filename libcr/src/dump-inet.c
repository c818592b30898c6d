// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Inet sockets: TCP and UDP over IPv4 and IPv6. What the kernel tells of
 * the socket itself through getsockopt() (TCP_INFO: its state, and for a
 * listener its accept queue and backlog), getsockname() and getpeername();
 * it works whatever network namespace the socket is in. An established
 * TCP connection is saved with libsoccr (TCP_REPAIR): it is left in repair
 * mode, frozen, until the tree is killed (then closing it sends nothing)
 * or resumed. Queued datagrams are not saved: they are dropped, as criu does.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <soccr/soccr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "cr/cr.h"
#include "dump-inet.h"
#include "dump-unix.h"
#include "file-ids.h"
#include "images.h"
#include "lib-log.h"
#include "soccr-log.h"

#ifndef SO_BUF_LOCK
#define SO_BUF_LOCK 72
#endif

/* Connections of one dump, and bytes queued in one of them, we accept. */
#define CONN_MAX 65536
#define QUEUE_MAX (64u << 20)

/* A connection dumped in repair mode, with our own fd on it. */
struct dump_conn {
	struct libsoccr_sk *sk;
	int fd;
};

struct dump_inet {
	struct dump_conn *v;
	size_t nr, cap;
};

/* What one socket is: read before its entry is written. */
struct inet_sk {
	pid_t pid;
	int fd, ours;
	int family, type, proto;
	struct tcp_info ti; /* TCP only */
	union libsoccr_addr src, dst;
	bool connected;
};

bool dump_is_inet(int fd)
{
	int domain;
	socklen_t len = sizeof(domain);

	return !getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) &&
	       (domain == AF_INET || domain == AF_INET6);
}

static int get_opt(int fd, int level, int opt, int *val)
{
	socklen_t len = sizeof(*val);

	return getsockopt(fd, level, opt, val, &len) ? -errno : 0;
}

/* The address words and port of @a, as an InetSkEntry keeps them. */
static uint32_t addr_words(const union libsoccr_addr *a, uint32_t *words, size_t *n)
{
	if (a->sa.sa_family == AF_INET6) {
		memcpy(words, &a->v6.sin6_addr, 16);
		*n = 4;
		return ntohs(a->v6.sin6_port);
	}
	memcpy(words, &a->v4.sin_addr, 4);
	*n = 1;
	return ntohs(a->v4.sin_port);
}

/* Fill @s from the kernel; refuse what crtool cannot restore. */
static int describe(struct dump_ctx *ctx, struct inet_sk *s)
{
	socklen_t len = sizeof(s->src);
	int ret;

	ret = get_opt(s->ours, SOL_SOCKET, SO_DOMAIN, &s->family);
	if (!ret)
		ret = get_opt(s->ours, SOL_SOCKET, SO_TYPE, &s->type);
	if (!ret)
		ret = get_opt(s->ours, SOL_SOCKET, SO_PROTOCOL, &s->proto);
	if (!ret && getsockname(s->ours, &s->src.sa, &len))
		ret = -errno;
	if (ret)
		return ret;
	len = sizeof(s->dst);
	s->connected = !getpeername(s->ours, &s->dst.sa, &len);
	if (!s->connected)
		s->dst.sa.sa_family = s->family;
	if (!(s->type == SOCK_STREAM && s->proto == IPPROTO_TCP) &&
	    !(s->type == SOCK_DGRAM && s->proto == IPPROTO_UDP)) {
		pr_err("fd %d of task %d is an inet socket of type %d, protocol %d: crtool dumps "
		       "only TCP and UDP sockets",
		       s->fd, s->pid, s->type, s->proto);
		return -EOPNOTSUPP;
	}
	if (s->type == SOCK_DGRAM)
		return 0;
	len = sizeof(s->ti);
	if (getsockopt(s->ours, IPPROTO_TCP, TCP_INFO, &s->ti, &len))
		return -errno;
	switch (s->ti.tcpi_state) {
	case TCP_CLOSE:
		return 0;
	case TCP_LISTEN:
		/* For a listener, unacked counts the accept queue. */
		if (!s->ti.tcpi_unacked)
			return 0;
		pr_err("fd %d of task %d: TCP socket listens with %u connections not yet "
		       "accepted, which crtool cannot dump",
		       s->fd, s->pid, s->ti.tcpi_unacked);
		return -EOPNOTSUPP;
	case TCP_ESTABLISHED:
		if (ctx->flags & CR_DUMP_TCP_ESTABLISHED)
			return 0;
		pr_err("fd %d of task %d is an established TCP connection (dump with "
		       "--tcp-established)",
		       s->fd, s->pid);
		return -EOPNOTSUPP;
	default:
		pr_err("fd %d of task %d is a TCP socket in state %u, which crtool cannot dump "
		       "(only closed, listening and established ones)",
		       s->fd, s->pid, s->ti.tcpi_state);
		return -EOPNOTSUPP;
	}
}

/* The SOL_SOCKET options beyond dump_sk_opts() that criu keeps for inet sockets. */
static int read_opts(const struct inet_sk *s, SkOptsEntry *o)
{
	int reuseaddr, reuseport, broadcast, keepalive, dontroute, nocheck, oobinline, buflock;
	int ret = dump_sk_opts(s->ours, o);

	if (!ret)
		ret = get_opt(s->ours, SOL_SOCKET, SO_REUSEADDR, &reuseaddr);
	if (!ret)
		ret = get_opt(s->ours, SOL_SOCKET, SO_REUSEPORT, &reuseport);
	if (!ret)
		ret = get_opt(s->ours, SOL_SOCKET, SO_BROADCAST, &broadcast);
	if (!ret)
		ret = get_opt(s->ours, SOL_SOCKET, SO_KEEPALIVE, &keepalive);
	if (!ret)
		ret = get_opt(s->ours, SOL_SOCKET, SO_DONTROUTE, &dontroute);
	if (!ret)
		ret = get_opt(s->ours, SOL_SOCKET, SO_NO_CHECK, &nocheck);
	if (!ret)
		ret = get_opt(s->ours, SOL_SOCKET, SO_OOBINLINE, &oobinline);
	if (ret)
		return ret;
	o->has_reuseaddr = o->has_so_reuseport = o->has_so_broadcast = true;
	o->has_so_keepalive = o->has_so_dontroute = o->has_so_no_check = true;
	o->has_so_oobinline = true;
	o->reuseaddr = reuseaddr;
	o->so_reuseport = reuseport;
	o->so_broadcast = broadcast;
	o->so_keepalive = keepalive;
	o->so_dontroute = dontroute;
	o->so_no_check = nocheck;
	o->so_oobinline = oobinline;
	/* Which buffer sizes were set by hand (older kernels lack it). */
	if (!get_opt(s->ours, SOL_SOCKET, SO_BUF_LOCK, &buflock)) {
		o->has_so_buf_lock = true;
		o->so_buf_lock = buflock;
	}
	return 0;
}

static int read_ip_opts(const struct inet_sk *s, IpOptsEntry *ip, bool *v6only)
{
	int ttl, freebind, only = 0, ret;

	if (s->family == AF_INET6) {
		ret = get_opt(s->ours, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl);
		if (!ret)
			ret = get_opt(s->ours, IPPROTO_IPV6, IPV6_FREEBIND, &freebind);
		if (!ret)
			ret = get_opt(s->ours, IPPROTO_IPV6, IPV6_V6ONLY, &only);
	} else {
		ret = get_opt(s->ours, IPPROTO_IP, IP_TTL, &ttl);
		if (!ret)
			ret = get_opt(s->ours, IPPROTO_IP, IP_FREEBIND, &freebind);
	}
	if (ret)
		return ret;
	ip->has_ttl = true;
	ip->ttl = ttl;
	ip->has_freebind = freebind != 0;
	ip->freebind = freebind;
	*v6only = only;
	return 0;
}

static int read_tcp_opts(const struct inet_sk *s, TcpOptsEntry *t)
{
	int nodelay, cork, cnt, idle, intvl;
	int ret = get_opt(s->ours, IPPROTO_TCP, TCP_NODELAY, &nodelay);

	if (!ret)
		ret = get_opt(s->ours, IPPROTO_TCP, TCP_CORK, &cork);
	if (!ret)
		ret = get_opt(s->ours, IPPROTO_TCP, TCP_KEEPCNT, &cnt);
	if (!ret)
		ret = get_opt(s->ours, IPPROTO_TCP, TCP_KEEPIDLE, &idle);
	if (!ret)
		ret = get_opt(s->ours, IPPROTO_TCP, TCP_KEEPINTVL, &intvl);
	if (ret)
		return ret;
	t->has_nodelay = nodelay != 0;
	t->nodelay = nodelay;
	t->has_cork = cork != 0;
	t->cork = cork;
	t->has_keepcnt = t->has_keepidle = t->has_keepintvl = true;
	t->keepcnt = cnt;
	t->keepidle = idle;
	t->keepintvl = intvl;
	return 0;
}

/* tcp-stream-<ino>.img: the state saved by libsoccr, then both queues. */
static int write_stream(struct dump_ctx *ctx, uint32_t ino, const struct libsoccr_sk_data *d,
			const char *inq, const char *outq)
{
	TcpStreamEntry te = TCP_STREAM_ENTRY__INIT;
	struct img_file *f;
	int ret, ret2;

	te.inq_len = d->inq_len;
	te.inq_seq = d->inq_seq;
	te.outq_len = d->outq_len;
	te.outq_seq = d->outq_seq;
	te.opt_mask = d->opt_mask;
	te.snd_wscale = d->snd_wscale;
	te.mss_clamp = d->mss_clamp;
	te.has_rcv_wscale = te.has_timestamp = te.has_unsq_len = true;
	te.rcv_wscale = d->rcv_wscale;
	te.timestamp = d->timestamp;
	te.unsq_len = d->unsq_len;
	if (d->flags & SOCCR_FLAGS_WINDOW) {
		te.has_snd_wl1 = te.has_snd_wnd = te.has_max_window = true;
		te.has_rcv_wnd = te.has_rcv_wup = true;
		te.snd_wl1 = d->snd_wl1;
		te.snd_wnd = d->snd_wnd;
		te.max_window = d->max_window;
		te.rcv_wnd = d->rcv_wnd;
		te.rcv_wup = d->rcv_wup;
	}
	f = img_file_open(ctx->dir, "TCP_STREAM", ino, IMG_WRITE);
	if (!f) {
		ret = -errno;
		pr_err("cannot create tcp-stream-%x.img: %s", ino, strerror(-ret));
		return ret;
	}
	ret = img_file_write_entry(f, &te.base);
	if (!ret && d->inq_len)
		ret = img_file_write_blob(f, inq, d->inq_len);
	if (!ret && d->outq_len)
		ret = img_file_write_blob(f, outq, d->outq_len);
	ret2 = img_file_close(f);
	return ret ? ret : ret2;
}

/*
 * Save the connection @s (inode @ino) with libsoccr: it is paused (repair
 * mode) on a fd of our own and stays so, remembered for dump_inet_finish().
 */
static int dump_stream(struct dump_ctx *ctx, const struct inet_sk *s, uint32_t ino)
{
	struct dump_inet *di = ctx->inet_sks;
	struct libsoccr_sk_data d = {0};
	struct dump_conn *c;
	char *inq, *outq;
	int ret;

	if (!di) {
		di = ctx->inet_sks = calloc(1, sizeof(*di));
		if (!di)
			return -ENOMEM;
	}
	ret = array_grow((void **)&di->v, &di->cap, di->nr, sizeof(*di->v), CONN_MAX);
	if (ret)
		return ret;
	c = &di->v[di->nr];
	c->fd = fcntl(s->ours, F_DUPFD_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	soccr_log_init();
	c->sk = libsoccr_pause(c->fd);
	if (!c->sk) {
		ret = -errno;
		pr_err("fd %d of task %d: cannot put the TCP connection in repair mode: %s", s->fd,
		       s->pid, strerror(-ret));
		close(c->fd);
		return ret;
	}
	/* From here on it is resumed or released by dump_inet_finish(). */
	di->nr++;
	ret = libsoccr_save(c->sk, &d, sizeof(d));
	if (ret < 0) {
		pr_err("fd %d of task %d: cannot save the TCP connection: %s", s->fd, s->pid,
		       strerror(-ret));
		return ret;
	}
	if (d.inq_len > QUEUE_MAX || d.outq_len > QUEUE_MAX) {
		pr_err("fd %d of task %d: the TCP connection queues more than %u bytes", s->fd,
		       s->pid, QUEUE_MAX);
		return -EFBIG;
	}
	inq = libsoccr_get_queue_bytes(c->sk, TCP_RECV_QUEUE, 0);
	outq = libsoccr_get_queue_bytes(c->sk, TCP_SEND_QUEUE, 0);
	if ((d.inq_len && !inq) || (d.outq_len && !outq))
		return -EIO;
	pr_debug("TCP connection %u: %u bytes to read, %u to send (%u never sent)", ino, d.inq_len,
		 d.outq_len, d.unsq_len);
	return write_stream(ctx, ino, &d, inq, outq);
}

static int write_entry(struct dump_ctx *ctx, const struct inet_sk *s, uint32_t id, uint32_t ino,
		       unsigned int flags)
{
	uint32_t src[4], dst[4];
	FileEntry fe = FILE_ENTRY__INIT;
	InetSkEntry ie = INET_SK_ENTRY__INIT;
	FownEntry fown = FOWN_ENTRY__INIT;
	SkOptsEntry opts = SK_OPTS_ENTRY__INIT;
	IpOptsEntry ip = IP_OPTS_ENTRY__INIT;
	TcpOptsEntry tcp = TCP_OPTS_ENTRY__INIT;
	bool v6only = false;
	int ret;

	ret = dump_fown(s->ours, &fown);
	if (!ret)
		ret = read_opts(s, &opts);
	if (!ret)
		ret = read_ip_opts(s, &ip, &v6only);
	if (!ret && s->type == SOCK_STREAM)
		ret = read_tcp_opts(s, &tcp);
	if (ret)
		return ret;
	ie.id = id;
	ie.ino = ino;
	ie.family = s->family;
	ie.type = s->type;
	ie.proto = s->proto;
	ie.flags = flags;
	ie.src_port = addr_words(&s->src, src, &ie.n_src_addr);
	ie.src_addr = src;
	if (s->connected) {
		ie.dst_port = addr_words(&s->dst, dst, &ie.n_dst_addr);
	} else {
		memset(dst, 0, sizeof(dst));
		ie.n_dst_addr = ie.n_src_addr;
	}
	ie.dst_addr = dst;
	if (s->type == SOCK_STREAM) {
		ie.state = s->ti.tcpi_state;
		/* For a listener, sacked is its backlog. */
		ie.backlog = s->ti.tcpi_state == TCP_LISTEN ? s->ti.tcpi_sacked : 0;
		ie.tcp_opts = &tcp;
	} else {
		ie.state = s->connected ? TCP_ESTABLISHED : TCP_CLOSE;
	}
	ie.fown = &fown;
	ie.opts = &opts;
	ie.ip_opts = &ip;
	ie.has_v6only = s->family == AF_INET6;
	ie.v6only = v6only;
	fe.type = FD_TYPES__INETSK;
	fe.id = id;
	fe.isk = &ie;
	return img_file_write_entry(ctx->files, &fe.base);
}

/* Datagrams waiting on @s are not saved: say so. */
static void warn_dropped(const struct inet_sk *s)
{
	int queued = 0;

	if (s->type == SOCK_DGRAM && !ioctl(s->ours, FIONREAD, &queued) && queued > 0)
		pr_warn("fd %d of task %d: the datagrams queued on its UDP socket are not dumped "
			"and will be lost",
			s->fd, s->pid);
}

int dump_inet(struct dump_ctx *ctx, pid_t pid, int fd, int ours, unsigned int flags, uint32_t *id)
{
	struct inet_sk s = {.pid = pid, .fd = fd, .ours = ours};
	struct stat st;
	int ret;

	if (fstat(ours, &st))
		return -errno;
	*id = file_ids_find(ctx->file_ids, ours, st.st_dev, st.st_ino);
	if (*id)
		return 0;
	ret = describe(ctx, &s);
	if (!ret)
		ret = file_ids_assign(ctx->file_ids, ours, st.st_dev, st.st_ino, id);
	if (!ret)
		ret = write_entry(ctx, &s, *id, st.st_ino, flags & ~O_CLOEXEC);
	if (!ret && s.type == SOCK_STREAM && s.ti.tcpi_state == TCP_ESTABLISHED)
		ret = dump_stream(ctx, &s, st.st_ino);
	if (ret) {
		pr_err("fd %d of task %d: cannot dump inet socket %lu: %s", fd, pid,
		       (unsigned long)st.st_ino, strerror(-ret));
		return ret;
	}
	warn_dropped(&s);
	pr_debug("file %u: inet socket %lu, family %d, type %d, state %u", *id,
		 (unsigned long)st.st_ino, s.family, s.type,
		 s.type == SOCK_STREAM ? s.ti.tcpi_state : 0);
	return 0;
}

void dump_inet_finish(struct dump_ctx *ctx, bool resume)
{
	struct dump_inet *di = ctx->inet_sks;

	if (!di)
		return;
	for (size_t i = 0; i < di->nr; i++) {
		if (resume)
			libsoccr_resume(di->v[i].sk);
		else
			libsoccr_release(di->v[i].sk);
		close(di->v[i].fd);
	}
	if (di->nr)
		pr_info("%zu TCP connections %s", di->nr,
			resume ? "resumed" : "closed in repair mode, silently");
	free(di->v);
	free(di);
	ctx->inet_sks = NULL;
}
