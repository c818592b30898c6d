// SPDX-License-Identifier: LGPL-2.1-or-later
/* What the library knows about TCP states. Pure logic, unit tested. */
#include <netinet/tcp.h>

#include "soccr-int.h"

static const char *const state_names[] = {
	[TCP_ESTABLISHED] = "ESTABLISHED",
	[TCP_SYN_SENT] = "SYN_SENT",
	[TCP_SYN_RECV] = "SYN_RECV",
	[TCP_FIN_WAIT1] = "FIN_WAIT1",
	[TCP_FIN_WAIT2] = "FIN_WAIT2",
	[TCP_TIME_WAIT] = "TIME_WAIT",
	[TCP_CLOSE] = "CLOSE",
	[TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCP_LAST_ACK] = "LAST_ACK",
	[TCP_LISTEN] = "LISTEN",
	[TCP_CLOSING] = "CLOSING",
};

const char *soccr_state_name(unsigned int state)
{
	if (state < sizeof(state_names) / sizeof(state_names[0]) && state_names[state])
		return state_names[state];
	return "unknown";
}

/*
 * Our FIN comes back with shutdown() on the repaired socket, the peer's
 * with a segment sent to it (fin.c). TIME_WAIT sockets have no fd, and
 * SYN_SENT/SYN_RECV connections are not set up yet.
 */
bool soccr_state_supported(unsigned int state)
{
	return state == TCP_ESTABLISHED || soccr_state_fin_sent(state) || soccr_state_fin_received(state);
}

bool soccr_state_fin_sent(unsigned int state)
{
	return state == TCP_FIN_WAIT1 || state == TCP_FIN_WAIT2 || state == TCP_LAST_ACK ||
	       state == TCP_CLOSING;
}

bool soccr_state_fin_received(unsigned int state)
{
	return state == TCP_CLOSE_WAIT || state == TCP_LAST_ACK || state == TCP_CLOSING;
}
