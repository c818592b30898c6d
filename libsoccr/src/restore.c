// SPDX-License-Identifier: LGPL-2.1-or-later
/* Restore: rebuild a saved connection on a fresh socket in repair mode. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/tcp.h>

#include "soccr-int.h"
#include "soccr-log.h"

/* The kernel takes repair-mode data in pieces of this size at most. */
#define QUEUE_CHUNK (64 * 1024)

SOCCR_API int libsoccr_set_queue_bytes(struct libsoccr_sk *sk, int queue_id, char *bytes, unsigned flags)
{
	int i = soccr_queue_index(queue_id);

	if (i < 0) {
		loge("No queue %d to restore", queue_id);
		return -EINVAL;
	}
	soccr_buf_set(&sk->queue[i], bytes, flags & SOCCR_MEM_EXCL);
	return 0;
}

SOCCR_API int libsoccr_set_addr(struct libsoccr_sk *sk, int self, union libsoccr_addr *addr, unsigned flags)
{
	if (!addr || !soccr_addr_len(addr)) {
		loge("Address family %d is neither AF_INET nor AF_INET6", addr ? addr->sa.sa_family : -1);
		return -EINVAL;
	}
	soccr_buf_set(&sk->addr[!!self], addr, flags & SOCCR_MEM_EXCL);
	return 0;
}

static int set_u32(int fd, int name, const char *what, uint32_t val)
{
	if (setsockopt(fd, SOL_TCP, name, &val, sizeof(val))) {
		logerr("Can't set %s to %u", what, val);
		return -errno;
	}
	return 0;
}

static int check_data(struct libsoccr_sk *sk, const struct libsoccr_sk_data *d, unsigned data_size)
{
	if (data_size < offsetof(struct libsoccr_sk_data, flags)) {
		loge("Connection data of %u bytes is too short", data_size);
		return -EINVAL;
	}
	if (!soccr_state_supported(d->state)) {
		loge("Can't restore a connection in state %s", soccr_state_name(d->state));
		return -EOPNOTSUPP;
	}
	if (!sk->addr[0].ptr || !sk->addr[1].ptr) {
		loge("Both addresses must be set before restore");
		return -EINVAL;
	}
	if ((d->inq_len && !sk->queue[SOCCR_Q_RECV].ptr) || (d->outq_len && !sk->queue[SOCCR_Q_SEND].ptr)) {
		loge("Queue bytes must be set before restore");
		return -EINVAL;
	}
	if (d->unsq_len > d->outq_len) {
		loge("Unsent data (%u) exceeds the send queue (%u)", d->unsq_len, d->outq_len);
		return -EINVAL;
	}
	return 0;
}

/* First sequence numbers of both queues, then bind and connect: no packet leaves. */
static int restore_endpoint(struct libsoccr_sk *sk, const struct libsoccr_sk_data *d)
{
	union libsoccr_addr *self = sk->addr[1].ptr, *peer = sk->addr[0].ptr;
	int ret;

	if ((ret = soccr_repair_queue(sk->fd, TCP_SEND_QUEUE)) ||
	    (ret = set_u32(sk->fd, TCP_QUEUE_SEQ, "send TCP_QUEUE_SEQ", d->outq_seq - d->outq_len)) ||
	    (ret = soccr_repair_queue(sk->fd, TCP_RECV_QUEUE)) ||
	    (ret = set_u32(sk->fd, TCP_QUEUE_SEQ, "receive TCP_QUEUE_SEQ", d->inq_seq - d->inq_len)))
		return ret;
	/*
	 * connect() sizes segments from the MSS clamp it sees; without this
	 * it sees the default (536) and TCP_REPAIR_OPTIONS comes too late.
	 * TCP_MAXSEG takes at most 32767 (loopback's clamp is 65495): a
	 * bigger clamp comes with TCP_REPAIR_OPTIONS only.
	 */
	if (d->mss_clamp && d->mss_clamp <= 32767 &&
	    (ret = set_u32(sk->fd, TCP_MAXSEG, "TCP_MAXSEG", d->mss_clamp)))
		return ret;

	/* Repair mode lets bind() share the port with the saved socket. */
	if (bind(sk->fd, &self->sa, soccr_addr_len(self))) {
		logerr("Can't bind fd %d to its saved address", sk->fd);
		return -errno;
	}
	if (connect(sk->fd, &peer->sa, soccr_addr_len(peer))) {
		logerr("Can't connect fd %d to its saved peer", sk->fd);
		return -errno;
	}
	return 0;
}

/* Negotiated options; the kernel takes them only before any data is queued. */
static int restore_opts(struct libsoccr_sk *sk, const struct libsoccr_sk_data *d)
{
	struct tcp_repair_opt opts[4];
	unsigned int n = 0;

	opts[n++] = (struct tcp_repair_opt){ TCPOPT_MAXSEG, d->mss_clamp };
	if (d->opt_mask & TCPI_OPT_WSCALE)
		opts[n++] = (struct tcp_repair_opt){ TCPOPT_WINDOW, d->snd_wscale | (d->rcv_wscale << 16) };
	if (d->opt_mask & TCPI_OPT_SACK)
		opts[n++] = (struct tcp_repair_opt){ TCPOPT_SACK_PERMITTED, 0 };
	if (d->opt_mask & TCPI_OPT_TIMESTAMPS)
		opts[n++] = (struct tcp_repair_opt){ TCPOPT_TIMESTAMP, 0 };
	if (setsockopt(sk->fd, SOL_TCP, TCP_REPAIR_OPTIONS, opts, n * sizeof(opts[0]))) {
		logerr("Can't set TCP_REPAIR_OPTIONS");
		return -errno;
	}
	/* Our timestamp clock goes on from where it was, so the peer's PAWS check passes. */
	if (d->opt_mask & TCPI_OPT_TIMESTAMPS)
		return set_u32(sk->fd, TCP_TIMESTAMP, "TCP_TIMESTAMP", d->timestamp);
	return 0;
}

/*
 * Grow a socket buffer that can't take the rest of a queue. The saved
 * socket held these bytes, so its buffer was at least as large; the
 * *FORCE options pass the sysctl limits (CAP_NET_ADMIN, which repair
 * mode needs anyway).
 */
static int grow_buffer(int fd, int queue_id)
{
	int name = queue_id == TCP_RECV_QUEUE ? SO_RCVBUF : SO_SNDBUF;
	int force = queue_id == TCP_RECV_QUEUE ? SO_RCVBUFFORCE : SO_SNDBUFFORCE;
	socklen_t len = sizeof(int);
	int size;

	if (getsockopt(fd, SOL_SOCKET, name, &size, &len))
		return -errno;
	/* The kernel doubles what it is given; this doubles the buffer. */
	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size))) {
		logerr("Can't grow the buffer of queue %d beyond %d bytes", queue_id, size);
		return -errno;
	}
	logd("Buffer of queue %d grown to %d bytes", queue_id, 2 * size);
	return 0;
}

/* Write @len bytes into queue @queue_id as repair mode directs them. */
static int fill_queue(int fd, int queue_id, const char *buf, uint32_t len)
{
	uint32_t done = 0;
	ssize_t n;
	int ret;

	while (done < len) {
		n = send(fd, buf + done, len - done < QUEUE_CHUNK ? len - done : QUEUE_CHUNK,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			done += n;
			continue;
		}
		if (n < 0 && (errno == ENOMEM || errno == EAGAIN)) {
			ret = grow_buffer(fd, queue_id);
			if (ret)
				return ret;
			continue;
		}
		logerr("Can't restore queue %d (%u of %u bytes written)", queue_id, done, len);
		return n < 0 ? -errno : -EIO;
	}
	return 0;
}

/*
 * The receive queue, then the sent-but-unacknowledged bytes: the kernel
 * marks them sent and retransmits them.
 */
static int restore_queues(struct libsoccr_sk *sk, const struct libsoccr_sk_data *d)
{
	const char *inq = sk->queue[SOCCR_Q_RECV].ptr, *outq = sk->queue[SOCCR_Q_SEND].ptr;
	uint32_t sent = d->outq_len - d->unsq_len;
	int ret;

	if (d->inq_len && ((ret = soccr_repair_queue(sk->fd, TCP_RECV_QUEUE)) ||
			   (ret = fill_queue(sk->fd, TCP_RECV_QUEUE, inq, d->inq_len))))
		return ret;
	if (sent && ((ret = soccr_repair_queue(sk->fd, TCP_SEND_QUEUE)) ||
		     (ret = fill_queue(sk->fd, TCP_SEND_QUEUE, outq, sent))))
		return ret;
	return 0;
}

/* The bytes never sent, written out of repair mode so they really go out. */
static int restore_unsent(struct libsoccr_sk *sk, const struct libsoccr_sk_data *d)
{
	const char *outq = sk->queue[SOCCR_Q_SEND].ptr;
	int ret;

	if (!d->unsq_len)
		return 0;
	if ((ret = soccr_repair_mode(sk->fd, TCP_REPAIR_OFF_NO_WP)) ||
	    (ret = fill_queue(sk->fd, TCP_SEND_QUEUE, outq + d->outq_len - d->unsq_len, d->unsq_len)))
		return ret;
	return soccr_repair_mode(sk->fd, 1);
}

static int restore_window(struct libsoccr_sk *sk, const struct libsoccr_sk_data *d, unsigned data_size)
{
	struct tcp_repair_window win;

	if (data_size < offsetof(struct libsoccr_sk_data, rcv_wup) + sizeof(d->rcv_wup) ||
	    !(d->flags & SOCCR_FLAGS_WINDOW))
		return 0;
	win = (struct tcp_repair_window){
		.snd_wl1 = d->snd_wl1,
		.snd_wnd = d->snd_wnd,
		.max_window = d->max_window,
		.rcv_wnd = d->rcv_wnd,
		.rcv_wup = d->rcv_wup,
	};
	/*
	 * The peer's FIN is not received yet: the kernel wants the window's
	 * left edge no further than what is (it moves on by itself later).
	 */
	if ((int32_t)(win.rcv_wup - d->inq_seq) > 0)
		win.rcv_wup = d->inq_seq;
	if (setsockopt(sk->fd, SOL_TCP, TCP_REPAIR_WINDOW, &win, sizeof(win))) {
		logerr("Can't set TCP_REPAIR_WINDOW");
		return -errno;
	}
	return 0;
}

/* Queue our FIN again with shutdown(). */
static int restore_our_fin(struct libsoccr_sk *sk)
{
	if (shutdown(sk->fd, SHUT_WR)) {
		logerr("Can't restore the FIN of fd %d", sk->fd);
		return -errno;
	}
	return 0;
}

/*
 * The FINs, in the order that leads to the saved state: the peer's first
 * for LAST_ACK (through CLOSE_WAIT), ours first for CLOSING (through
 * FIN_WAIT1).
 */
static int restore_fins(struct libsoccr_sk *sk, const struct libsoccr_sk_data *d)
{
	switch (d->state) {
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		return restore_our_fin(sk);
	case TCP_CLOSE_WAIT:
		return soccr_send_peer_fin(sk, d, TCP_CLOSE_WAIT);
	case TCP_LAST_ACK:
		return soccr_send_peer_fin(sk, d, TCP_CLOSE_WAIT) ?: restore_our_fin(sk);
	case TCP_CLOSING:
		return restore_our_fin(sk) ?: soccr_send_peer_fin(sk, d, TCP_CLOSING);
	}
	return 0;
}

SOCCR_API int libsoccr_restore(struct libsoccr_sk *sk, struct libsoccr_sk_data *data, unsigned data_size)
{
	struct libsoccr_sk_data d = { 0 };
	int ret;

	memcpy(&d, data, data_size < sizeof(d) ? data_size : sizeof(d));
	ret = check_data(sk, &d, data_size);
	if (ret)
		return ret;

	/* The window before anything that may really be sent: it allows sending. */
	if ((ret = restore_endpoint(sk, &d)) || (ret = restore_opts(sk, &d)) ||
	    (ret = restore_queues(sk, &d)) || (ret = restore_window(sk, &d, data_size)) ||
	    (ret = restore_unsent(sk, &d)) || (ret = restore_fins(sk, &d)))
		return ret;
	logd("fd %d restored: %s, in %u@%u, out %u@%u (%u unsent)", sk->fd, soccr_state_name(d.state),
	     d.inq_len, d.inq_seq, d.outq_len, d.outq_seq, d.unsq_len);
	return 0;
}
