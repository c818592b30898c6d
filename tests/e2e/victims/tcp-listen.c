// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Inet sockets that carry no connection:
 *  - a TCP listener on 127.0.0.1 (SO_REUSEADDR, O_NONBLOCK, backlog 5);
 *  - a TCP listener on ::1 (IPV6_V6ONLY, backlog 3);
 *  - a TCP socket bound to 127.0.0.1, not listening;
 *  - an unbound TCP socket with TCP_NODELAY and SO_KEEPALIVE;
 *  - a UDP socket bound to 127.0.0.1 and one on ::1;
 *  - a UDP socket connected to the first one (bound by the connect).
 * Afterwards every socket has its address, options and flags, both
 * listeners accept a new connection that carries data both ways, the
 * bound socket can still listen, and datagrams go between the UDP sockets.
 * With --pending yes, a connection to the IPv6 listener is left not yet
 * accepted, which crtool cannot dump: the dump must fail naming the fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "victim.h"

union addr {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

struct sock {
	const char *what;
	int fd;
	union addr addr; /* what getsockname() gave at setup */
};

static struct sock lsn4 = {.what = "the IPv4 listener"}, lsn6 = {.what = "the IPv6 listener"},
		   bound = {.what = "the bound TCP socket"},
		   unbound = {.what = "the unbound TCP socket"},
		   udp4 = {.what = "the IPv4 UDP socket"}, udp6 = {.what = "the IPv6 UDP socket"},
		   udp_conn = {.what = "the connected UDP socket"};
static int with_pending, pending = -1;
static struct sock *const all[] = {&lsn4, &lsn6, &bound, &unbound, &udp4, &udp6, &udp_conn};

static int option(const char *name, const char *value)
{
	if (strcmp(name, "pending") || strcmp(value, "yes"))
		return -1;
	with_pending = 1;
	return 0;
}

static int loopback(int family, union addr *a)
{
	memset(a, 0, sizeof(*a));
	a->sa.sa_family = family;
	if (family == AF_INET6) {
		a->v6.sin6_addr = in6addr_loopback;
		return sizeof(a->v6);
	}
	a->v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(a->v4);
}

static int set_int(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

static int get_int(int fd, int level, int opt)
{
	int val = -1;
	socklen_t len = sizeof(val);

	getsockopt(fd, level, opt, &val, &len);
	return val;
}

/* A socket of @s, bound to loopback port 0 when @bind_it. */
static int open_sock(struct sock *s, int family, int type, int bind_it)
{
	union addr a;
	socklen_t len = loopback(family, &a);

	s->fd = socket(family, type, 0);
	if (s->fd < 0)
		return victim_fail("%s: socket: %m", s->what);
	if (family == AF_INET6 && set_int(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, 1))
		return victim_fail("%s: IPV6_V6ONLY: %m", s->what);
	if (bind_it && bind(s->fd, &a.sa, len))
		return victim_fail("%s: bind: %m", s->what);
	return 0;
}

static int name_of(struct sock *s)
{
	socklen_t len = sizeof(s->addr);

	if (getsockname(s->fd, &s->addr.sa, &len))
		return victim_fail("%s: getsockname: %m", s->what);
	return 0;
}

static int setup(void)
{
	union addr a;
	socklen_t len = loopback(AF_INET, &a);

	if (open_sock(&lsn4, AF_INET, SOCK_STREAM, 0))
		return -1;
	if (set_int(lsn4.fd, SOL_SOCKET, SO_REUSEADDR, 1) || bind(lsn4.fd, &a.sa, len) ||
	    listen(lsn4.fd, 5) || fcntl(lsn4.fd, F_SETFL, O_NONBLOCK))
		return victim_fail("%s: %m", lsn4.what);
	if (open_sock(&lsn6, AF_INET6, SOCK_STREAM, 1) || listen(lsn6.fd, 3))
		return victim_fail("%s: listen: %m", lsn6.what);
	if (open_sock(&bound, AF_INET, SOCK_STREAM, 1) ||
	    open_sock(&unbound, AF_INET, SOCK_STREAM, 0))
		return -1;
	if (set_int(unbound.fd, IPPROTO_TCP, TCP_NODELAY, 1) ||
	    set_int(unbound.fd, SOL_SOCKET, SO_KEEPALIVE, 1))
		return victim_fail("%s: options: %m", unbound.what);
	if (open_sock(&udp4, AF_INET, SOCK_DGRAM, 1) || open_sock(&udp6, AF_INET6, SOCK_DGRAM, 1) ||
	    open_sock(&udp_conn, AF_INET, SOCK_DGRAM, 0))
		return -1;
	if (name_of(&udp4))
		return -1;
	if (connect(udp_conn.fd, &udp4.addr.sa, sizeof(udp4.addr.v4)))
		return victim_fail("%s: connect: %m", udp_conn.what);
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++)
		if (name_of(all[i]))
			return -1;
	if (with_pending) {
		pending = socket(AF_INET6, SOCK_STREAM, 0);
		if (pending < 0 || connect(pending, &lsn6.addr.sa, sizeof(lsn6.addr.v6)))
			return victim_fail("the pending connection: %m");
	}
	return 0;
}

static int check_name(struct sock *s)
{
	union addr a;
	socklen_t len = sizeof(a);

	if (getsockname(s->fd, &a.sa, &len))
		return victim_fail("%s: getsockname: %m", s->what);
	if (memcmp(&a, &s->addr, len))
		return victim_fail("%s: its address changed", s->what);
	return 0;
}

/* Data both ways between @a and @b. */
static int exchange(const char *what, int a, int b)
{
	char buf[16];

	if (send(a, "ping", 4, 0) != 4 || recv(b, buf, sizeof(buf), 0) != 4 ||
	    memcmp(buf, "ping", 4) || send(b, "pong", 4, 0) != 4 ||
	    recv(a, buf, sizeof(buf), 0) != 4 || memcmp(buf, "pong", 4))
		return victim_fail("%s: no data both ways: %m", what);
	return 0;
}

/* @s takes a new connection. */
static int check_accepts(struct sock *s)
{
	int family = s->addr.sa.sa_family;
	struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
	char buf[4];
	int client = socket(family, SOCK_STREAM, 0), conn, ret;

	if (client < 0 || connect(client, &s->addr.sa,
				  family == AF_INET6 ? sizeof(s->addr.v6) : sizeof(s->addr.v4)))
		return victim_fail("%s: connect: %m", s->what);
	if (poll(&pfd, 1, 10000) != 1)
		return victim_fail("%s: no connection to accept", s->what);
	conn = accept(s->fd, NULL, NULL);
	if (conn < 0)
		return victim_fail("%s: accept: %m", s->what);
	ret = exchange(s->what, client, conn);
	/*
	 * The client closes first: its port, not the listener's, is left in
	 * TIME_WAIT, which would keep a later restore from binding it.
	 */
	close(client);
	if (!ret && recv(conn, buf, sizeof(buf), 0))
		ret = victim_fail("%s: no end of stream after the client closed: %m", s->what);
	close(conn);
	return ret;
}

static int check(void)
{
	union addr from;
	socklen_t len = sizeof(from);
	char buf[16];
	int tmp;

	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++)
		if (check_name(all[i]))
			return -1;
	if (!lsn4.addr.v4.sin_port || !lsn6.addr.v6.sin6_port || !bound.addr.v4.sin_port ||
	    unbound.addr.v4.sin_port)
		return victim_fail("a port is not as it was bound");
	if (get_int(lsn4.fd, SOL_SOCKET, SO_REUSEADDR) != 1 ||
	    !(fcntl(lsn4.fd, F_GETFL) & O_NONBLOCK))
		return victim_fail("%s: SO_REUSEADDR or O_NONBLOCK lost", lsn4.what);
	if (get_int(lsn6.fd, IPPROTO_IPV6, IPV6_V6ONLY) != 1 ||
	    (fcntl(lsn6.fd, F_GETFL) & O_NONBLOCK))
		return victim_fail("%s: IPV6_V6ONLY lost or O_NONBLOCK set", lsn6.what);
	if (get_int(lsn4.fd, SOL_SOCKET, SO_ACCEPTCONN) != 1 ||
	    get_int(lsn6.fd, SOL_SOCKET, SO_ACCEPTCONN) != 1 ||
	    get_int(bound.fd, SOL_SOCKET, SO_ACCEPTCONN) != 0)
		return victim_fail("the listeners do not listen, or the bound socket does");
	if (get_int(unbound.fd, IPPROTO_TCP, TCP_NODELAY) != 1 ||
	    get_int(unbound.fd, SOL_SOCKET, SO_KEEPALIVE) != 1)
		return victim_fail("%s: TCP_NODELAY or SO_KEEPALIVE lost", unbound.what);
	/* The pending connection first: it is the first one accept() gives. */
	if (pending >= 0 && (tmp = accept(lsn6.fd, NULL, NULL)) < 0)
		return victim_fail("the pending connection is gone: %m");
	if (pending >= 0) {
		close(tmp);
		close(pending);
	}
	if (check_accepts(&lsn4) || check_accepts(&lsn6))
		return -1;
	if (listen(bound.fd, 1) || check_accepts(&bound))
		return victim_fail("%s cannot listen: %m", bound.what);
	/* Datagrams: from the connected socket, and back to it. */
	if (send(udp_conn.fd, "dgram", 5, 0) != 5 ||
	    recvfrom(udp4.fd, buf, sizeof(buf), 0, &from.sa, &len) != 5 ||
	    memcmp(buf, "dgram", 5) || memcmp(&from, &udp_conn.addr, sizeof(from.v4)))
		return victim_fail("%s: no datagram to %s: %m", udp_conn.what, udp4.what);
	if (sendto(udp4.fd, "back", 4, 0, &udp_conn.addr.sa, sizeof(udp_conn.addr.v4)) != 4 ||
	    recv(udp_conn.fd, buf, sizeof(buf), 0) != 4 || memcmp(buf, "back", 4))
		return victim_fail("%s: no datagram back: %m", udp_conn.what);
	tmp = socket(AF_INET6, SOCK_DGRAM, 0);
	if (tmp < 0 || sendto(tmp, "six", 3, 0, &udp6.addr.sa, sizeof(udp6.addr.v6)) != 3 ||
	    recv(udp6.fd, buf, sizeof(buf), 0) != 3 || memcmp(buf, "six", 3))
		return victim_fail("%s: no datagram: %m", udp6.what);
	close(tmp);
	return 0;
}

const struct victim victim = {.option = option, .setup = setup, .check = check};
