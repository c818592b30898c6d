// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bound unix sockets:
 *  - a stream listener on a path (socket file mode 0640), backlog 7;
 *  - a stream listener and a datagram socket (a message queued) whose
 *    socket files were removed;
 *  - a seqpacket listener on an abstract name;
 *  - a stream connection made by connect() to the first and accept(),
 *    with data queued both ways;
 *  - a datagram socket bound to a path with three messages queued (two
 *    from a socket since closed, one from a client connected to it);
 *  - that client, and an unbound datagram socket;
 *  - a relay: a bound datagram socket connected to that server, itself
 *    the peer of another client (which connected first, and is no longer
 *    heard by it).
 * Afterwards the names, mode, queued bytes and message boundaries are
 * there, both listeners take new connections and every socket carries data.
 * With --pending yes, a connection to the path listener is left not yet
 * accepted, which crtool cannot dump: the dump must fail naming the fd.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "victim.h"

#define TO_CLIENT 2000

static const char *const dgram_msgs[] = {"first datagram", "", "from the client"};

static int relay, relay_client, lsn, lsn_gone, dgram_gone, lsn_abs, client, accepted, dgram,
	dgram_client, unbound, pending = -1;
static int with_pending;
static struct sockaddr_un relay_addr, lsn_addr, gone_addr, dgram_gone_addr, abs_addr, dgram_addr;
static socklen_t abs_len;
static unsigned char buf[TO_CLIENT];

static int option(const char *name, const char *value)
{
	if (strcmp(name, "pending") || strcmp(value, "yes"))
		return -1;
	with_pending = 1;
	return 0;
}

/* What getsockname() gives for a path name. */
static socklen_t path_len(const struct sockaddr_un *sa)
{
	return offsetof(struct sockaddr_un, sun_path) + strlen(sa->sun_path) + 1;
}

static int bound(int type, const struct sockaddr_un *sa, socklen_t len)
{
	int fd = socket(AF_UNIX, type, 0);

	if (fd < 0 || bind(fd, (const struct sockaddr *)sa, len))
		return -1;
	return fd;
}

static int setup(void)
{
	int tmp;

	if (victim_unix_path(&lsn_addr, "listen.sock") || victim_unix_path(&dgram_addr, "dgram.sock") ||
	    victim_unix_path(&gone_addr, "gone.sock") || victim_unix_path(&dgram_gone_addr, "gone-dgram.sock"))
		return victim_fail("the folder's path is too long");
	abs_addr.sun_family = AF_UNIX;
	abs_len = offsetof(struct sockaddr_un, sun_path) + 1 +
		  snprintf(abs_addr.sun_path + 1, sizeof(abs_addr.sun_path) - 1,
			   "crtool-e2e-listen-%d", getpid());
	lsn = bound(SOCK_STREAM, &lsn_addr, sizeof(lsn_addr));
	lsn_abs = bound(SOCK_SEQPACKET, &abs_addr, abs_len);
	lsn_gone = bound(SOCK_STREAM, &gone_addr, sizeof(gone_addr));
	if (lsn_gone < 0 || listen(lsn_gone, 1) || unlink(gone_addr.sun_path))
		return victim_fail("the listener whose file is removed: %m");
	dgram_gone = bound(SOCK_DGRAM, &dgram_gone_addr, sizeof(dgram_gone_addr));
	if (dgram_gone < 0 ||
	    sendto(dgram_gone, "to myself", 9, 0, (struct sockaddr *)&dgram_gone_addr,
		   sizeof(dgram_gone_addr)) != 9 ||
	    unlink(dgram_gone_addr.sun_path))
		return victim_fail("the datagram socket whose file is removed: %m");
	dgram = bound(SOCK_DGRAM, &dgram_addr, sizeof(dgram_addr));
	if (lsn < 0 || lsn_abs < 0 || dgram < 0 || listen(lsn, 7) || listen(lsn_abs, 3) ||
	    chmod(lsn_addr.sun_path, 0640))
		return victim_fail("bind or listen: %m");

	client = socket(AF_UNIX, SOCK_STREAM, 0);
	if (client < 0 || connect(client, (struct sockaddr *)&lsn_addr, sizeof(lsn_addr)))
		return victim_fail("connect: %m");
	accepted = accept(lsn, NULL, NULL);
	if (accepted < 0)
		return victim_fail("accept: %m");
	victim_fill(buf, TO_CLIENT, 40);
	if (send(accepted, buf, TO_CLIENT, 0) != TO_CLIENT ||
	    send(client, "hello from the client", 21, 0) != 21)
		return victim_fail("send: %m");

	tmp = socket(AF_UNIX, SOCK_DGRAM, 0);
	dgram_client = socket(AF_UNIX, SOCK_DGRAM, 0);
	unbound = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (tmp < 0 || dgram_client < 0 || unbound < 0 ||
	    connect(dgram_client, (struct sockaddr *)&dgram_addr, sizeof(dgram_addr)))
		return victim_fail("socket or connect: %m");
	for (int i = 0; i < 2; i++)
		if (sendto(tmp, dgram_msgs[i], strlen(dgram_msgs[i]), 0,
			   (struct sockaddr *)&dgram_addr, sizeof(dgram_addr)) < 0)
			return victim_fail("sendto: %m");
	if (victim_unix_path(&relay_addr, "relay.sock"))
		return victim_fail("the folder's path is too long");
	relay = bound(SOCK_DGRAM, &relay_addr, sizeof(relay_addr));
	relay_client = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (relay < 0 || relay_client < 0 ||
	    connect(relay_client, (struct sockaddr *)&relay_addr, sizeof(relay_addr)) ||
	    connect(relay, (struct sockaddr *)&dgram_addr, sizeof(dgram_addr)))
		return victim_fail("the relay: %m");
	if (send(dgram_client, dgram_msgs[2], strlen(dgram_msgs[2]), 0) < 0)
		return victim_fail("send: %m");
	close(tmp);
	if (with_pending) {
		pending = socket(AF_UNIX, SOCK_STREAM, 0);
		if (pending < 0 || connect(pending, (struct sockaddr *)&lsn_addr, sizeof(lsn_addr)))
			return victim_fail("connect: %m");
	}
	return 0;
}

/* @fd is bound to @want (@len bytes). */
static int check_name(const char *what, int fd, const struct sockaddr_un *want, socklen_t len)
{
	struct sockaddr_un sa = {0};
	socklen_t got = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &got) ||
	    (len > sizeof(sa_family_t) && (got != len || memcmp(&sa, want, len))) ||
	    (len == sizeof(sa_family_t) && got != len))
		return victim_fail("%s has another name", what);
	return 0;
}

/* A new connection to the listener @fd at @sa goes through and carries data. */
static int check_listener(const char *what, int fd, int type, const struct sockaddr_un *sa,
			  socklen_t len)
{
	int c = socket(AF_UNIX, type, 0), a, on = 0;
	socklen_t olen = sizeof(on);
	char b[8];

	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &olen) || !on)
		return victim_fail("%s no longer listens", what);
	if (c < 0 || connect(c, (const struct sockaddr *)sa, len))
		return victim_fail("cannot connect to %s: %m", what);
	a = accept(fd, NULL, NULL);
	if (a < 0 || send(c, "new", 3, 0) != 3 || recv(a, b, sizeof(b), 0) != 3)
		return victim_fail("a new connection to %s carries nothing: %m", what);
	close(a);
	close(c);
	return 0;
}

static int check_connection(void)
{
	size_t done = 0;
	ssize_t n;
	char b[32];

	while (done < TO_CLIENT &&
	       (n = recv(client, buf + done, TO_CLIENT - done, MSG_DONTWAIT)) > 0)
		done += n;
	if (done != TO_CLIENT ||
	    victim_check_pattern("the accepted end's data", buf, TO_CLIENT, 40))
		return victim_fail("the data queued for the client is lost");
	if (recv(accepted, b, sizeof(b), MSG_DONTWAIT) != 21 ||
	    memcmp(b, "hello from the client", 21))
		return victim_fail("the data queued for the accepted end is lost");
	if (send(client, "x", 1, 0) != 1 || recv(accepted, b, 1, MSG_DONTWAIT) != 1 ||
	    send(accepted, "y", 1, 0) != 1 || recv(client, b, 1, MSG_DONTWAIT) != 1)
		return victim_fail("the accepted connection no longer carries data: %m");
	return 0;
}

static int check_dgram(void)
{
	struct sockaddr_un peer;
	socklen_t len = sizeof(peer);
	char b[64];

	for (size_t i = 0; i < 3; i++) {
		ssize_t n = recv(dgram, b, sizeof(b), MSG_DONTWAIT);

		if (n != (ssize_t)strlen(dgram_msgs[i]) || memcmp(b, dgram_msgs[i], n))
			return victim_fail("datagram %zu is not as sent (%zd bytes)", i, n);
	}
	if (recv(dgram, b, sizeof(b), MSG_DONTWAIT) != -1 || errno != EAGAIN)
		return victim_fail("a datagram too many");
	if (send(dgram_client, "again", 5, 0) != 5 || recv(dgram, b, sizeof(b), MSG_DONTWAIT) != 5)
		return victim_fail("the connected client no longer reaches its server: %m");
	if (sendto(unbound, "other", 5, 0, (struct sockaddr *)&dgram_addr, sizeof(dgram_addr)) !=
		    5 ||
	    recv(dgram, b, sizeof(b), MSG_DONTWAIT) != 5)
		return victim_fail("the unbound socket cannot send: %m");
	/* The relay hears only the server now: its client is still its peer, unheard. */
	if (getpeername(relay_client, (struct sockaddr *)&peer, &len) ||
	    len != path_len(&relay_addr) || strcmp(peer.sun_path, relay_addr.sun_path))
		return victim_fail("the relay's client is no longer connected to it");
	if (send(relay_client, "x", 1, 0) != -1 || errno != EPERM)
		return victim_fail("the relay's client can send to it");
	if (send(relay, "relayed", 7, 0) != 7 || recv(dgram, b, sizeof(b), MSG_DONTWAIT) != 7)
		return victim_fail("the relay no longer reaches the server: %m");
	return 0;
}

static int check(void)
{
	struct sockaddr_un none = {.sun_family = AF_UNIX};
	struct stat st;

	if (check_name("the path listener", lsn, &lsn_addr, path_len(&lsn_addr)) ||
	    check_name("the abstract listener", lsn_abs, &abs_addr, abs_len) ||
	    check_name("the bound datagram socket", dgram, &dgram_addr, path_len(&dgram_addr)) ||
	    check_name("the unbound socket", unbound, &none, sizeof(sa_family_t)))
		return -1;
	if (check_name("the listener whose file is removed", lsn_gone, &gone_addr,
		       path_len(&gone_addr)))
		return -1;
	if (check_name("the datagram socket whose file is removed", dgram_gone, &dgram_gone_addr,
		       path_len(&dgram_gone_addr)))
		return -1;
	if (!stat(gone_addr.sun_path, &st) || !stat(dgram_gone_addr.sun_path, &st))
		return victim_fail("a removed socket file is back");
	if (recv(dgram_gone, buf, sizeof(buf), MSG_DONTWAIT) != 9 || memcmp(buf, "to myself", 9))
		return victim_fail(
			"the message queued on the socket whose file is removed is lost");
	if (pending >= 0) {
		int a = accept(lsn, NULL, NULL);

		if (a < 0 || send(pending, "p", 1, 0) != 1 || recv(a, &st, 1, 0) != 1)
			return victim_fail("the pending connection is lost: %m");
		close(a);
	}
	if (stat(lsn_addr.sun_path, &st) || !S_ISSOCK(st.st_mode) || (st.st_mode & 0777) != 0640 ||
	    st.st_uid != getuid())
		return victim_fail("the listener's socket file changed (mode %o, uid %d)",
				   st.st_mode, st.st_uid);
	return check_connection() || check_dgram() ||
	       check_listener("the path listener", lsn, SOCK_STREAM, &lsn_addr, sizeof(lsn_addr)) ||
	       check_listener("the abstract listener", lsn_abs, SOCK_SEQPACKET, &abs_addr, abs_len);
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.check = check,
};
