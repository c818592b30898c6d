// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sock_diag probes: make a socket of each kind, dump that kind over
 * NETLINK_SOCK_DIAG and look for the socket's inode among the replies.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/capability.h>
#include <linux/inet_diag.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "probes.h"

/* What to create, how to ask for its kind, where replies hold the inode. */
struct diag_kind {
	const char *what;
	int family, type, protocol;
	/* Bind (and listen) so that the kind's dump lists the socket. */
	int (*prepare)(int fd, int family, int type);
	/* Fill the request for a dump of this kind; returns its size. */
	size_t (*fill_req)(void *req, int family, int protocol);
	size_t ino_offset;
	/* Who may create such a socket when the caller may not. */
	int create_cap;
};

struct diag_search {
	size_t ino_offset;
	unsigned int ino;
	bool found;
};

static int on_diag_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct diag_search *s = arg;
	unsigned int ino;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    nlmsg_datalen(nlh) < (int)(s->ino_offset + sizeof(ino)))
		return 0;
	memcpy(&ino, (char *)nlmsg_data(nlh) + s->ino_offset, sizeof(ino));
	if (ino == s->ino)
		s->found = true;
	return 0;
}

static int bind_loopback(int fd, int family, int type)
{
	struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int ret;

	if (family == AF_INET)
		ret = bind(fd, (struct sockaddr *)&in4, sizeof(in4));
	else
		ret = bind(fd, (struct sockaddr *)&in6, sizeof(in6));
	if (!ret && type == SOCK_STREAM)
		ret = listen(fd, 1);
	return ret;
}

static int bind_unix(int fd, int family, int type)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };

	/* Only the family: the kernel picks a free abstract name. */
	if (bind(fd, (struct sockaddr *)&un, sizeof(sa_family_t)))
		return -1;
	return listen(fd, 1);
}

static int bind_netlink(int fd, int family, int type)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

	return bind(fd, (struct sockaddr *)&nl, sizeof(nl));
}

static size_t fill_unix(void *buf, int family, int protocol)
{
	struct unix_diag_req *req = buf;

	req->sdiag_family = AF_UNIX;
	req->udiag_states = ~0u;
	req->udiag_show = UDIAG_SHOW_NAME;
	return sizeof(*req);
}

static size_t fill_inet(void *buf, int family, int protocol)
{
	struct inet_diag_req_v2 *req = buf;

	req->sdiag_family = family;
	req->sdiag_protocol = protocol;
	req->idiag_states = ~0u;
	return sizeof(*req);
}

static size_t fill_packet(void *buf, int family, int protocol)
{
	struct packet_diag_req *req = buf;

	req->sdiag_family = AF_PACKET;
	req->pdiag_show = PACKET_SHOW_INFO;
	return sizeof(*req);
}

static size_t fill_netlink(void *buf, int family, int protocol)
{
	struct netlink_diag_req *req = buf;

	req->sdiag_family = AF_NETLINK;
	req->sdiag_protocol = NDIAG_PROTO_ALL;
	req->ndiag_show = NDIAG_SHOW_GROUPS;
	return sizeof(*req);
}

#define INET_KIND(name, fam, typ, proto)                                            \
	{ .what = name, .family = fam, .type = typ, .protocol = proto,              \
	  .prepare = bind_loopback, .fill_req = fill_inet,                          \
	  .ino_offset = offsetof(struct inet_diag_msg, idiag_inode), .create_cap = -1 }

static const struct diag_kind kind_unix = {
	.what = "unix", .family = AF_UNIX, .type = SOCK_STREAM, .prepare = bind_unix,
	.fill_req = fill_unix, .ino_offset = offsetof(struct unix_diag_msg, udiag_ino),
	.create_cap = -1,
};
static const struct diag_kind kind_tcp4 = INET_KIND("tcp (IPv4)", AF_INET, SOCK_STREAM, IPPROTO_TCP);
static const struct diag_kind kind_tcp6 = INET_KIND("tcp (IPv6)", AF_INET6, SOCK_STREAM, IPPROTO_TCP);
static const struct diag_kind kind_udp4 = INET_KIND("udp (IPv4)", AF_INET, SOCK_DGRAM, IPPROTO_UDP);
static const struct diag_kind kind_udp6 = INET_KIND("udp (IPv6)", AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
static const struct diag_kind kind_packet = {
	.what = "packet", .family = AF_PACKET, .type = SOCK_DGRAM,
	.fill_req = fill_packet, .ino_offset = offsetof(struct packet_diag_msg, pdiag_ino),
	.create_cap = CAP_NET_RAW,
};
static const struct diag_kind kind_netlink = {
	.what = "netlink", .family = AF_NETLINK, .type = SOCK_RAW, .protocol = NETLINK_ROUTE,
	.prepare = bind_netlink, .fill_req = fill_netlink,
	.ino_offset = offsetof(struct netlink_diag_msg, ndiag_ino), .create_cap = -1,
};

static enum check_result probe_kind(struct probe_out *out, const struct diag_kind *k)
{
	struct diag_search search = { .ino_offset = k->ino_offset };
	union {
		struct unix_diag_req un;
		struct inet_diag_req_v2 in;
		struct packet_diag_req pk;
		struct netlink_diag_req nl;
	} req;
	enum check_result r;
	struct nl_msg *msg;
	struct stat st;
	size_t len;
	int fd, err;

	fd = socket(k->family, k->type | SOCK_CLOEXEC, k->protocol);
	if (fd < 0)
		return probe_errno(out, errno, k->create_cap, "create a socket to look for");
	if ((k->prepare && k->prepare(fd, k->family, k->type)) || fstat(fd, &st)) {
		r = probe_errno(out, errno, -1, "bind a socket to look for");
		goto out;
	}
	search.ino = st.st_ino;

	memset(&req, 0, sizeof(req));
	len = k->fill_req(&req, k->family, k->protocol);
	msg = nlmsg_alloc_simple(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP);
	if (!msg || nlmsg_append(msg, &req, len, NLMSG_ALIGNTO)) {
		nlmsg_free(msg);
		r = probe_error(out, "out of memory for a netlink message");
		goto out;
	}
	err = probe_netlink_request(NETLINK_SOCK_DIAG, msg, on_diag_reply, &search);
	nlmsg_free(msg);
	if (err)
		r = probe_errno(out, err, -1, "sock_diag dump");
	else if (!search.found)
		r = probe_missing(out, "sock_diag dump of %s sockets does not list ours", k->what);
	else
		r = probe_supported(out, "sock_diag lists %s sockets", k->what);
out:
	close(fd);
	return r;
}

enum check_result probe_sock_diag_unix(struct probe_out *out)
{
	return probe_kind(out, &kind_unix);
}

enum check_result probe_sock_diag_tcp4(struct probe_out *out)
{
	return probe_kind(out, &kind_tcp4);
}

enum check_result probe_sock_diag_tcp6(struct probe_out *out)
{
	return probe_kind(out, &kind_tcp6);
}

enum check_result probe_sock_diag_udp4(struct probe_out *out)
{
	return probe_kind(out, &kind_udp4);
}

enum check_result probe_sock_diag_udp6(struct probe_out *out)
{
	return probe_kind(out, &kind_udp6);
}

enum check_result probe_sock_diag_packet(struct probe_out *out)
{
	return probe_kind(out, &kind_packet);
}

enum check_result probe_sock_diag_netlink(struct probe_out *out)
{
	return probe_kind(out, &kind_netlink);
}
