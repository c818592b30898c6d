// SPDX-License-Identifier: LGPL-2.1-or-later
/* The repair handle: pause, resume, release, and the helpers they share. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "soccr-int.h"
#include "soccr-log.h"

void soccr_buf_set(struct soccr_buf *buf, void *ptr, bool owned)
{
	if (buf->owned)
		free(buf->ptr);
	buf->ptr = ptr;
	buf->owned = owned;
}

void *soccr_buf_get(struct soccr_buf *buf, unsigned flags)
{
	void *ptr = buf->ptr;

	if (flags & SOCCR_MEM_EXCL) {
		/* The caller takes it over: forget it, never free it. */
		buf->ptr = NULL;
		buf->owned = false;
	}
	return ptr;
}

int soccr_queue_index(int queue_id)
{
	if (queue_id == TCP_RECV_QUEUE)
		return SOCCR_Q_RECV;
	if (queue_id == TCP_SEND_QUEUE)
		return SOCCR_Q_SEND;
	return -1;
}

int soccr_repair_queue(int fd, int queue_id)
{
	if (setsockopt(fd, SOL_TCP, TCP_REPAIR_QUEUE, &queue_id, sizeof(queue_id))) {
		logerr("Can't select repair queue %d", queue_id);
		return -errno;
	}
	return 0;
}

int soccr_repair_mode(int fd, int mode)
{
	if (setsockopt(fd, SOL_TCP, TCP_REPAIR, &mode, sizeof(mode))) {
		logerr("Can't set TCP_REPAIR to %d", mode);
		return -errno;
	}
	return 0;
}

int soccr_tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &len)) {
		logerr("Can't read TCP_INFO");
		return -errno;
	}
	return ti.tcpi_state;
}

unsigned int soccr_addr_len(const union libsoccr_addr *addr)
{
	if (addr->sa.sa_family == AF_INET)
		return sizeof(addr->v4);
	if (addr->sa.sa_family == AF_INET6)
		return sizeof(addr->v6);
	return 0;
}

static int sockopt_int(int fd, int level, int name, int *val)
{
	socklen_t len = sizeof(*val);

	if (getsockopt(fd, level, name, val, &len))
		return -errno;
	return 0;
}

/* Refuse anything but a TCP socket over IPv4/IPv6 that we can save or fill. */
static int check_socket(int fd)
{
	int domain, type, proto, state, ret;

	ret = sockopt_int(fd, SOL_SOCKET, SO_TYPE, &type);
	if (ret) {
		errno = -ret;
		logerr("fd %d is not a socket", fd);
		return ret;
	}
	if (sockopt_int(fd, SOL_SOCKET, SO_DOMAIN, &domain) ||
	    sockopt_int(fd, SOL_SOCKET, SO_PROTOCOL, &proto))
		return -errno;
	if ((domain != AF_INET && domain != AF_INET6) || type != SOCK_STREAM || proto != IPPROTO_TCP) {
		loge("fd %d is not a TCP socket (domain %d type %d protocol %d)", fd, domain, type, proto);
		return -EPROTONOSUPPORT;
	}

	state = soccr_tcp_state(fd);
	if (state < 0)
		return state;
	if (state == TCP_LISTEN) {
		loge("fd %d is a listening socket, not a connection", fd);
		return -EOPNOTSUPP;
	}
	if (state != TCP_CLOSE && !soccr_state_supported(state)) {
		loge("fd %d is in state %s, which can't be repaired", fd, soccr_state_name(state));
		return -EOPNOTSUPP;
	}
	return 0;
}

SOCCR_API struct libsoccr_sk *libsoccr_pause(int fd)
{
	struct libsoccr_sk *sk;
	int reuse, ret;

	ret = check_socket(fd);
	if (ret)
		goto err;
	/* Repair mode overrides SO_REUSEADDR; remember it to put it back. */
	ret = sockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, &reuse);
	if (ret)
		goto err;

	sk = calloc(1, sizeof(*sk));
	if (!sk) {
		ret = -ENOMEM;
		goto err;
	}
	sk->fd = fd;
	sk->reuseaddr = reuse != 0;

	ret = soccr_repair_mode(fd, 1);
	if (ret) {
		free(sk);
		goto err;
	}
	logd("fd %d paused", fd);
	return sk;
err:
	errno = -ret;
	return NULL;
}

static void sk_free(struct libsoccr_sk *sk)
{
	unsigned int i;

	for (i = 0; i < SOCCR_Q_NR; i++)
		soccr_buf_set(&sk->queue[i], NULL, false);
	for (i = 0; i < 2; i++)
		soccr_buf_set(&sk->addr[i], NULL, false);
	free(sk);
}

SOCCR_API void libsoccr_resume(struct libsoccr_sk *sk)
{
	int one = 1;

	if (!sk)
		return;
	soccr_repair_mode(sk->fd, TCP_REPAIR_OFF);
	if (sk->reuseaddr && setsockopt(sk->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		logerr("Can't set SO_REUSEADDR back on fd %d", sk->fd);
	logd("fd %d resumed", sk->fd);
	sk_free(sk);
}

SOCCR_API void libsoccr_release(struct libsoccr_sk *sk)
{
	if (sk)
		sk_free(sk);
}
