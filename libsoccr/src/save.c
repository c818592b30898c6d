// SPDX-License-Identifier: LGPL-2.1-or-later
/* Checkpoint: read a paused connection's state and queues out of the kernel. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>

#include "soccr-int.h"
#include "soccr-log.h"

static int get_u32(int fd, int name, const char *what, uint32_t *val)
{
	socklen_t len = sizeof(*val);

	if (getsockopt(fd, SOL_TCP, name, val, &len)) {
		logerr("Can't read %s", what);
		return -errno;
	}
	return 0;
}

static int queue_len(int fd, unsigned long req, const char *what, uint32_t *val)
{
	int len;

	if (ioctl(fd, req, &len)) {
		logerr("Can't read the %s length", what);
		return -errno;
	}
	*val = len;
	return 0;
}

static int queue_seq(int fd, int queue_id, uint32_t *seq)
{
	int ret = soccr_repair_queue(fd, queue_id);

	if (ret)
		return ret;
	return get_u32(fd, TCP_QUEUE_SEQ, "TCP_QUEUE_SEQ", seq);
}

/*
 * Sequence numbers and queue lengths. The kernel counts a FIN in the
 * sequence space; the saved numbers leave both FINs out, the state says
 * which were there, and restore adds them back.
 */
static int save_seqs(struct libsoccr_sk *sk, struct libsoccr_sk_data *d)
{
	int fd = sk->fd, ret;

	if ((ret = queue_len(fd, SIOCINQ, "receive queue", &d->inq_len)) ||
	    (ret = queue_len(fd, SIOCOUTQ, "send queue", &d->outq_len)) ||
	    (ret = queue_len(fd, SIOCOUTQNSD, "unsent queue", &d->unsq_len)) ||
	    (ret = queue_seq(fd, TCP_RECV_QUEUE, &d->inq_seq)) ||
	    (ret = queue_seq(fd, TCP_SEND_QUEUE, &d->outq_seq)))
		return ret;

	if (soccr_state_fin_sent(d->state)) {
		d->outq_seq--;
		if (d->outq_len)
			d->outq_len--;
		if (d->unsq_len)
			d->unsq_len--;
	}
	if (soccr_state_fin_received(d->state))
		d->inq_seq--;
	if (d->unsq_len > d->outq_len) {
		loge("Unsent data (%u) exceeds the send queue (%u)", d->unsq_len, d->outq_len);
		return -EIO;
	}
	return 0;
}

static int save_opts(struct libsoccr_sk *sk, const struct tcp_info *ti, struct libsoccr_sk_data *d)
{
	struct tcp_repair_window win;
	socklen_t len = sizeof(win);
	int ret;

	d->opt_mask = ti->tcpi_options;
	if (d->opt_mask & TCPI_OPT_WSCALE) {
		d->snd_wscale = ti->tcpi_snd_wscale;
		d->rcv_wscale = ti->tcpi_rcv_wscale;
	}
	/* In repair mode TCP_MAXSEG reads the MSS clamp. */
	ret = get_u32(sk->fd, TCP_MAXSEG, "TCP_MAXSEG", &d->mss_clamp);
	if (ret)
		return ret;
	if (d->opt_mask & TCPI_OPT_TIMESTAMPS) {
		ret = get_u32(sk->fd, TCP_TIMESTAMP, "TCP_TIMESTAMP", &d->timestamp);
		if (ret)
			return ret;
	}

	if (getsockopt(sk->fd, SOL_TCP, TCP_REPAIR_WINDOW, &win, &len)) {
		logerr("Can't read TCP_REPAIR_WINDOW");
		return -errno;
	}
	d->flags |= SOCCR_FLAGS_WINDOW;
	d->snd_wl1 = win.snd_wl1;
	d->snd_wnd = win.snd_wnd;
	d->max_window = win.max_window;
	d->rcv_wnd = win.rcv_wnd;
	d->rcv_wup = win.rcv_wup;
	return 0;
}

/* Copy @len bytes of queue @queue_id out with MSG_PEEK (repair mode allows only that). */
static int save_queue(struct libsoccr_sk *sk, int queue_id, uint32_t len)
{
	ssize_t got;
	char *buf;
	int ret;

	soccr_buf_set(&sk->queue[soccr_queue_index(queue_id)], NULL, false);
	if (!len)
		return 0;
	ret = soccr_repair_queue(sk->fd, queue_id);
	if (ret)
		return ret;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	got = recv(sk->fd, buf, len, MSG_PEEK | MSG_DONTWAIT);
	if (got != (ssize_t)len) {
		ret = got < 0 ? -errno : -EIO;
		if (got < 0)
			logerr("Can't read queue %d", queue_id);
		else
			loge("Queue %d gave %zd bytes, %u expected", queue_id, got, len);
		free(buf);
		return ret;
	}
	soccr_buf_set(&sk->queue[soccr_queue_index(queue_id)], buf, true);
	return 0;
}

SOCCR_API int libsoccr_save(struct libsoccr_sk *sk, struct libsoccr_sk_data *data, unsigned data_size)
{
	struct libsoccr_sk_data d = { 0 };
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	int ret;

	if (getsockopt(sk->fd, SOL_TCP, TCP_INFO, &ti, &len)) {
		logerr("Can't read TCP_INFO");
		return -errno;
	}
	d.state = ti.tcpi_state;
	if (d.state == TCP_CLOSE) {
		loge("fd %d is not connected", sk->fd);
		return -ENOTCONN;
	}
	if (!soccr_state_supported(d.state)) {
		loge("fd %d is in state %s, which can't be saved", sk->fd, soccr_state_name(d.state));
		return -EOPNOTSUPP;
	}

	if ((ret = save_seqs(sk, &d)) || (ret = save_opts(sk, &ti, &d)) ||
	    (ret = save_queue(sk, TCP_RECV_QUEUE, d.inq_len)) ||
	    (ret = save_queue(sk, TCP_SEND_QUEUE, d.outq_len)))
		return ret;

	logd("fd %d saved: %s, in %u@%u, out %u@%u (%u unsent)", sk->fd, soccr_state_name(d.state),
	     d.inq_len, d.inq_seq, d.outq_len, d.outq_seq, d.unsq_len);
	if (data_size > sizeof(d))
		data_size = sizeof(d);
	memcpy(data, &d, data_size);
	return data_size;
}

SOCCR_API char *libsoccr_get_queue_bytes(struct libsoccr_sk *sk, int queue_id, unsigned flags)
{
	int i = soccr_queue_index(queue_id);

	if (i < 0)
		return NULL;
	return soccr_buf_get(&sk->queue[i], flags);
}

SOCCR_API union libsoccr_addr *libsoccr_get_addr(struct libsoccr_sk *sk, int self, unsigned flags)
{
	struct soccr_buf *buf = &sk->addr[!!self];
	socklen_t len = sizeof(union libsoccr_addr);
	union libsoccr_addr *addr;
	int ret;

	if (!buf->ptr) {
		addr = calloc(1, sizeof(*addr));
		if (!addr) {
			errno = ENOMEM;
			return NULL;
		}
		ret = self ? getsockname(sk->fd, &addr->sa, &len) : getpeername(sk->fd, &addr->sa, &len);
		if (ret) {
			ret = errno;
			logerr("Can't read the %s address of fd %d", self ? "local" : "peer", sk->fd);
			free(addr);
			errno = ret;
			return NULL;
		}
		soccr_buf_set(buf, addr, true);
	}
	return soccr_buf_get(buf, flags);
}
