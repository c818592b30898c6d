// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libsoccr benchmark, run by soccr-bench.sh inside the client namespace of
 * a veth pair: save + restore of one connection with 1 MiB queued each
 * way (median of repeats), and idle connections handed over per second.
 * Traffic is held (HOLD_CMD) for the whole measurement, released after,
 * and every connection is checked to still carry bytes both ways.
 *
 *   soccr-bench SERVER_NS HOLD_CMD RELEASE_CMD REPEATS IDLE_CONNS
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>
#include <soccr/soccr.h>

#include "bench-time.h"

#define PORT 7100
#define MIB (1024 * 1024)

static struct sockaddr_in server = { .sin_family = AF_INET };

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Bytes that arrive on @fd until @len or EOF. */
static long drain(int fd, long len)
{
	static char buf[65536];
	long got = 0;
	ssize_t n;

	while (got < len && (n = read(fd, buf, sizeof(buf))) > 0)
		got += n;
	return got;
}

/* Server: 1 MiB to the first connection, then count its bytes; echo a byte on the rest. */
static void serve(int nconns, int ready)
{
	static char mib[MIB];
	int lfd, fd, one = 1, i, *fds = calloc(nconns, sizeof(int));
	char c;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&server, sizeof(server)) || listen(lfd, 1024))
		die("listen");
	if (write(ready, "r", 1) != 1)
		die("ready");
	fd = accept(lfd, NULL, NULL);
	if (write(fd, mib, MIB) != MIB)
		die("server write");
	for (i = 0; i < nconns; i++)
		fds[i] = accept(lfd, NULL, NULL);
	printf("peer got %ld bytes of 1 MiB on the big connection\n", drain(fd, MIB));
	for (i = 0; i < nconns; i++)
		if (read(fds[i], &c, 1) != 1 || write(fds[i], &c, 1) != 1)
			printf("idle connection %d broken at the peer\n", i);
	exit(0);
}

/* Save @fd, close it, restore into a new socket. Times in *save_t and *restore_t. */
static int handover(int fd, double *save_t, double *restore_t, struct libsoccr_sk_data *saved)
{
	struct libsoccr_sk_data data;
	union libsoccr_addr self, peer;
	struct libsoccr_sk *sk;
	char *inq, *outq;
	double t0 = bench_now(), t1;
	int nfd;

	sk = libsoccr_pause(fd);
	if (!sk || libsoccr_save(sk, &data, sizeof(data)) < 0)
		die("save");
	inq = libsoccr_get_queue_bytes(sk, TCP_RECV_QUEUE, SOCCR_MEM_EXCL);
	outq = libsoccr_get_queue_bytes(sk, TCP_SEND_QUEUE, SOCCR_MEM_EXCL);
	self = *libsoccr_get_addr(sk, 1, 0);
	peer = *libsoccr_get_addr(sk, 0, 0);
	close(fd);
	libsoccr_release(sk);
	t1 = bench_now();

	nfd = socket(AF_INET, SOCK_STREAM, 0);
	sk = libsoccr_pause(nfd);
	if (!sk)
		die("pause new");
	libsoccr_set_addr(sk, 1, &self, 0);
	libsoccr_set_addr(sk, 0, &peer, 0);
	libsoccr_set_queue_bytes(sk, TCP_RECV_QUEUE, inq, SOCCR_MEM_EXCL);
	libsoccr_set_queue_bytes(sk, TCP_SEND_QUEUE, outq, SOCCR_MEM_EXCL);
	if (libsoccr_restore(sk, &data, sizeof(data)))
		die("restore");
	libsoccr_resume(sk);
	*saved = data;
	*save_t = t1 - t0;
	*restore_t = bench_now() - t1;
	return nfd;
}

static void wait_inq(int fd, int len)
{
	int inq = 0, i;

	for (i = 0; i < 1000 && inq < len; i++) {
		usleep(5000);
		ioctl(fd, SIOCINQ, &inq);
	}
}

int main(int argc, char **argv)
{
	int repeats, nconns, ready[2], big, i, size = 4 * MIB, inq, outq, *fds;
	double *save_t, *restore_t, cycle, t0, idle_total, s, r, idle_s, idle_r;
	struct libsoccr_sk_data saved;
	static char mib[MIB];
	char path[256], c;
	pid_t srv;

	if (argc != 6) {
		fprintf(stderr, "usage: soccr-bench SERVER_NS HOLD_CMD RELEASE_CMD REPEATS IDLE_CONNS\n");
		return 2;
	}
	repeats = atoi(argv[4]);
	nconns = atoi(argv[5]);
	server.sin_port = htons(PORT);
	inet_pton(AF_INET, "10.200.0.2", &server.sin_addr);
	save_t = calloc(repeats, sizeof(double));
	restore_t = calloc(repeats, sizeof(double));
	fds = calloc(nconns, sizeof(int));
	setvbuf(stdout, NULL, _IONBF, 0);

	if (pipe(ready))
		die("pipe");
	srv = fork();
	if (!srv) {
		int ns;

		snprintf(path, sizeof(path), "/run/netns/%s", argv[1]);
		ns = open(path, O_RDONLY);
		if (ns < 0 || setns(ns, CLONE_NEWNET))
			die("setns");
		serve(nconns, ready[1]);
	}
	if (read(ready[0], &c, 1) != 1)
		die("server");

	/* The big connection: buffers that hold 1 MiB each way. */
	big = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(big, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(big, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	if (connect(big, (struct sockaddr *)&server, sizeof(server)))
		die("connect");
	wait_inq(big, MIB);
	for (i = 0; i < nconns; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fds[i], (struct sockaddr *)&server, sizeof(server)))
			die("connect idle");
	}
	usleep(100000);
	if (system(argv[2]))
		die("hold");
	if (write(big, mib, MIB) != MIB)
		die("client write");
	usleep(50000);
	ioctl(big, SIOCINQ, &inq);
	ioctl(big, SIOCOUTQ, &outq);
	printf("big connection: %d bytes unread, %d bytes unacknowledged or unsent\n", inq, outq);

	for (i = 0; i < repeats; i++)
		big = handover(big, &save_t[i], &restore_t[i], &saved);
	printf("last repeat saved %u bytes unread, %u unacknowledged (%u of them unsent)\n",
	       saved.inq_len, saved.outq_len, saved.unsq_len);
	s = bench_sort_median(save_t, repeats);
	r = bench_sort_median(restore_t, repeats);
	cycle = s + r;

	t0 = bench_now();
	for (i = 0; i < nconns; i++)
		fds[i] = handover(fds[i], &idle_s, &idle_r, &saved);
	idle_total = bench_now() - t0;

	if (system(argv[3]))
		die("release");
	printf("client read %ld bytes of 1 MiB on the big connection\n", drain(big, MIB));
	shutdown(big, SHUT_WR);
	for (i = 0; i < nconns; i++)
		if (write(fds[i], "i", 1) != 1 || read(fds[i], &c, 1) != 1)
			printf("idle connection %d broken after hand-over\n", i);
	waitpid(srv, NULL, 0);

	printf("\n1 MiB each way, %d repeats: save median %.3f ms, restore median %.3f ms, "
	       "save+restore %.3f ms (%.0f MiB/s of queue data)\n",
	       repeats, s * 1e3, r * 1e3, cycle * 1e3, 2 / cycle);
	printf("idle connections: %d handed over in %.3f s: %.0f per second (%.1f us each)\n", nconns,
	       idle_total, nconns / idle_total, idle_total / nconns * 1e6);
	printf("ratio: one 1 MiB+1 MiB hand-over costs as much as %.1f idle ones\n",
	       cycle / (idle_total / nconns));
	return 0;
}
