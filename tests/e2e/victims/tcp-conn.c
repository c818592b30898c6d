// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Established TCP connections (dumped and restored with --tcp-established).
 *
 * By default, both ends in the tree: a listener on 127.0.0.1; a connection
 * to it whose accepted end stays here and whose other end a child keeps;
 * 2000 bytes sent to the accepted end and 3000 to the child's end, read by
 * nobody. Afterwards each end reads exactly the bytes it had not read, then
 * 100000 bytes go each way, and the listener (sharing its port with the
 * accepted end) takes a new connection.
 *
 * With --peer PORT --go FILE, one connection to a peer outside the tree
 * listening on 127.0.0.1:PORT (tcp-peer.py), which sends PEER_BYTES at
 * once and then reads nothing until FILE exists: our first TO_PEER bytes
 * fill its window, the rest of what we could write waits in our send
 * queue (sent and unacknowledged, or unsent). Afterwards we read exactly
 * PEER_BYTES, create FILE, send the rest of TO_PEER bytes and shut our
 * side down; the peer answers "OK <bytes> <crc32>" of all it received,
 * which must be all we sent, in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "victim.h"

#define TO_SERVER 2000
#define TO_CLIENT 3000
#define EACH_WAY 100000
/* What tcp-peer.py sends (byte i is (i * 7 + 3) & 0xff), and what we send it. */
#define PEER_BYTES 5000
#define TO_PEER 1000000

static int peer_port, lsn = -1, server = -1, client = -1, go_pipe[2] = {-1, -1};
static const char *go_file;
static pid_t child;
static struct sockaddr_in lsn_addr;
static unsigned char *to_peer;
static size_t sent;

static int option(const char *name, const char *value)
{
	if (!strcmp(name, "peer"))
		peer_port = atoi(value);
	else if (!strcmp(name, "go"))
		go_file = value;
	else
		return -1;
	return 0;
}

static int connect_to(const struct sockaddr_in *a)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)a, sizeof(*a)))
		return -1;
	return fd;
}

/* Wait until @fd has @len bytes to read, no more. */
static int wait_queued(const char *what, int fd, int len)
{
	int queued = 0;

	for (int i = 0; i < 1000; i++) {
		if (ioctl(fd, FIONREAD, &queued))
			return victim_fail("%s: FIONREAD: %m", what);
		if (queued >= len)
			break;
		usleep(10000);
	}
	if (queued != len)
		return victim_fail("%s: %d bytes queued, not %d", what, queued, len);
	return 0;
}

static int send_all(const char *what, int fd, const void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL);

		if (n <= 0)
			return victim_fail("%s: send: %m", what);
		done += n;
	}
	return 0;
}

static int recv_all(const char *what, int fd, void *buf, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = recv(fd, (char *)buf + done, len - done, 0);

		if (n <= 0)
			return victim_fail("%s: %zu of %zu bytes, then: %s", what, done, len,
					   n ? strerror(errno) : "end of stream");
		done += n;
	}
	return 0;
}

/* @fd gives exactly @len bytes of pattern @seed, then nothing more for now. */
static int check_unread(const char *what, int fd, size_t len, unsigned int seed)
{
	unsigned char *buf = malloc(len + 1);
	int ret = -1;

	if (!buf)
		return victim_fail("out of memory");
	if (!recv_all(what, fd, buf, len) && !victim_check_pattern(what, buf, len, seed)) {
		ssize_t n = recv(fd, buf, 1, MSG_DONTWAIT);

		if (n != -1 || errno != EAGAIN)
			victim_fail("%s: after the bytes queued, not nothing but %s", what,
				    n > 0 ? "more"
				    : n	  ? strerror(errno)
					  : "the end");
		else
			ret = 0;
	}
	free(buf);
	return ret;
}

/* Send EACH_WAY bytes of pattern @seed on @fd; recv_pattern() takes them. */
static int send_pattern(const char *what, int fd, unsigned int seed)
{
	unsigned char *buf = malloc(EACH_WAY);
	int ret;

	if (!buf)
		return victim_fail("out of memory");
	victim_fill(buf, EACH_WAY, seed);
	ret = send_all(what, fd, buf, EACH_WAY);
	free(buf);
	return ret;
}

static int recv_pattern(const char *what, int fd, unsigned int seed)
{
	unsigned char *buf = malloc(EACH_WAY);
	int ret;

	if (!buf)
		return victim_fail("out of memory");
	ret = recv_all(what, fd, buf, EACH_WAY);
	if (!ret)
		ret = victim_check_pattern(what, buf, EACH_WAY, seed);
	free(buf);
	return ret;
}

/* The child's end, once told to go: 1 on failure (its reason on stderr). */
static int child_check(void)
{
	char go;

	if (read(go_pipe[0], &go, 1) != 1)
		return 1;
	if (check_unread("the child's end", client, TO_CLIENT, 2) ||
	    send_pattern("the child's end", client, 3) ||
	    recv_pattern("the child's end", client, 4)) {
		fprintf(stderr, "child: failed\n");
		return 1;
	}
	return 0;
}

static int setup_loopback(void)
{
	socklen_t len = sizeof(lsn_addr);
	unsigned char buf[TO_CLIENT];

	lsn_addr.sin_family = AF_INET;
	lsn_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lsn = socket(AF_INET, SOCK_STREAM, 0);
	if (lsn < 0 || bind(lsn, (struct sockaddr *)&lsn_addr, sizeof(lsn_addr)) ||
	    listen(lsn, 4) || getsockname(lsn, (struct sockaddr *)&lsn_addr, &len))
		return victim_fail("the listener: %m");
	client = connect_to(&lsn_addr);
	server = client < 0 ? -1 : accept(lsn, NULL, NULL);
	if (server < 0 || pipe(go_pipe))
		return victim_fail("connect, accept or pipe: %m");
	victim_fill(buf, TO_SERVER, 1);
	if (send_all("the client", client, buf, TO_SERVER))
		return -1;
	victim_fill(buf, TO_CLIENT, 2);
	if (send_all("the server", server, buf, TO_CLIENT) ||
	    wait_queued("the server", server, TO_SERVER) ||
	    wait_queued("the client", client, TO_CLIENT))
		return -1;
	child = fork();
	if (child < 0)
		return victim_fail("fork: %m");
	if (!child) {
		close(lsn);
		close(server);
		close(go_pipe[1]);
		_exit(child_check());
	}
	close(client);
	close(go_pipe[0]);
	return 0;
}

static int setup_peer(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(peer_port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct timeval tmo = {.tv_sec = 20};
	int sndbuf = 32768;
	ssize_t n;

	if (!go_file)
		return victim_fail("--peer goes with --go FILE");
	to_peer = malloc(TO_PEER);
	if (!to_peer)
		return victim_fail("out of memory");
	victim_fill(to_peer, TO_PEER, 5);
	client = socket(AF_INET, SOCK_STREAM, 0);
	/* A small send buffer: most of TO_PEER is sent after the restore. */
	if (client < 0 || setsockopt(client, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) ||
	    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo)) ||
	    setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tmo, sizeof(tmo)) ||
	    connect(client, (struct sockaddr *)&a, sizeof(a)))
		return victim_fail("connect to the peer on port %d: %m", peer_port);
	if (wait_queued("the connection to the peer", client, PEER_BYTES))
		return -1;
	/* Until the peer's window and our send buffer are full. */
	while ((n = send(client, to_peer + sent, TO_PEER - sent, MSG_DONTWAIT | MSG_NOSIGNAL)) > 0)
		sent += n;
	if (errno != EAGAIN || sent == TO_PEER)
		return victim_fail("the peer took %zu bytes at once: %m", sent);
	/*
	 * The peer's delayed ACKs of what it took come in before we say we
	 * are ready: crtool has no network lock, and a segment that arrives
	 * once the dump has closed our socket is answered with a reset.
	 */
	usleep(300 * 1000);
	return 0;
}

static int setup(void)
{
	return peer_port ? setup_peer() : setup_loopback();
}

static uint32_t crc32_of(const unsigned char *p, size_t len)
{
	uint32_t crc = ~0u;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static int check_peer(void)
{
	unsigned char got[PEER_BYTES];
	char reply[128], want[128];
	size_t len = 0;
	ssize_t n;
	int fd;

	if (recv_all("the connection to the peer", client, got, PEER_BYTES))
		return -1;
	for (int i = 0; i < PEER_BYTES; i++)
		if (got[i] != ((i * 7 + 3) & 0xff))
			return victim_fail("byte %d from the peer is %u", i, got[i]);
	if (recv(client, got, 1, MSG_DONTWAIT) != -1 || errno != EAGAIN)
		return victim_fail("the peer sent more than %d bytes", PEER_BYTES);
	fd = open(go_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return victim_fail("cannot create %s: %m", go_file);
	close(fd);
	if (send_all("the rest to the peer", client, to_peer + sent, TO_PEER - sent))
		return -1;
	if (shutdown(client, SHUT_WR))
		return victim_fail("shutdown: %m");
	while (len < sizeof(reply) - 1 &&
	       (n = recv(client, reply + len, sizeof(reply) - 1 - len, 0)) > 0)
		len += n;
	reply[len] = '\0';
	snprintf(want, sizeof(want), "OK %d %u\n", TO_PEER, crc32_of(to_peer, TO_PEER));
	if (strcmp(reply, want))
		return victim_fail("the peer answered '%s', not '%.*s' (%zu bytes sent before the "
				   "dump)",
				   reply, (int)strlen(want) - 1, want, sent);
	return 0;
}

static int check_loopback(void)
{
	struct pollfd pfd = {.fd = lsn, .events = POLLIN};
	char why[128];
	int c, a;

	/* Before the child sends more. */
	if (check_unread("the accepted end", server, TO_SERVER, 1))
		return -1;
	if (write(go_pipe[1], "g", 1) != 1)
		return victim_fail("cannot tell the child to go: %m");
	if (recv_pattern("the accepted end", server, 3) ||
	    send_pattern("the accepted end", server, 4))
		return -1;
	if (victim_reap(child, why, sizeof(why)))
		return victim_fail("the child's end: %s", why);
	c = connect_to(&lsn_addr);
	if (c < 0 || poll(&pfd, 1, 10000) != 1 || (a = accept(lsn, NULL, NULL)) < 0)
		return victim_fail("the listener takes no new connection: %m");
	if (send_all("a new connection", c, "new", 3) || recv_all("a new connection", a, why, 3) ||
	    memcmp(why, "new", 3))
		return -1;
	close(a);
	close(c);
	return 0;
}

static int check(void)
{
	return peer_port ? check_peer() : check_loopback();
}

const struct victim victim = {.option = option, .setup = setup, .check = check};
