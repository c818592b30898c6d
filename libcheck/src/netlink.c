// SPDX-License-Identifier: LGPL-2.1-or-later
/* One netlink request and its replies, over libnl. */
#include <errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "probe.h"

struct request {
	int (*on_reply)(const struct nlmsghdr *nlh, void *arg);
	void *arg;
	int err;
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct request *req = arg;

	if (req->err)
		return NL_SKIP;
	req->err = req->on_reply(nlmsg_hdr(msg), req->arg);
	return NL_OK;
}

/* The kernel's own errno, which libnl would otherwise fold into NLE_*. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *nlerr, void *arg)
{
	struct request *req = arg;

	req->err = nlerr->error < 0 ? -nlerr->error : nlerr->error;
	return NL_STOP;
}

int probe_netlink_request(int protocol, struct nl_msg *msg,
			  int (*on_reply)(const struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct request req = { .on_reply = on_reply, .arg = arg };
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk)
		return ENOMEM;
	nl_socket_disable_auto_ack(sk);
	ret = nl_connect(sk, protocol);
	if (ret < 0) {
		/* nl_connect() fails when the family does not exist. */
		ret = EPROTONOSUPPORT;
		goto out;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &req);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, on_error, &req);
	ret = nl_send_auto(sk, msg);
	if (ret < 0) {
		ret = EIO;
		goto out;
	}
	ret = nl_recvmsgs_default(sk);
	if (req.err)
		ret = req.err;
	else if (ret < 0)
		ret = EIO;
	else
		ret = 0;
out:
	nl_socket_free(sk);
	return ret;
}
