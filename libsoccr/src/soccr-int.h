/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsoccr internals shared by pause/resume, save and restore. */
#ifndef SOCCR_INT_H
#define SOCCR_INT_H

#include <stdbool.h>

#include "soccr/soccr.h"

/* A buffer and whether the library must free() it. */
struct soccr_buf {
	void *ptr;
	bool owned;
};

/* Index of a queue in struct libsoccr_sk. */
enum { SOCCR_Q_RECV, SOCCR_Q_SEND, SOCCR_Q_NR };

struct libsoccr_sk {
	int fd;
	bool reuseaddr;				/* SO_REUSEADDR before pause, put back on resume */
	struct soccr_buf queue[SOCCR_Q_NR];
	struct soccr_buf addr[2];		/* [0] peer, [1] self: the API's "self" flag */
};

/* Replace what @buf holds, freeing the old buffer if the library owned it. */
void soccr_buf_set(struct soccr_buf *buf, void *ptr, bool owned);
/* Hand @buf out under the SOCCR_MEM_EXCL rules of the public header. */
void *soccr_buf_get(struct soccr_buf *buf, unsigned flags);

/* SOCCR_Q_* for TCP_RECV_QUEUE/TCP_SEND_QUEUE, -1 for anything else. */
int soccr_queue_index(int queue_id);

/* Select the queue TCP_QUEUE_SEQ and repair-mode send/recv work on. */
int soccr_repair_queue(int fd, int queue_id);
/* Turn repair mode on (1), off (TCP_REPAIR_OFF) or off without probe. */
int soccr_repair_mode(int fd, int mode);

/* The connection's TCP state (TCP_ESTABLISHED, ...) or -errno. */
int soccr_tcp_state(int fd);
/* Name of a TCP state for messages. */
const char *soccr_state_name(unsigned int state);
/* Whether the library can save and restore a connection in @state. */
bool soccr_state_supported(unsigned int state);
/* Whether our FIN is in the sequence space in @state. */
bool soccr_state_fin_sent(unsigned int state);
/* Whether the peer's FIN is in the sequence space in @state. */
bool soccr_state_fin_received(unsigned int state);

/*
 * Make the restored socket receive the peer's FIN (at d->inq_seq) and wait
 * until it reaches @state. Addresses must be set.
 */
int soccr_send_peer_fin(struct libsoccr_sk *sk, const struct libsoccr_sk_data *d, unsigned int state);

/* Length of the sockaddr in @addr for bind()/connect(), 0 if no family fits. */
unsigned int soccr_addr_len(const union libsoccr_addr *addr);

#endif
