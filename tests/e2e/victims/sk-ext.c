// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A unix socket whose peer is outside the tree: a server process that is
 * no descendant of this one (forked by a child that exits at once) echoes
 * every datagram back to its sender's name. Here, a datagram socket bound
 * to a path of its own is connected to the server's path, with one echo
 * left unread. Needs dump --ext-unix-sk. Afterwards the echo is there and
 * a new datagram sent on the connected socket comes back echoed.
 * With --stream yes, a stream socketpair's other end is with the server,
 * which crtool refuses even with --ext-unix-sk.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

/* The server gives up on its own after this long without a message. */
#define SERVER_IDLE_MS 60000

static int client, stream_sk[2] = {-1, -1}, with_stream;
static struct sockaddr_un server_addr;

static int option(const char *name, const char *value)
{
	if (strcmp(name, "stream") || strcmp(value, "yes"))
		return -1;
	with_stream = 1;
	return 0;
}

/* Echo each datagram to its sender until "quit" or a long silence. */
static void serve(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char buf[256], reply[300];

	while (poll(&p, 1, SERVER_IDLE_MS) == 1) {
		struct sockaddr_un from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &len);

		if (n < 0 || (n == 4 && !memcmp(buf, "quit", 4)))
			break;
		buf[n] = '\0';
		n = snprintf(reply, sizeof(reply), "echo:%s", buf);
		if (len > sizeof(sa_family_t))
			sendto(fd, reply, n, 0, (struct sockaddr *)&from, len);
	}
	_exit(0);
}

/* The server, bound before this returns, in a process outside our tree. */
static int start_server(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0), status;
	pid_t mid;

	if (fd < 0 || bind(fd, (struct sockaddr *)&server_addr, sizeof(server_addr)))
		return victim_fail("the server's bind: %m");
	mid = fork();
	if (mid < 0)
		return victim_fail("fork: %m");
	if (mid == 0) {
		if (fork() == 0) {
			/* Our session and group ids would keep our pid taken. */
			setsid();
			close(client);
			close(stream_sk[0]);
			serve(fd);
		}
		_exit(0);
	}
	close(fd);
	close(stream_sk[1]);
	if (waitpid(mid, &status, 0) != mid)
		return victim_fail("waitpid: %m");
	return 0;
}

static int expect(const char *want)
{
	char buf[300];
	ssize_t n = recv(client, buf, sizeof(buf), 0);

	if (n != (ssize_t)strlen(want) || memcmp(buf, want, n))
		return victim_fail("the server's echo '%s' did not come (%zd: %m)", want, n);
	return 0;
}

static int setup(void)
{
	struct timeval tv = {.tv_sec = 10};
	struct pollfd p = {.events = POLLIN};
	struct sockaddr_un own;

	if (victim_unix_path(&server_addr, "server.sock") || victim_unix_path(&own, "client.sock"))
		return victim_fail("the folder's path is too long");
	client = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (client < 0 || bind(client, (struct sockaddr *)&own, sizeof(own)) ||
	    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return victim_fail("the client's socket: %m");
	if (with_stream && socketpair(AF_UNIX, SOCK_STREAM, 0, stream_sk))
		return victim_fail("socketpair: %m");
	if (start_server())
		return -1;
	if (connect(client, (struct sockaddr *)&server_addr, sizeof(server_addr)))
		return victim_fail("connect: %m");
	p.fd = client;
	if (send(client, "hello", 5, 0) != 5 || expect("echo:hello"))
		return -1;
	/* Its echo left unread: queued on the client when it is dumped. */
	if (send(client, "queued", 6, 0) != 6 || poll(&p, 1, 10000) != 1)
		return victim_fail("the echo of 'queued' did not come: %m");
	return 0;
}

static int check(void)
{
	int ret = expect("echo:queued");

	if (!ret && (send(client, "after", 5, 0) != 5 || expect("echo:after")))
		ret = -1;
	send(client, "quit", 4, 0);
	return ret;
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.check = check,
};
