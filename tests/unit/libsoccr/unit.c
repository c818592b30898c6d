// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libsoccr on plain loopback sockets: the state table, the refusals (each
 * must leave the socket working as before), argument checks, and buffer
 * ownership of a saved connection. Pausing a socket needs CAP_NET_ADMIN;
 * the tests that pause skip without it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <soccr/soccr.h>

#include "soccr-int.h"

static char last_log[512];

static void capture_log(unsigned int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
}

/* A listening TCP socket on 127.0.0.1; its address in @addr. */
static int listener(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)addr, sizeof(*addr)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)addr, &len), 0);
	return fd;
}

static int tcp_state(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	assert_int_equal(getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &len), 0);
	return ti.tcpi_state;
}

/* A connected loopback pair: *client and *server. */
static void conn_pair(int *client, int *server)
{
	struct sockaddr_in addr;
	int lfd = listener(&addr);

	*client = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(*client, (struct sockaddr *)&addr, sizeof(addr)), 0);
	*server = accept(lfd, NULL, NULL);
	assert_true(*server >= 0);
	close(lfd);
}

static void test_states(void **state)
{
	assert_true(soccr_state_supported(TCP_ESTABLISHED));
	assert_true(soccr_state_supported(TCP_FIN_WAIT1));
	assert_true(soccr_state_supported(TCP_FIN_WAIT2));
	assert_true(soccr_state_supported(TCP_CLOSE_WAIT));
	assert_true(soccr_state_supported(TCP_LAST_ACK));
	assert_true(soccr_state_supported(TCP_CLOSING));
	assert_false(soccr_state_supported(TCP_SYN_SENT));
	assert_false(soccr_state_supported(TCP_SYN_RECV));
	assert_false(soccr_state_supported(TCP_TIME_WAIT));
	assert_false(soccr_state_supported(TCP_LISTEN));
	assert_false(soccr_state_supported(TCP_CLOSE));
	assert_true(soccr_state_fin_sent(TCP_FIN_WAIT2));
	assert_false(soccr_state_fin_sent(TCP_ESTABLISHED));
	assert_false(soccr_state_fin_sent(TCP_CLOSE_WAIT));
	assert_true(soccr_state_fin_sent(TCP_CLOSING));
	assert_true(soccr_state_fin_received(TCP_CLOSING));
	assert_true(soccr_state_fin_received(TCP_LAST_ACK));
	assert_false(soccr_state_fin_received(TCP_FIN_WAIT2));
	assert_string_equal(soccr_state_name(TCP_CLOSE_WAIT), "CLOSE_WAIT");
	assert_string_equal(soccr_state_name(200), "unknown");
}

static void test_not_a_socket(void **state)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_null(libsoccr_pause(p[0]));
	assert_int_equal(errno, ENOTSOCK);
	assert_non_null(strstr(last_log, "not a socket"));
	/* The pipe still works. */
	assert_int_equal(write(p[1], "a", 1), 1);
	close(p[0]);
	close(p[1]);
}

static void test_udp(void **state)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_null(libsoccr_pause(fd));
	assert_int_equal(errno, EPROTONOSUPPORT);
	assert_non_null(strstr(last_log, "not a TCP socket"));
	close(fd);
}

static void test_listening(void **state)
{
	struct sockaddr_in addr;
	int lfd = listener(&addr), c, s;

	assert_null(libsoccr_pause(lfd));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_non_null(strstr(last_log, "listening"));
	/* Still listening: a connection gets through. */
	c = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&addr, sizeof(addr)), 0);
	s = accept(lfd, NULL, NULL);
	assert_true(s >= 0);
	close(s);
	close(c);
	close(lfd);
}

/*
 * A connection still being set up (SYN_SENT: the listener's accept queue
 * is full, so its SYN is dropped) is refused and goes on connecting.
 */
static void test_syn_sent(void **state)
{
	struct sockaddr_in addr;
	int lfd = listener(&addr), first, pending;

	assert_int_equal(listen(lfd, 0), 0);
	first = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(first, (struct sockaddr *)&addr, sizeof(addr)), 0);
	pending = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_int_equal(connect(pending, (struct sockaddr *)&addr, sizeof(addr)), -1);
	assert_int_equal(errno, EINPROGRESS);
	assert_int_equal(tcp_state(pending), TCP_SYN_SENT);

	assert_null(libsoccr_pause(pending));
	assert_int_equal(errno, EOPNOTSUPP);
	assert_non_null(strstr(last_log, "SYN_SENT"));
	/* Untouched: still connecting. */
	assert_int_equal(tcp_state(pending), TCP_SYN_SENT);
	close(pending);
	close(first);
	close(lfd);
}

static struct libsoccr_sk *pause_or_skip(int fd)
{
	struct libsoccr_sk *sk = libsoccr_pause(fd);

	if (!sk && errno == EPERM)
		skip();
	assert_non_null(sk);
	return sk;
}

/* Unconnected: pause works (restore needs it), save says ENOTCONN, resume puts it back. */
static void test_unconnected(void **state)
{
	struct libsoccr_sk_data data;
	struct sockaddr_in addr;
	struct libsoccr_sk *sk;
	int lfd = listener(&addr), one = 1, reuse = 0, fd, s;
	socklen_t len = sizeof(reuse);

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	sk = pause_or_skip(fd);
	assert_int_equal(libsoccr_save(sk, &data, sizeof(data)), -ENOTCONN);
	assert_non_null(strstr(last_log, "not connected"));
	libsoccr_resume(sk);
	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, &len), 0);
	assert_int_equal(reuse, 1);
	/* An ordinary socket again: it connects and talks. */
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	s = accept(lfd, NULL, NULL);
	assert_int_equal(write(fd, "x", 1), 1);
	close(s);
	close(fd);
	close(lfd);
}

static void test_restore_args(void **state)
{
	struct libsoccr_sk_data data = { .state = TCP_ESTABLISHED };
	union libsoccr_addr bad = { .sa.sa_family = AF_UNIX };
	struct libsoccr_sk *sk;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sk = pause_or_skip(fd);
	assert_int_equal(libsoccr_set_addr(sk, 1, &bad, 0), -EINVAL);
	assert_int_equal(libsoccr_set_queue_bytes(sk, 7, NULL, 0), -EINVAL);
	assert_int_equal(libsoccr_restore(sk, &data, 4), -EINVAL);
	assert_int_equal(libsoccr_restore(sk, &data, sizeof(data)), -EINVAL);
	assert_non_null(strstr(last_log, "addresses"));
	data.state = TCP_SYN_SENT;
	assert_int_equal(libsoccr_restore(sk, &data, sizeof(data)), -EOPNOTSUPP);
	libsoccr_resume(sk);
	close(fd);
}

/* Save a loopback connection: queue bytes, addresses, and who frees what. */
static void test_save_ownership(void **state)
{
	struct sockaddr_in self, peer;
	socklen_t len = sizeof(self);
	struct libsoccr_sk_data data;
	union libsoccr_addr *addr;
	struct libsoccr_sk *sk;
	char buf[4], *inq;
	int c, s;

	conn_pair(&c, &s);
	assert_int_equal(write(s, "hello", 5), 5);
	usleep(20000);
	sk = pause_or_skip(c);
	/* An old, shorter struct gets its prefix. */
	assert_int_equal(libsoccr_save(sk, &data, 8), 8);
	assert_int_equal(data.state, TCP_ESTABLISHED);
	assert_int_equal(libsoccr_save(sk, &data, sizeof(data)), sizeof(data));
	assert_int_equal(data.inq_len, 5);
	assert_int_equal(data.outq_len, 0);
	assert_true(data.flags & SOCCR_FLAGS_WINDOW);

	assert_null(libsoccr_get_queue_bytes(sk, TCP_SEND_QUEUE, 0));
	assert_null(libsoccr_get_queue_bytes(sk, 42, 0));
	assert_memory_equal(libsoccr_get_queue_bytes(sk, TCP_RECV_QUEUE, 0), "hello", 5);
	inq = libsoccr_get_queue_bytes(sk, TCP_RECV_QUEUE, SOCCR_MEM_EXCL);
	assert_memory_equal(inq, "hello", 5);
	assert_null(libsoccr_get_queue_bytes(sk, TCP_RECV_QUEUE, SOCCR_MEM_EXCL));
	free(inq);

	getsockname(c, (struct sockaddr *)&self, &len);
	getpeername(c, (struct sockaddr *)&peer, &len);
	addr = libsoccr_get_addr(sk, 1, 0);
	assert_int_equal(addr->v4.sin_port, self.sin_port);
	addr = libsoccr_get_addr(sk, 0, SOCCR_MEM_EXCL);
	assert_int_equal(addr->v4.sin_port, peer.sin_port);
	free(addr);

	/* Resumed: the bytes are still there to read, nothing was consumed. */
	libsoccr_resume(sk);
	assert_int_equal(read(c, buf, 4), 4);
	assert_memory_equal(buf, "hell", 4);
	close(c);
	close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_not_a_socket),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_listening),
		cmocka_unit_test(test_syn_sent),
		cmocka_unit_test(test_unconnected),
		cmocka_unit_test(test_restore_args),
		cmocka_unit_test(test_save_ownership),
	};

	libsoccr_set_log(SOCCR_LOG_DBG, capture_log);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
