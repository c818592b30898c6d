// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Socket pairs with messages queued both ways:
 *  - stream: one end here (also dup'ed), non-blocking, SO_SNDBUF set, the
 *    other end in a child; 30000 bytes queued towards the child, 5000 back;
 *  - datagram: both ends here, four messages of 3, 0, 3000 and 4 bytes one
 *    way and one back, SO_RCVBUF and SO_SNDTIMEO set;
 *  - seqpacket: two messages queued, then the sender shut down for
 *    writing; the receiver has SO_PASSCRED;
 *  - stream whose other end is closed with 1000 bytes left unread;
 *  - datagram pair whose other end is closed with two messages unread.
 * Afterwards every byte and message boundary is where it was, the shut
 * down and closed ends behave so, and each pair carries new data.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

#define TO_CHILD 30000
#define TO_ROOT 5000
#define ORPHANED 1000
#define SNDBUF 100000
#define RCVBUF 50000

static const size_t dgram_len[] = {3, 0, 3000, 4};

enum { CHILD_OK, CHILD_BAD_DATA, CHILD_NO_SEND };

static int st[2], st_dup, dg[2], sq[2], orphan, dg_orphan;
static pid_t child;
static unsigned char buf[TO_CHILD];

static int recv_all(int fd, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len && (n = recv(fd, buf + done, len - done, MSG_DONTWAIT)) > 0)
		done += n;
	return done == len ? 0 : -1;
}

static void child_main(void)
{
	victim_wait();
	if (recv_all(st[1], TO_CHILD) || victim_check_pattern("child", buf, TO_CHILD, 70))
		_exit(CHILD_BAD_DATA);
	if (recv(st[1], buf, 1, MSG_DONTWAIT) != -1 || errno != EAGAIN)
		_exit(CHILD_BAD_DATA);
	victim_fill(buf, 100, 72);
	if (send(st[1], buf, 100, 0) != 100)
		_exit(CHILD_NO_SEND);
	_exit(CHILD_OK);
}

static int set_int(int fd, int opt, int val)
{
	return setsockopt(fd, SOL_SOCKET, opt, &val, sizeof(val));
}

static int get_int(int fd, int opt)
{
	int val = -1;
	socklen_t len = sizeof(val);

	getsockopt(fd, SOL_SOCKET, opt, &val, &len);
	return val;
}

static int setup(void)
{
	struct timeval tv = {.tv_sec = 3, .tv_usec = 500000};
	int op[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, st) || socketpair(AF_UNIX, SOCK_DGRAM, 0, dg) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sq) || socketpair(AF_UNIX, SOCK_STREAM, 0, op))
		return victim_fail("socketpair: %m");
	if (set_int(st[0], SO_SNDBUF, SNDBUF) || fcntl(st[0], F_SETFL, O_NONBLOCK) ||
	    set_int(dg[1], SO_RCVBUF, RCVBUF) ||
	    setsockopt(dg[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) ||
	    set_int(sq[1], SO_PASSCRED, 1))
		return victim_fail("setsockopt: %m");
	st_dup = dup(st[0]);

	victim_fill(buf, TO_CHILD, 70);
	if (send(st[0], buf, TO_CHILD, 0) != TO_CHILD)
		return victim_fail("send to the child: %m");
	victim_fill(buf, TO_ROOT, 71);
	if (send(st[1], buf, TO_ROOT, 0) != TO_ROOT)
		return victim_fail("send to the root: %m");
	for (size_t i = 0; i < sizeof(dgram_len) / sizeof(*dgram_len); i++) {
		victim_fill(buf, dgram_len[i], 80 + i);
		if (send(dg[0], buf, dgram_len[i], 0) != (ssize_t)dgram_len[i])
			return victim_fail("send a datagram: %m");
	}
	if (send(dg[1], "back", 4, 0) != 4 || send(sq[0], "first", 5, 0) != 5 ||
	    send(sq[0], "second message", 14, 0) != 14 || shutdown(sq[0], SHUT_WR))
		return victim_fail("send: %m");
	victim_fill(buf, ORPHANED, 90);
	if (send(op[1], buf, ORPHANED, 0) != ORPHANED || close(op[1]))
		return victim_fail("send: %m");
	orphan = op[0];
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, op) || send(op[1], "one", 3, 0) != 3 ||
	    send(op[1], "two!", 4, 0) != 4 || close(op[1]))
		return victim_fail("a datagram pair closed: %m");
	dg_orphan = op[0];

	child = fork();
	if (child < 0)
		return victim_fail("fork: %m");
	if (child == 0) {
		close(st[0]);
		close(st_dup);
		child_main();
	}
	close(st[1]);
	return 0;
}

static int check_stream(void)
{
	int status;

	/* The child goes either way. */
	kill(child, SIGTERM);
	if (waitpid(child, &status, 0) != child)
		return victim_fail("%d is no longer our child", child);
	if (get_int(st[0], SO_SNDBUF) != 2 * SNDBUF)
		return victim_fail("SO_SNDBUF is %d, not %d", get_int(st[0], SO_SNDBUF),
				   2 * SNDBUF);
	if (!(fcntl(st_dup, F_GETFL) & O_NONBLOCK))
		return victim_fail("the stream end lost O_NONBLOCK");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != CHILD_OK)
		return victim_fail("the child found its stream end wrong (status %#x)", status);
	if (recv_all(st_dup, TO_ROOT) ||
	    victim_check_pattern("the stream to the root", buf, TO_ROOT, 71))
		return victim_fail("the %d bytes queued for the root are lost", TO_ROOT);
	if (recv_all(st[0], 100) || victim_check_pattern("the child's new data", buf, 100, 72))
		return victim_fail("the child's new data did not come");
	return 0;
}

static int check_dgram(void)
{
	struct timeval tv;
	socklen_t len = sizeof(tv);

	if (get_int(dg[1], SO_RCVBUF) != 2 * RCVBUF)
		return victim_fail("SO_RCVBUF is %d, not %d", get_int(dg[1], SO_RCVBUF),
				   2 * RCVBUF);
	if (getsockopt(dg[0], SOL_SOCKET, SO_SNDTIMEO, &tv, &len) || tv.tv_sec != 3 ||
	    tv.tv_usec != 500000)
		return victim_fail("SO_SNDTIMEO changed");
	for (size_t i = 0; i < sizeof(dgram_len) / sizeof(*dgram_len); i++) {
		ssize_t n = recv(dg[1], buf, sizeof(buf), MSG_DONTWAIT);

		if (n != (ssize_t)dgram_len[i])
			return victim_fail("datagram %zu has %zd bytes, not %zu", i, n,
					   dgram_len[i]);
		if (victim_check_pattern("a datagram", buf, n, 80 + i))
			return -1;
	}
	if (recv(dg[1], buf, sizeof(buf), MSG_DONTWAIT) != -1)
		return victim_fail("a datagram too many");
	if (recv(dg[0], buf, sizeof(buf), MSG_DONTWAIT) != 4 || memcmp(buf, "back", 4))
		return victim_fail("the datagram sent back is lost");
	if (send(dg[1], "new", 3, 0) != 3 || recv(dg[0], buf, sizeof(buf), MSG_DONTWAIT) != 3)
		return victim_fail("the datagram pair no longer carries data: %m");
	return 0;
}

static int check_seqpacket(void)
{
	if (get_int(sq[1], SO_PASSCRED) != 1)
		return victim_fail("SO_PASSCRED is off");
	if (recv(sq[1], buf, sizeof(buf), MSG_DONTWAIT) != 5 || memcmp(buf, "first", 5) ||
	    recv(sq[1], buf, sizeof(buf), MSG_DONTWAIT) != 14 || memcmp(buf, "second message", 14))
		return victim_fail("the seqpacket messages are not as sent");
	if (recv(sq[1], buf, sizeof(buf), MSG_DONTWAIT) != 0)
		return victim_fail("no end of file after the seqpacket messages");
	if (send(sq[0], "x", 1, MSG_NOSIGNAL) != -1 || errno != EPIPE)
		return victim_fail("the seqpacket end shut down for writing can send");
	if (send(sq[1], "reply", 5, 0) != 5 || recv(sq[0], buf, sizeof(buf), MSG_DONTWAIT) != 5)
		return victim_fail("the seqpacket pair no longer carries data back: %m");
	return 0;
}

static int check_orphan(void)
{
	if (recv_all(orphan, ORPHANED) ||
	    victim_check_pattern("the closed stream's data", buf, ORPHANED, 90))
		return victim_fail("the data left by a closed end is lost");
	if (recv(orphan, buf, 1, MSG_DONTWAIT) != 0)
		return victim_fail("no end of file from the closed end");
	if (recv(dg_orphan, buf, sizeof(buf), MSG_DONTWAIT) != 3 || memcmp(buf, "one", 3) ||
	    recv(dg_orphan, buf, sizeof(buf), MSG_DONTWAIT) != 4 || memcmp(buf, "two!", 4))
		return victim_fail("the datagrams left by a closed end are lost");
	if (send(dg_orphan, "x", 1, MSG_DONTWAIT) != -1)
		return victim_fail("a datagram socket whose peer is closed can send");
	return 0;
}

static int check(void)
{
	return check_stream() || check_dgram() || check_seqpacket() || check_orphan();
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
