// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Hand a live TCP connection from one process to another with libsoccr.
 *
 *   handover LOCAL_ADDR PEER_NETNS HOLD_CMD RELEASE_CMD
 *
 * Process A listens on LOCAL_ADDR (IPv4 or IPv6) port 7000 and serves a
 * peer that runs in network namespace PEER_NETNS: the peer sends numbers
 * one by one, and each answer names the process that served it. After
 * HALF requests A holds the connection's traffic (HOLD_CMD, a shell
 * command: a netfilter rule, a link set down, ...), saves the connection
 * with libsoccr, passes everything to process B over a pipe and closes its
 * socket. B restores the connection in a new socket, releases the traffic
 * (RELEASE_CMD) and serves the rest. The peer checks that every answer
 * came, in order, and that both processes served it: it never reconnects.
 *
 * Needs CAP_NET_ADMIN. Exit 0 on success.
 */
#define _GNU_SOURCE /* setns() */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <soccr/soccr.h>

#define PORT 7000
#define REQUESTS 20
#define HALF 10

static void die(const char *what)
{
	fprintf(stderr, "handover[%d]: %s: %s\n", getpid(), what, strerror(errno));
	exit(1);
}

static void log_to_stderr(unsigned int level __attribute__((unused)), const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* Read or write exactly @len bytes. */
static void xfer(int fd, void *buf, size_t len, int out)
{
	ssize_t n;

	for (; len; buf = (char *)buf + n, len -= n) {
		n = out ? write(fd, buf, len) : read(fd, buf, len);
		if (n <= 0)
			die("transfer");
	}
}

static int parse_addr(const char *text, union libsoccr_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, text, &a->v4.sin_addr) == 1) {
		a->v4.sin_family = AF_INET;
		a->v4.sin_port = htons(PORT);
		return sizeof(a->v4);
	}
	if (inet_pton(AF_INET6, text, &a->v6.sin6_addr) == 1) {
		a->v6.sin6_family = AF_INET6;
		a->v6.sin6_port = htons(PORT);
		return sizeof(a->v6);
	}
	errno = EINVAL;
	die(text);
	return 0;
}

/* Answer requests on @fd: @count of them, or until the peer closes (count < 0). */
static void serve(int fd, int count)
{
	char req[32], ans[64];
	ssize_t n;

	while (count--) {
		n = read(fd, req, sizeof(req) - 1);
		if (n <= 0)
			break;
		req[n] = 0;
		n = snprintf(ans, sizeof(ans), "%d served by %d\n", atoi(req), getpid());
		xfer(fd, ans, n, 1);
	}
}

/* The peer: one request at a time; every answer must be for the last request. */
static int peer(const char *netns, const union libsoccr_addr *server, int len)
{
	char path[256], buf[64];
	int fd, ns, i, first = 0, other = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/run/netns/%s", netns);
	ns = open(path, O_RDONLY);
	if (ns < 0 || setns(ns, CLONE_NEWNET))
		die("join the peer's netns");
	fd = socket(server->sa.sa_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, &server->sa, len))
		die("connect");
	for (i = 1; i <= REQUESTS; i++) {
		n = snprintf(buf, sizeof(buf), "%d", i);
		xfer(fd, buf, n, 1);
		n = read(fd, buf, sizeof(buf) - 1);
		if (n <= 0)
			die("read an answer");
		buf[n] = 0;
		if (atoi(buf) != i) {
			fprintf(stderr, "peer: asked %d, got: %s", i, buf);
			return 1;
		}
		if (!first)
			first = atoi(strstr(buf, "by ") + 3);
		else if (atoi(strstr(buf, "by ") + 3) != first)
			other = atoi(strstr(buf, "by ") + 3);
		printf("peer: %s", buf);
	}
	close(fd);
	return other ? 0 : 1;
}

struct handover {
	struct libsoccr_sk_data data;
	union libsoccr_addr self, peer;
};

/* Process A: save the connection and send it to B; the socket is closed silently. */
static void hand_over(int fd, int to_b, const char *hold)
{
	struct libsoccr_sk *sk;
	struct handover h;
	char *inq, *outq;

	if (system(hold))
		die("hold the traffic");
	sk = libsoccr_pause(fd);
	if (!sk)
		die("libsoccr_pause");
	if (libsoccr_save(sk, &h.data, sizeof(h.data)) < 0)
		die("libsoccr_save");
	memcpy(&h.self, libsoccr_get_addr(sk, 1, 0), sizeof(h.self));
	memcpy(&h.peer, libsoccr_get_addr(sk, 0, 0), sizeof(h.peer));
	/* Borrowed: libsoccr frees them in libsoccr_release(). */
	inq = libsoccr_get_queue_bytes(sk, TCP_RECV_QUEUE, 0);
	outq = libsoccr_get_queue_bytes(sk, TCP_SEND_QUEUE, 0);

	/*
	 * Closing in repair mode sends nothing to the peer. It must happen
	 * before B connects: two sockets can't hold one connection.
	 */
	close(fd);
	xfer(to_b, &h, sizeof(h), 1);
	xfer(to_b, inq, h.data.inq_len, 1);
	xfer(to_b, outq, h.data.outq_len, 1);
	libsoccr_release(sk);
}

/* Process B: rebuild the connection and serve the rest of it. */
static void take_over(int from_a, const char *release)
{
	struct libsoccr_sk *sk;
	struct handover h;
	char *inq, *outq;
	int fd, ret;

	xfer(from_a, &h, sizeof(h), 0);
	/* malloc()ed and given with SOCCR_MEM_EXCL: libsoccr frees them. */
	inq = malloc(h.data.inq_len + 1);
	outq = malloc(h.data.outq_len + 1);
	if (!inq || !outq)
		die("malloc");
	xfer(from_a, inq, h.data.inq_len, 0);
	xfer(from_a, outq, h.data.outq_len, 0);

	fd = socket(h.self.sa.sa_family, SOCK_STREAM, 0);
	sk = libsoccr_pause(fd);
	if (!sk)
		die("libsoccr_pause");
	libsoccr_set_addr(sk, 1, &h.self, 0);
	libsoccr_set_addr(sk, 0, &h.peer, 0);
	libsoccr_set_queue_bytes(sk, TCP_RECV_QUEUE, inq, SOCCR_MEM_EXCL);
	libsoccr_set_queue_bytes(sk, TCP_SEND_QUEUE, outq, SOCCR_MEM_EXCL);
	ret = libsoccr_restore(sk, &h.data, sizeof(h.data));
	if (ret) {
		errno = -ret;
		die("libsoccr_restore");
	}
	libsoccr_resume(sk);
	if (system(release))
		die("release the traffic");
	serve(fd, -1);
	exit(0);
}

static int wait_ok(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	union libsoccr_addr local;
	int pipefd[2], lfd, fd, len, one = 1, ok;
	pid_t b, p;

	if (argc != 5) {
		fprintf(stderr, "usage: handover LOCAL_ADDR PEER_NETNS HOLD_CMD RELEASE_CMD\n");
		return 2;
	}
	libsoccr_set_log(SOCCR_LOG_ERR, log_to_stderr);
	setvbuf(stdout, NULL, _IONBF, 0);
	len = parse_addr(argv[1], &local);

	if (pipe(pipefd))
		die("pipe");
	b = fork();
	if (!b) {
		close(pipefd[1]);
		take_over(pipefd[0], argv[4]);
	}
	close(pipefd[0]);

	lfd = socket(local.sa.sa_family, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, &local.sa, len) || listen(lfd, 1))
		die("listen");
	p = fork();
	if (!p)
		exit(peer(argv[2], &local, len));
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	close(lfd);

	serve(fd, HALF);
	hand_over(fd, pipefd[1], argv[3]);

	ok = wait_ok(p);
	ok &= wait_ok(b);
	printf("%s\n", ok ? "handover: the peer was served by A, then by B, on one connection" :
			    "handover: FAILED");
	return !ok;
}
