/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsoccr: save and restore one live TCP connection with TCP_REPAIR.
 *
 * Source-compatible with the libsoccr API that CRIU ships: the same names,
 * the same structures, the same call sequence. Every call needs
 * CAP_NET_ADMIN in the network namespace of the socket (TCP_REPAIR does).
 *
 * Supported: IPv4, IPv6 and IPv4-mapped IPv6 sockets in the states
 * ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT, LAST_ACK and CLOSING. A
 * socket in any other state (or a fd that is not a connected TCP socket)
 * is refused by libsoccr_pause() or libsoccr_save() with a logged reason
 * and left as it was. A restored FIN_WAIT2 socket is in FIN_WAIT1 until
 * the peer acknowledges our FIN again.
 *
 * While a connection is being saved or restored, no packet of it may reach
 * or leave the host: hold its traffic off (set the link down, or drop it
 * with netfilter) until libsoccr_resume() has returned. Restoring a
 * connection the peer had closed (CLOSE_WAIT, LAST_ACK, CLOSING), the
 * library sends the socket the peer's FIN from a raw socket, over loopback,
 * marked SOCCR_MARK: a netfilter rule must let that mark through.
 *
 * CHECKPOINT, on the live socket fd:
 *
 *	sk = libsoccr_pause(fd);                  repair mode on, socket frozen
 *	libsoccr_save(sk, &data, sizeof(data));   sequence numbers, options, windows
 *	inq  = libsoccr_get_queue_bytes(sk, TCP_RECV_QUEUE, SOCCR_MEM_EXCL);
 *	outq = libsoccr_get_queue_bytes(sk, TCP_SEND_QUEUE, SOCCR_MEM_EXCL);
 *	src  = libsoccr_get_addr(sk, 1, 0);       or getsockname()
 *	dst  = libsoccr_get_addr(sk, 0, 0);       or getpeername()
 *	... store data, inq (data.inq_len bytes), outq (data.outq_len bytes),
 *	    src and dst somewhere ...
 *	then either close(fd) and libsoccr_release(sk)  (the connection moves on;
 *	closing a socket in repair mode sends nothing to the peer), or
 *	libsoccr_resume(sk)                       (the connection goes on here, and
 *	                                           what was saved is stale)
 *
 * RESTORE, on a fresh socket of the same family:
 *
 *	fd = socket(family, SOCK_STREAM, IPPROTO_TCP);
 *	sk = libsoccr_pause(fd);
 *	libsoccr_set_addr(sk, 1, src, 0);
 *	libsoccr_set_addr(sk, 0, dst, 0);
 *	libsoccr_set_queue_bytes(sk, TCP_RECV_QUEUE, inq, SOCCR_MEM_EXCL);
 *	libsoccr_set_queue_bytes(sk, TCP_SEND_QUEUE, outq, SOCCR_MEM_EXCL);
 *	libsoccr_restore(sk, &data, sizeof(data)); bind, connect, options, queues
 *	libsoccr_resume(sk);                       repair mode off, sk freed
 *	... now let the connection's traffic flow again ...
 *
 * Memory: a buffer passed with SOCCR_MEM_EXCL changes owner. Taken from
 * the library, the caller free()s it; given to the library, the library
 * free()s it in libsoccr_resume()/libsoccr_release(), and it must come from
 * malloc(). Without the flag the owner does not change: the library frees
 * its own buffers in resume/release, and the caller's buffers must stay
 * valid until then.
 */
#ifndef SOCCR_SOCCR_H
#define SOCCR_SOCCR_H

#include <netinet/in.h>
#include <netinet/tcp.h> /* TCP_RECV_QUEUE, TCP_SEND_QUEUE, struct tcp_repair_window */
#include <stdint.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SOCCR_API __attribute__((visibility("default")))

/* Packets the library sends on its own carry this SO_MARK. */
#define SOCCR_MARK 0xC114

#ifndef TCP_TIMESTAMP
#define TCP_TIMESTAMP 24
#endif
#ifndef TCP_REPAIR_WINDOW
#define TCP_REPAIR_WINDOW 29
#endif

/* Log levels understood by libsoccr_set_log(). */
#define SOCCR_LOG_ERR 1
#define SOCCR_LOG_DBG 2

/*
 * Install the log function: messages of @level and below (more severe) go to
 * @fn, formatted printf-style, one line each with a trailing newline.
 * Process-wide; NULL drops every message. The library never prints itself.
 */
SOCCR_API void libsoccr_set_log(unsigned int level, void (*fn)(unsigned int level, const char *fmt, ...));

/* A socket under repair; opaque, made by libsoccr_pause(). */
struct libsoccr_sk;

/* A local or remote address, IPv4 or IPv6 (sa.sa_family tells which). */
union libsoccr_addr {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

/*
 * What libsoccr_save() reads out of the kernel and libsoccr_restore() puts
 * back. Plain numbers: store them as they are, on any medium.
 */
struct libsoccr_sk_data {
	uint32_t state;      /* TCP_ESTABLISHED, TCP_FIN_WAIT1, ... (netinet/tcp.h) */
	uint32_t inq_len;    /* bytes received and not yet read */
	uint32_t inq_seq;    /* sequence number after the last received byte */
	uint32_t outq_len;   /* bytes written and not yet acknowledged (sent or not) */
	uint32_t outq_seq;   /* sequence number after the last written byte */
	uint32_t unsq_len;   /* of outq_len, the bytes never sent yet */
	uint32_t opt_mask;   /* negotiated options: TCPI_OPT_* bits */
	uint32_t mss_clamp;  /* largest segment the peer accepts */
	uint32_t snd_wscale; /* peer's window scale (TCPI_OPT_WSCALE) */
	uint32_t rcv_wscale; /* our window scale (TCPI_OPT_WSCALE) */
	uint32_t timestamp;  /* our TCP timestamp clock now (TCPI_OPT_TIMESTAMPS) */

	uint32_t flags; /* SOCCR_FLAGS_*: which of the fields below are valid */
	uint32_t snd_wl1;
	uint32_t snd_wnd;
	uint32_t max_window;
	uint32_t rcv_wnd;
	uint32_t rcv_wup;
};

/* snd_wl1, snd_wnd, max_window, rcv_wnd and rcv_wup are valid. */
#define SOCCR_FLAGS_WINDOW 0x1

/* Memory passed with this flag changes owner (see the top of this file). */
#define SOCCR_MEM_EXCL 0x1

/*
 * Put socket @fd in repair mode and return a handle for the calls below.
 * @fd must be a TCP socket, either unconnected (to restore into) or in a
 * supported state (to save). The caller keeps owning @fd.
 * Returns NULL with errno set, the socket untouched: ENOTSOCK (not a
 * socket), EPROTONOSUPPORT (not TCP over IPv4/IPv6), EOPNOTSUPP (listening
 * or unsupported state), EPERM (no CAP_NET_ADMIN), ENOMEM.
 */
SOCCR_API struct libsoccr_sk *libsoccr_pause(int fd);

/*
 * Take the socket out of repair mode (the connection runs on, unsent data
 * goes out) and free @sk with every buffer the library owns. NULL is a no-op.
 */
SOCCR_API void libsoccr_resume(struct libsoccr_sk *sk);

/*
 * Free @sk like libsoccr_resume(), but leave the socket in repair mode: for
 * a socket that is about to be closed without a word to the peer.
 */
SOCCR_API void libsoccr_release(struct libsoccr_sk *sk);

/*
 * Read the connection's state into @data, and both queues into buffers
 * kept in @sk (libsoccr_get_queue_bytes() hands them out). @data_size is
 * the size of the caller's struct: a shorter, older struct gets its prefix.
 * Returns the number of bytes written to @data, or -errno: ENOTCONN (not
 * connected), EOPNOTSUPP (state not supported), ENOMEM, or what the kernel
 * said. On failure the socket stays paused and can be resumed.
 */
SOCCR_API int libsoccr_save(struct libsoccr_sk *sk, struct libsoccr_sk_data *data, unsigned data_size);

/*
 * The bytes of queue @queue_id saved by libsoccr_save(): TCP_RECV_QUEUE
 * (data.inq_len bytes) or TCP_SEND_QUEUE (data.outq_len bytes). NULL for
 * another id, an empty queue or a second SOCCR_MEM_EXCL claim. With
 * SOCCR_MEM_EXCL the caller owns and free()s the buffer; without it the
 * buffer lives until libsoccr_resume()/libsoccr_release().
 */
SOCCR_API char *libsoccr_get_queue_bytes(struct libsoccr_sk *sk, int queue_id, unsigned flags);

/*
 * The local (@self != 0) or peer (@self == 0) address of a paused socket,
 * read from the kernel on first use. NULL with errno set on failure.
 * Ownership as for libsoccr_get_queue_bytes().
 */
SOCCR_API union libsoccr_addr *libsoccr_get_addr(struct libsoccr_sk *sk, int self, unsigned flags);

/*
 * Give the bytes of queue @queue_id (TCP_RECV_QUEUE or TCP_SEND_QUEUE) to
 * restore; their length comes from the data given to libsoccr_restore().
 * With SOCCR_MEM_EXCL the library owns @bytes (from malloc()). Returns 0,
 * or -EINVAL for another queue id.
 */
SOCCR_API int libsoccr_set_queue_bytes(struct libsoccr_sk *sk, int queue_id, char *bytes, unsigned flags);

/*
 * Give the local (@self != 0) or peer (@self == 0) address to restore.
 * Both are needed before libsoccr_restore(). With SOCCR_MEM_EXCL the
 * library owns @addr (from malloc()). Returns 0 or -EINVAL (family is
 * neither AF_INET nor AF_INET6).
 */
SOCCR_API int libsoccr_set_addr(struct libsoccr_sk *sk, int self, union libsoccr_addr *addr, unsigned flags);

/*
 * Rebuild the saved connection on the paused, unconnected socket: sequence
 * numbers, bind and connect (nothing goes on the wire), options, timestamp,
 * both queues, the FINs of a half-closed connection, windows. TCP_MAXSEG
 * is set to the saved MSS clamp so segments keep their size. A queue that
 * does not fit the new socket's buffer grows it (SO_RCVBUFFORCE or
 * SO_SNDBUFFORCE; its size is then fixed). Then call libsoccr_resume(). Returns 0 or -errno: EINVAL (addresses or queues
 * missing, @data_size too small, inconsistent data), EOPNOTSUPP (state not
 * supported), or what the kernel said; the socket is then unusable and
 * should be closed.
 */
SOCCR_API int libsoccr_restore(struct libsoccr_sk *sk, struct libsoccr_sk_data *data, unsigned data_size);

#ifdef __cplusplus
}
#endif

#endif
