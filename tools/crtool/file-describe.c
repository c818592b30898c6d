// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One line for a file of a dump, close to what /proc/PID/fd's link of the
 * same file reads: a path, pipe:[ID], socket:[INODE] with the socket's kind
 * and addresses, anon_inode:[eventfd]. The entries are untrusted: a missing
 * sub-message or an odd address gives a "?" instead of a crash.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "dump-files.h"

/* Files that are only an anonymous inode, as the kernel names them. */
static const struct {
	FdTypes type;
	const char *text;
} anon_files[] = {
	{ FD_TYPES__EVENTFD, "anon_inode:[eventfd]" },
	{ FD_TYPES__EVENTPOLL, "anon_inode:[eventpoll]" },
	{ FD_TYPES__INOTIFY, "anon_inode:inotify" },
	{ FD_TYPES__FANOTIFY, "anon_inode:[fanotify]" },
	{ FD_TYPES__SIGNALFD, "anon_inode:[signalfd]" },
	{ FD_TYPES__TIMERFD, "anon_inode:[timerfd]" },
	{ FD_TYPES__PIDFD, "anon_inode:[pidfd]" },
	{ FD_TYPES__BPFMAP, "anon_inode:bpf-map" },
};

static const char *const tcp_states[] = {
	[1] = "ESTABLISHED", [2] = "SYN_SENT",  [3] = "SYN_RECV",   [4] = "FIN_WAIT1",
	[5] = "FIN_WAIT2",   [6] = "TIME_WAIT", [7] = "CLOSE",      [8] = "CLOSE_WAIT",
	[9] = "LAST_ACK",    [10] = "LISTEN",   [11] = "CLOSING",
};

static const char *sock_type(uint32_t type)
{
	switch (type) {
	case SOCK_STREAM: return "stream";
	case SOCK_DGRAM: return "dgram";
	case SOCK_SEQPACKET: return "seqpacket";
	case SOCK_RAW: return "raw";
	default: return "?";
	}
}

/* @n address words of @family as text; "?" when they do not fit the family. */
static void inet_addr_text(uint32_t family, const uint32_t *words, size_t n, char *buf, size_t size)
{
	unsigned char raw[16];

	if ((family == AF_INET && n == 1) || (family == AF_INET6 && n == 4)) {
		memcpy(raw, words, n * sizeof(*words));
		if (inet_ntop(family, raw, buf, size))
			return;
	}
	snprintf(buf, size, "?");
}

/* The TCP state of @sk by name, or NULL for other sockets. */
static const char *tcp_state(const InetSkEntry *sk)
{
	if (sk->proto != IPPROTO_TCP || sk->state >= sizeof(tcp_states) / sizeof(tcp_states[0]))
		return NULL;
	return tcp_states[sk->state];
}

static void describe_inet(const InetSkEntry *sk, char *buf, size_t size)
{
	const char *proto = sk->proto == IPPROTO_TCP ? "tcp" : sk->proto == IPPROTO_UDP ? "udp" : "ip";
	const char *state = tcp_state(sk);
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	inet_addr_text(sk->family, sk->src_addr, sk->n_src_addr, src, sizeof(src));
	inet_addr_text(sk->family, sk->dst_addr, sk->n_dst_addr, dst, sizeof(dst));
	snprintf(buf, size, "socket:[%u] %s%s %s:%u -> %s:%u%s%s", sk->ino, proto,
		 sk->family == AF_INET6 ? "6" : "", src, sk->src_port, dst, sk->dst_port,
		 state ? " " : "", state ? state : "");
}

/* A unix socket's name: abstract ones start with '@', odd bytes show as '?'. */
static void unix_name(const ProtobufCBinaryData *name, char *buf, size_t size)
{
	size_t i, n = name->len < size - 1 ? name->len : size - 1;

	for (i = 0; i < n; i++)
		buf[i] = !i && !name->data[0] ? '@' : isprint(name->data[i]) ? name->data[i] : '?';
	buf[n] = '\0';
}

static void describe_unix(const UnixSkEntry *sk, char *buf, size_t size)
{
	char name[256];

	unix_name(&sk->name, name, sizeof(name));
	snprintf(buf, size, "socket:[%u] unix %s%s%s -> [%u]", sk->ino, sock_type(sk->type),
		 name[0] ? " " : "", name, sk->peer);
}

static const char *reg_name(const struct dump_files *fs, uint32_t id)
{
	const FileEntry *e = dump_file_find(fs, id);

	return e && e->reg ? e->reg->name : NULL;
}

/* The kinds that need more than a fixed text. */
static int describe_entry(const struct dump_files *fs, const FileEntry *e, char *buf, size_t size)
{
	const char *s;

	switch (e->type) {
	case FD_TYPES__REG:
		if (!e->reg)
			return -1;
		snprintf(buf, size, "%s", e->reg->name);
		return 0;
	case FD_TYPES__PIPE:
		if (!e->pipe)
			return -1;
		snprintf(buf, size, "pipe:[%u]", e->pipe->pipe_id);
		return 0;
	case FD_TYPES__FIFO:
		if (!e->fifo)
			return -1;
		s = e->fifo->has_regf_id ? reg_name(fs, e->fifo->regf_id) : NULL;
		snprintf(buf, size, "fifo:[%u] %s", e->fifo->pipe_id, s ? s : "?");
		return 0;
	case FD_TYPES__INETSK:
		if (!e->isk)
			return -1;
		describe_inet(e->isk, buf, size);
		return 0;
	case FD_TYPES__UNIXSK:
		if (!e->usk)
			return -1;
		describe_unix(e->usk, buf, size);
		return 0;
	case FD_TYPES__NETLINKSK:
		if (!e->nlsk)
			return -1;
		snprintf(buf, size, "socket:[%u] netlink protocol %u", e->nlsk->ino,
			 e->nlsk->protocol);
		return 0;
	case FD_TYPES__PACKETSK:
		if (!e->psk)
			return -1;
		snprintf(buf, size, "socket packet protocol 0x%x", ntohs(e->psk->protocol));
		return 0;
	case FD_TYPES__MEMFD:
		if (!e->memfd)
			return -1;
		s = dump_memfd_name(fs, e->memfd->inode_id);
		snprintf(buf, size, "memfd:%s", s ? s : "?");
		return 0;
	case FD_TYPES__TTY:
		s = e->tty && e->tty->has_regf_id ? reg_name(fs, e->tty->regf_id) : NULL;
		snprintf(buf, size, "tty %s", s ? s : "?");
		return 0;
	case FD_TYPES__TUNF:
		snprintf(buf, size, "tun %s", e->tunf && e->tunf->netdev ? e->tunf->netdev : "?");
		return 0;
	case FD_TYPES__EXT:
		/* marked at dump (--inherit-fd): the key the restore is handed it under */
		if (!e->ext || !e->ext->inherit_key)
			return -1;
		snprintf(buf, size, "%s (external)", e->ext->inherit_key);
		return 0;
	case FD_TYPES__NS:
		if (!e->nsf)
			return -1;
		snprintf(buf, size, "ns:[%u]", e->nsf->ns_id);
		return 0;
	default:
		return -1;
	}
}

const char *dump_file_describe(const struct dump_files *fs, uint32_t id, char *buf, size_t size)
{
	const FileEntry *e = dump_file_find(fs, id);
	const ProtobufCEnumValue *v;
	size_t i;

	if (!e) {
		snprintf(buf, size, "? (file %u is not in files.img)", id);
		return buf;
	}
	for (i = 0; i < sizeof(anon_files) / sizeof(anon_files[0]); i++)
		if (anon_files[i].type == e->type) {
			snprintf(buf, size, "%s", anon_files[i].text);
			return buf;
		}
	if (describe_entry(fs, e, buf, size) == 0)
		return buf;
	v = protobuf_c_enum_descriptor_get_value(&fd_types__descriptor, e->type);
	snprintf(buf, size, "%s (file %u)", v ? v->name : "?", id);
	return buf;
}
