// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The peer's FIN of a restored CLOSE_WAIT, LAST_ACK or CLOSING connection.
 * No socket option makes a socket believe a FIN arrived, so the library
 * sends the socket the FIN the peer once sent: a TCP segment from the
 * peer's address to ours, through a raw socket (it travels over loopback,
 * and carries SOCCR_MARK so netfilter rules holding the connection's
 * traffic can let it through).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "soccr-int.h"
#include "soccr-log.h"

/* One's complement sum of @data as big-endian 16-bit words (read as bytes: no aliasing). */
static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (; len > 1; len -= 2, p += 2)
		sum += p[0] << 8 | p[1];
	return sum;
}

/* The checksum field for @sum, in network order. */
static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

/* An IPv4-mapped IPv6 address as IPv4; other addresses unchanged. */
static void unmap_v4(union libsoccr_addr *a)
{
	struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_port = a->v6.sin6_port };

	if (a->sa.sa_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&a->v6.sin6_addr))
		return;
	memcpy(&v4.sin_addr, &a->v6.sin6_addr.s6_addr[12], 4);
	a->v4 = v4;
}

/*
 * Put the IP header for a segment from @from to @to in @pkt, then @tcp
 * with its checksum. Returns the packet's length.
 */
static size_t build_packet(char *pkt, struct tcphdr *tcp, const union libsoccr_addr *from,
			   const union libsoccr_addr *to)
{
	size_t iplen;
	uint32_t sum;

	if (from->sa.sa_family == AF_INET) {
		struct iphdr ip = { .version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_TCP,
				    .tot_len = htons(sizeof(ip) + sizeof(*tcp)),
				    .saddr = from->v4.sin_addr.s_addr, .daddr = to->v4.sin_addr.s_addr };
		struct { uint32_t src, dst; uint8_t zero, proto; uint16_t len; } ph = {
			ip.saddr, ip.daddr, 0, IPPROTO_TCP, htons(sizeof(*tcp)) };

		sum = csum_add(0, &ph, sizeof(ph));
		iplen = sizeof(ip);
		memcpy(pkt, &ip, iplen);
	} else {
		struct ip6_hdr ip = { .ip6_flow = htonl(6 << 28), .ip6_plen = htons(sizeof(*tcp)),
				      .ip6_nxt = IPPROTO_TCP, .ip6_hlim = 64,
				      .ip6_src = from->v6.sin6_addr, .ip6_dst = to->v6.sin6_addr };
		struct { struct in6_addr src, dst; uint32_t len; uint8_t zero[3], proto; } ph = {
			ip.ip6_src, ip.ip6_dst, htonl(sizeof(*tcp)), { 0 }, IPPROTO_TCP };

		sum = csum_add(0, &ph, sizeof(ph));
		iplen = sizeof(ip);
		memcpy(pkt, &ip, iplen);
	}
	tcp->th_sum = 0;
	tcp->th_sum = csum_fold(csum_add(sum, tcp, sizeof(*tcp)));
	memcpy(pkt + iplen, tcp, sizeof(*tcp));
	return iplen + sizeof(*tcp);
}

/* Wait (briefly: the segment goes over loopback) for the socket to reach @state. */
static int wait_state(int fd, unsigned int state)
{
	struct timespec tick = { 0, 1000000 };
	int i, cur = -1;

	for (i = 0; i < 200; i++) {
		cur = soccr_tcp_state(fd);
		if (cur < 0 || (unsigned int)cur == state)
			return cur < 0 ? cur : 0;
		nanosleep(&tick, NULL);
	}
	loge("The peer's FIN left fd %d in state %s, not %s", fd, soccr_state_name(cur),
	     soccr_state_name(state));
	return -EIO;
}

int soccr_send_peer_fin(struct libsoccr_sk *sk, const struct libsoccr_sk_data *d, unsigned int state)
{
	union libsoccr_addr self = *(union libsoccr_addr *)sk->addr[1].ptr;
	union libsoccr_addr peer = *(union libsoccr_addr *)sk->addr[0].ptr;
	uint32_t wnd = d->flags & SOCCR_FLAGS_WINDOW ? d->snd_wnd : 0xffff;
	char pkt[sizeof(struct ip6_hdr) + sizeof(struct tcphdr)];
	struct tcphdr tcp = { 0 };
	int raw, mark = SOCCR_MARK, ret;
	ssize_t len, sent;

	unmap_v4(&self);
	unmap_v4(&peer);
	if (d->opt_mask & TCPI_OPT_WSCALE)
		wnd >>= d->snd_wscale;
	/* The port sits at the same offset in sockaddr_in and sockaddr_in6. */
	tcp.th_sport = peer.v4.sin_port;
	tcp.th_dport = self.v4.sin_port;
	tcp.th_seq = htonl(d->inq_seq);
	tcp.th_ack = htonl(d->outq_seq - d->outq_len);
	tcp.th_off = sizeof(tcp) / 4;
	tcp.th_flags = TH_FIN | TH_ACK;
	tcp.th_win = htons(wnd > 0xffff ? 0xffff : wnd);
	len = build_packet(pkt, &tcp, &peer, &self);

	/* IPPROTO_RAW: we write the IP header, so the source can be the peer. */
	raw = socket(self.sa.sa_family, SOCK_RAW, IPPROTO_RAW);
	if (raw < 0) {
		logerr("Can't open a raw socket for the peer's FIN");
		return -errno;
	}
	if (setsockopt(raw, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)))
		logerr("Can't mark the peer's FIN with SOCCR_MARK");
	self.v4.sin_port = 0; /* a raw socket takes no port */
	sent = sendto(raw, pkt, len, 0, &self.sa, soccr_addr_len(&self));
	if (sent != len) {
		ret = sent < 0 ? -errno : -EIO;
		logerr("Can't send the peer's FIN to fd %d", sk->fd);
		close(raw);
		return ret;
	}
	close(raw);
	return wait_state(sk->fd, state);
}
