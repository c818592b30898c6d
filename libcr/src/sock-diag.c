// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One UNIX_DIAG request per socket, by inode, over a plain netlink socket:
 * the dump asks only about the sockets it meets (and their peers).
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib-log.h"
#include "sock-diag.h"

/* UNIX_DIAG_SHUTDOWN always comes. */
#define DIAG_SHOW                                                                                  \
	(UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_ICONS | UDIAG_SHOW_RQLEN)

/* Fill @info from the attributes of @msg (@len bytes after its header). */
static int parse_attrs(const struct unix_diag_msg *msg, size_t len, struct unix_diag_info *info)
{
	const struct nlattr *a = (const void *)(msg + 1);

	info->ino = msg->udiag_ino;
	info->type = msg->udiag_type;
	info->state = msg->udiag_state;
	while (len >= sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= len) {
		const void *data = a + 1;
		size_t n = a->nla_len - NLA_HDRLEN, step = NLA_ALIGN(a->nla_len);

		switch (a->nla_type & NLA_TYPE_MASK) {
		case UNIX_DIAG_NAME:
			if (n > sizeof(info->name))
				return -EINVAL;
			memcpy(info->name, data, n);
			/* A path comes with its trailing NUL. */
			if (n && info->name[0] && !info->name[n - 1])
				n--;
			info->name_len = n;
			break;
		case UNIX_DIAG_VFS:
			if (n >= sizeof(struct unix_diag_vfs)) {
				const struct unix_diag_vfs *v = data;

				info->has_vfs = true;
				info->vfs_ino = v->udiag_vfs_ino;
				info->vfs_dev = v->udiag_vfs_dev;
			}
			break;
		case UNIX_DIAG_PEER:
			if (n >= sizeof(uint32_t))
				memcpy(&info->peer, data, sizeof(uint32_t));
			break;
		case UNIX_DIAG_ICONS:
			info->nr_icons = n / sizeof(uint32_t);
			break;
		case UNIX_DIAG_RQLEN:
			if (n >= sizeof(struct unix_diag_rqlen)) {
				const struct unix_diag_rqlen *q = data;

				info->rqueue = q->udiag_rqueue;
				info->wqueue = q->udiag_wqueue;
			}
			break;
		case UNIX_DIAG_SHUTDOWN:
			if (n >= 1)
				info->shutdown = *(const uint8_t *)data;
			break;
		}
		if (step >= len)
			break;
		len -= step;
		a = (const void *)((const char *)a + step);
	}
	return 0;
}

int sock_diag_unix(uint32_t ino, struct unix_diag_info *info)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} rq = {
		.nlh = {.nlmsg_len = sizeof(rq),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST,
			.nlmsg_seq = 1},
		.req = {.sdiag_family = AF_UNIX,
			.udiag_states = ~0u,
			.udiag_ino = ino,
			.udiag_show = DIAG_SHOW,
			.udiag_cookie = {~0u, ~0u}},
	};
	union {
		struct nlmsghdr nlh;
		char buf[8192];
	} rsp;
	struct nlmsghdr *h = &rsp.nlh;
	ssize_t n;
	int sk, ret;

	memset(info, 0, sizeof(*info));
	sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (sk < 0) {
		pr_perror("cannot open a sock_diag netlink socket");
		return -errno;
	}
	if (send(sk, &rq, sizeof(rq), 0) != sizeof(rq)) {
		ret = -errno;
		pr_perror("cannot ask sock_diag about socket %u", ino);
		goto out;
	}
	n = recv(sk, rsp.buf, sizeof(rsp.buf), 0);
	ret = n < 0 ? -errno : -EIO;
	if (n < (ssize_t)sizeof(*h) || !NLMSG_OK(h, (size_t)n))
		goto out;
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);

		ret = h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error ? e->error : -EIO;
	} else if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
		   h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct unix_diag_msg))) {
		ret = parse_attrs(NLMSG_DATA(h),
				  h->nlmsg_len - NLMSG_LENGTH(sizeof(struct unix_diag_msg)), info);
	}
out:
	if (ret && ret != -ENOENT)
		pr_err("sock_diag about unix socket %u: %s", ino, strerror(-ret));
	close(sk);
	return ret;
}
