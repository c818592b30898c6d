// SPDX-License-Identifier: LGPL-2.1-or-later
/* Socket and network namespace probes. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/if_tun.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes.h"

/* Make a socket of @family and @type, hand it to @use, close it. */
static enum check_result with_socket(struct probe_out *out, int family, int type,
				     enum check_result (*use)(struct probe_out *out, int fd))
{
	enum check_result r;
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return probe_errno(out, errno, -1, "socket");
	r = use(out, fd);
	close(fd);
	return r;
}

/* Peek twice with an offset: the second peek starts after the first. */
static enum check_result peek_with_offset(struct probe_out *out, int sk[2])
{
	char buf[4];
	int off = 0;

	if (setsockopt(sk[1], SOL_SOCKET, SO_PEEK_OFF, &off, sizeof(off)))
		return probe_errno(out, errno, -1, "setsockopt(SO_PEEK_OFF)");
	if (send(sk[0], "abcd", 4, 0) != 4)
		return probe_errno(out, errno, -1, "send");
	if (recv(sk[1], buf, 2, MSG_PEEK) != 2 || recv(sk[1], buf + 2, 2, MSG_PEEK) != 2)
		return probe_errno(out, errno, -1, "recv(MSG_PEEK)");
	if (memcmp(buf, "abcd", 4))
		return probe_missing(out, "SO_PEEK_OFF is accepted but peeks do not move on");
	return probe_supported(out, "SO_PEEK_OFF moves MSG_PEEK along the queue");
}

enum check_result probe_so_peek_off(struct probe_out *out)
{
	enum check_result r;
	int sk[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sk))
		return probe_errno(out, errno, -1, "socketpair");
	r = peek_with_offset(out, sk);
	close(sk[0]);
	close(sk[1]);
	return r;
}

static enum check_result repair_queue_seq(struct probe_out *out, int fd)
{
	int on = 1, queue = TCP_SEND_QUEUE;
	unsigned int seq = 0x12345678, got = 0;
	socklen_t len = sizeof(got);

	if (setsockopt(fd, SOL_TCP, TCP_REPAIR, &on, sizeof(on)))
		return probe_errno(out, errno, CAP_NET_ADMIN, "setsockopt(TCP_REPAIR)");
	if (setsockopt(fd, SOL_TCP, TCP_REPAIR_QUEUE, &queue, sizeof(queue)) ||
	    setsockopt(fd, SOL_TCP, TCP_QUEUE_SEQ, &seq, sizeof(seq)))
		return probe_errno(out, errno, -1, "set a queue sequence in repair mode");
	if (getsockopt(fd, SOL_TCP, TCP_QUEUE_SEQ, &got, &len))
		return probe_errno(out, errno, -1, "getsockopt(TCP_QUEUE_SEQ)");
	if (got != seq)
		return probe_missing(out, "TCP_QUEUE_SEQ reads back %#x after setting %#x", got, seq);
	return probe_supported(out, "TCP_REPAIR sets and reads queue sequences");
}

enum check_result probe_tcp_repair(struct probe_out *out)
{
	return with_socket(out, AF_INET, SOCK_STREAM, repair_queue_seq);
}

static enum check_result filter_round_trip(struct probe_out *out, int fd)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
	};
	struct sock_fprog prog = { .len = 2, .filter = code };
	struct sock_filter got[4];
	socklen_t len = 4;

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		return probe_errno(out, errno, -1, "setsockopt(SO_ATTACH_FILTER)");
	/* The length is counted in instructions, not bytes. */
	if (getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, got, &len))
		return probe_errno(out, errno, -1, "getsockopt(SO_GET_FILTER)");
	if (len != 2 || memcmp(got, code, sizeof(code)))
		return probe_missing(out, "SO_GET_FILTER does not return the attached filter");
	return probe_supported(out, "SO_GET_FILTER returns the attached filter");
}

enum check_result probe_so_get_filter(struct probe_out *out)
{
	return with_socket(out, AF_UNIX, SOCK_DGRAM, filter_round_trip);
}

static enum check_result socket_netns(struct probe_out *out, int fd)
{
	unsigned long want = probe_ns_inode("net");
	enum check_result r;
	struct stat st;
	int ns;

	ns = ioctl(fd, SIOCGSKNS);
	if (ns < 0)
		r = probe_errno(out, errno, CAP_NET_ADMIN, "ioctl(SIOCGSKNS)");
	else if (fstat(ns, &st) || st.st_ino != want)
		r = probe_error(out, "SIOCGSKNS gives a namespace other than the socket's");
	else
		r = probe_supported(out, "SIOCGSKNS opens a socket's network namespace");
	if (ns >= 0)
		close(ns);
	return r;
}

enum check_result probe_sk_ns(struct probe_out *out)
{
	return with_socket(out, AF_UNIX, SOCK_DGRAM, socket_netns);
}

static int on_nsid_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[NETNSA_MAX + 1];
	int *nsid = arg;

	if (nlh->nlmsg_type != RTM_NEWNSID)
		return 0;
	if (nlmsg_parse((struct nlmsghdr *)nlh, sizeof(struct rtgenmsg), tb, NETNSA_MAX, NULL) ||
	    !tb[NETNSA_NSID])
		return EPROTO;
	*nsid = nla_get_s32(tb[NETNSA_NSID]);
	return 0;
}

enum check_result probe_nsid(struct probe_out *out)
{
	struct rtgenmsg rt = { .rtgen_family = AF_UNSPEC };
	enum check_result r;
	int fd, err, nsid = -2;
	struct nl_msg *msg;

	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return probe_errno(out, errno, -1, "open /proc/self/ns/net");
	msg = nlmsg_alloc_simple(RTM_GETNSID, NLM_F_REQUEST);
	if (!msg || nlmsg_append(msg, &rt, sizeof(rt), NLMSG_ALIGNTO) ||
	    nla_put_u32(msg, NETNSA_FD, fd)) {
		r = probe_error(out, "out of memory for a netlink message");
		goto out;
	}
	err = probe_netlink_request(NETLINK_ROUTE, msg, on_nsid_reply, &nsid);
	if (err)
		r = probe_errno(out, err, -1, "RTM_GETNSID");
	else if (nsid == -2)
		r = probe_missing(out, "RTM_GETNSID gives no namespace id");
	else
		r = probe_supported(out, "RTM_GETNSID answers namespace ids");
out:
	nlmsg_free(msg);
	close(fd);
	return r;
}

/* In a child, in a network namespace of its own: make and query a tun. */
static int tun_in_new_netns(void *arg)
{
	struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI };
	struct ifreq got = {};
	int fd;

	if (unshare(CLONE_NEWNET))
		return errno;
	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0)
		return errno;
	strcpy(ifr.ifr_name, "crtchk%d");
	if (ioctl(fd, TUNSETIFF, &ifr) || ioctl(fd, TUNGETIFF, &got))
		return errno;
	if (strcmp(got.ifr_name, ifr.ifr_name) || !(got.ifr_flags & IFF_TUN))
		return EPROTO;
	return 0;
}

enum check_result probe_tun(struct probe_out *out)
{
	int err = probe_in_child(0, tun_in_new_netns, NULL);

	return probe_answer(out, err, CAP_NET_ADMIN, "create a tun device in a new netns",
			    "TUNGETIFF does not give back what TUNSETIFF set",
			    "tun devices can be created and queried");
}
