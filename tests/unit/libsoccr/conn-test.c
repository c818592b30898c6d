// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A live TCP connection between two network namespaces, checkpointed on
 * the client side with libsoccr and restored in another process.
 *
 *   conn-test SERVER_NS HOLD_CMD HOLD_OUT_CMD RELEASE_CMD FAMILY STATE
 *
 * FAMILY is 4, 6 or mapped (IPv4 through an AF_INET6 client socket);
 * STATE names a scenario below. Runs in the client's namespace; the
 * server runs in a child that joins SERVER_NS. HOLD_CMD (a shell command)
 * makes both ends drop each other's packets after sending them, so
 * unacknowledged bytes build up, while the client's socket is saved,
 * closed and restored; HOLD_OUT_CMD drops only the client's packets;
 * RELEASE_CMD lets everything through. Both ends then check every byte of
 * the stream they receive, and the EOF after it.
 * Exit 0 when both streams arrived exactly, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <soccr/soccr.h>

#define PORT 7777
#define SRV_EARLY (96 * 1024)	/* server bytes left unread in the client at checkpoint */
#define SRV_LATE (24 * 1024)	/* server bytes in flight (or unread) at checkpoint */
#define CLI_EARLY (64 * 1024)	/* client bytes acked before the checkpoint */
#define CLI_LATE (256 * 1024)	/* client bytes unacked or unsent at checkpoint: more than a cwnd */

/* How the client's socket gets to its state at checkpoint. */
struct scenario {
	const char *name;
	int state;		/* of the client's socket at checkpoint */
	bool peer_fin_first;	/* the server's data and FIN arrive before the hold */
	bool shut_early;	/* the client's FIN is sent and acked before the hold */
	bool late_data;		/* the client writes CLI_LATE bytes while held */
	bool shut_late;		/* then shuts down: its FIN stays unacked */
	bool half_hold;		/* only the client is held while the server's FIN comes */
};

static const struct scenario scenarios[] = {
	{ "established", TCP_ESTABLISHED, false, false, true, false, false },
	{ "fin_wait1", TCP_FIN_WAIT1, false, false, true, true, false },
	{ "fin_wait2", TCP_FIN_WAIT2, false, true, false, false, false },
	{ "close_wait", TCP_CLOSE_WAIT, true, false, true, false, false },
	{ "last_ack", TCP_LAST_ACK, true, false, true, true, false },
	{ "closing", TCP_CLOSING, true, false, true, true, true },
};

static const char *family;
static const struct scenario *sc;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "conn-test[%d]: FAIL: ", getpid());
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (errno: %s)\n", strerror(errno));
	exit(1);
}

static void soccr_log(unsigned int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* Byte @i of the stream numbered @seed: a shift, loss or repeat shows. */
static unsigned char stream_byte(unsigned long i, int seed)
{
	return (unsigned char)((i + seed) % 251);
}

static void write_stream(int fd, unsigned long from, unsigned long len, int seed)
{
	char buf[4096];
	unsigned long i, n;
	ssize_t w;

	while (len) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = stream_byte(from + i, seed);
		w = write(fd, buf, n);
		if (w <= 0)
			die("write at byte %lu", from);
		from += w;
		len -= w;
	}
}

/* Read until EOF; every byte must be the next of the stream, @len in all. */
static void check_stream(int fd, unsigned long len, int seed, const char *who)
{
	unsigned long got = 0;
	char buf[4096];
	ssize_t n, i;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++, got++)
			if (got >= len || (unsigned char)buf[i] != stream_byte(got, seed))
				die("%s: byte %lu wrong or extra", who, got);
	}
	if (n < 0)
		die("%s: read after %lu bytes", who, got);
	if (got != len)
		die("%s: %lu bytes, %lu expected", who, got, len);
	printf("%s: %lu bytes in order, then EOF\n", who, got);
}

static void join_netns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		die("join netns %s", name);
	close(fd);
}

static void run(const char *cmd)
{
	if (system(cmd))
		die("command failed: %s", cmd);
}

static void server_addr(union libsoccr_addr *a, int for_client)
{
	memset(a, 0, sizeof(*a));
	if (!strcmp(family, "6") || (for_client && !strcmp(family, "mapped"))) {
		a->v6.sin6_family = AF_INET6;
		a->v6.sin6_port = htons(PORT);
		inet_pton(AF_INET6, !strcmp(family, "6") ? "fd00:200::2" : "::ffff:10.200.0.2",
			  &a->v6.sin6_addr);
	} else {
		a->v4.sin_family = AF_INET;
		a->v4.sin_port = htons(PORT);
		inet_pton(AF_INET, "10.200.0.2", &a->v4.sin_addr);
	}
}

static void wait_byte(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		die("sync");
}

static void send_byte(int fd)
{
	if (write(fd, "x", 1) != 1)
		die("sync");
}

/* The server: send its stream, hold back part of it until told, check the client's. */
static void server(int ready, int go)
{
	union libsoccr_addr a;
	int one = 1, lfd, fd;

	server_addr(&a, 0);
	lfd = socket(a.sa.sa_family, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lfd < 0 || bind(lfd, &a.sa, sizeof(a)) || listen(lfd, 1))
		die("server listen");
	send_byte(ready);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	write_stream(fd, 0, SRV_EARLY, 1);
	wait_byte(go);	/* held, these bytes stay in flight; or they arrive before the hold */
	write_stream(fd, SRV_EARLY, SRV_LATE, 1);
	shutdown(fd, SHUT_WR);
	send_byte(ready);
	check_stream(fd, sc->late_data ? CLI_EARLY + CLI_LATE : CLI_EARLY, 2, "server");
	exit(0);
}

struct saved {
	struct libsoccr_sk_data data;
	union libsoccr_addr self, peer;
	unsigned int snd_mss;	/* segment size the saved socket used */
};

static void xfer(int fd, void *buf, size_t len, int out)
{
	ssize_t n;

	while (len) {
		n = out ? write(fd, buf, len) : read(fd, buf, len);
		if (n <= 0)
			die("state transfer");
		buf = (char *)buf + n;
		len -= n;
	}
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &len))
		die("TCP_INFO");
	return ti.tcpi_state;
}

static unsigned int snd_mss(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &len))
		die("TCP_INFO");
	return ti.tcpi_snd_mss;
}

/* Wait until the socket reaches @state. */
static void wait_state(int fd, int state)
{
	int i;

	for (i = 0; i < 500 && tcp_state(fd) != state; i++)
		usleep(10000);
	if (tcp_state(fd) != state)
		die("client socket in state %d, want %d", tcp_state(fd), state);
}

/* Process B: take the saved connection from @in, rebuild it, read the server's stream. */
static void restorer(int in, const char *release)
{
	struct libsoccr_sk *sk;
	struct saved s;
	char *inq, *outq;
	int fd, ret;

	xfer(in, &s, sizeof(s), 0);
	inq = malloc(s.data.inq_len + 1);
	outq = malloc(s.data.outq_len + 1);
	xfer(in, inq, s.data.inq_len, 0);
	xfer(in, outq, s.data.outq_len, 0);

	fd = socket(s.self.sa.sa_family, SOCK_STREAM, 0);
	sk = libsoccr_pause(fd);
	if (!sk)
		die("pause new socket");
	if (libsoccr_set_addr(sk, 1, &s.self, 0) || libsoccr_set_addr(sk, 0, &s.peer, 0) ||
	    libsoccr_set_queue_bytes(sk, TCP_RECV_QUEUE, inq, SOCCR_MEM_EXCL) ||
	    libsoccr_set_queue_bytes(sk, TCP_SEND_QUEUE, outq, SOCCR_MEM_EXCL))
		die("set restore input");
	ret = libsoccr_restore(sk, &s.data, sizeof(s.data));
	if (ret) {
		errno = -ret;
		die("restore");
	}
	/* FIN_WAIT2 comes back as FIN_WAIT1 until the peer acks the FIN again. */
	if (tcp_state(fd) != (sc->state == TCP_FIN_WAIT2 ? TCP_FIN_WAIT1 : sc->state))
		die("restored socket in state %d", tcp_state(fd));
	if (snd_mss(fd) != s.snd_mss)
		die("restored socket sends %u-byte segments, the saved one %u", snd_mss(fd), s.snd_mss);
	libsoccr_resume(sk);
	run(release);

	check_stream(fd, SRV_EARLY + SRV_LATE, 1, "client");
	if (!sc->shut_early && !sc->shut_late)
		shutdown(fd, SHUT_WR);
	/* Wait for the server's verdict before the socket goes. */
	exit(0);
}

static int run_and_wait(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void wait_queues(int fd, int inq, int outq)
{
	int in, out, i;

	for (i = 0; i < 500; i++) {
		ioctl(fd, SIOCINQ, &in);
		ioctl(fd, SIOCOUTQ, &out);
		if (in == inq && out == outq)
			return;
		usleep(10000);
	}
	die("queues at %d/%d, want %d/%d", in, out, inq, outq);
}

int main(int argc, char **argv)
{
	int ready[2], go[2], handover[2], fd, bufsize = 1 << 20;
	unsigned int want_inq, i;
	union libsoccr_addr a;
	struct libsoccr_sk *sk;
	struct saved s;
	pid_t srv, b;
	char *q;
	int ok;

	if (argc != 7)
		die("usage: conn-test SERVER_NS HOLD_CMD HOLD_OUT_CMD RELEASE_CMD 4|6|mapped STATE");
	family = argv[5];
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(argv[6], scenarios[i].name))
			sc = &scenarios[i];
	if (!sc)
		die("no scenario %s", argv[6]);
	alarm(30);
	setvbuf(stdout, NULL, _IONBF, 0);
	libsoccr_set_log(SOCCR_LOG_DBG, soccr_log);

	if (pipe(ready) || pipe(go) || pipe(handover))
		die("pipe");
	srv = fork();
	if (!srv) {
		alarm(30);	/* alarms are not inherited */
		join_netns(argv[1]);
		server(ready[1], go[0]);
	}

	b = fork();
	if (!b) {
		alarm(30);
		restorer(handover[0], argv[4]);
	}

	wait_byte(ready[0]);
	server_addr(&a, 1);
	fd = socket(a.sa.sa_family, SOCK_STREAM, 0);
	/*
	 * Room for all the server's bytes and its FIN while the client reads
	 * nothing, and for all the client's bytes while nothing is acked.
	 */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof(bufsize));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsize, sizeof(bufsize));
	if (fd < 0 || connect(fd, &a.sa, sizeof(a)))
		die("connect");
	write_stream(fd, 0, CLI_EARLY, 2);
	if (sc->shut_early)
		shutdown(fd, SHUT_WR);
	wait_queues(fd, SRV_EARLY, 0);

	if (sc->half_hold) {
		/* CLOSING: our FIN leaves first and is lost, then the server's comes. */
		run(argv[3]);
		write_stream(fd, CLI_EARLY, CLI_LATE, 2);
		shutdown(fd, SHUT_WR);
	} else if (!sc->peer_fin_first) {
		run(argv[2]);
	}
	send_byte(go[1]);
	wait_byte(ready[0]);
	if (sc->peer_fin_first) {
		wait_state(fd, sc->half_hold ? TCP_CLOSING : TCP_CLOSE_WAIT);
		run(argv[2]);
	}
	if (sc->late_data && !sc->half_hold)
		write_stream(fd, CLI_EARLY, CLI_LATE, 2);
	if (sc->shut_late && !sc->half_hold)
		shutdown(fd, SHUT_WR);
	usleep(100000);
	wait_state(fd, sc->state);

	sk = libsoccr_pause(fd);
	if (!sk)
		die("pause");
	memset(&s, 0, sizeof(s));
	s.snd_mss = snd_mss(fd);
	if (libsoccr_save(sk, &s.data, sizeof(s.data)) != sizeof(s.data))
		die("save");
	printf("saved: state %u, inq %u, outq %u, unsent %u, options %#x\n", s.data.state,
	       s.data.inq_len, s.data.outq_len, s.data.unsq_len, s.data.opt_mask);
	want_inq = sc->peer_fin_first ? SRV_EARLY + SRV_LATE : SRV_EARLY;
	if (s.data.inq_len != want_inq)
		die("inq %u, want %u", s.data.inq_len, want_inq);
	/* Half held, the client's sends are not throttled by the peer: all may be out. */
	if (sc->late_data && (s.data.outq_len != CLI_LATE || s.data.unsq_len == s.data.outq_len ||
			      (!s.data.unsq_len && !sc->half_hold)))
		die("want %u unacked bytes, some unsent, got %u (%u unsent)", CLI_LATE, s.data.outq_len,
		    s.data.unsq_len);
	memcpy(&s.self, libsoccr_get_addr(sk, 1, 0), sizeof(s.self));
	memcpy(&s.peer, libsoccr_get_addr(sk, 0, 0), sizeof(s.peer));
	/* Closed in repair mode the peer hears nothing; B can only connect once it is gone. */
	close(fd);
	xfer(handover[1], &s, sizeof(s), 1);
	q = libsoccr_get_queue_bytes(sk, TCP_RECV_QUEUE, 0);
	xfer(handover[1], q, s.data.inq_len, 1);
	q = libsoccr_get_queue_bytes(sk, TCP_SEND_QUEUE, 0);
	xfer(handover[1], q, s.data.outq_len, 1);
	libsoccr_release(sk);

	ok = run_and_wait(srv);
	ok &= run_and_wait(b);
	printf("%s\n", ok ? "PASS" : "FAIL");
	return !ok;
}
