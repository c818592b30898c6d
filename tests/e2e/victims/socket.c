// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A connected socketpair with a message queued, which crtool cannot dump:
 * the dump must fail naming the socket and leave this process as it was.
 * Afterwards the message comes out whole and the pair still carries data.
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "victim.h"

#define MSG "queued before the dump"

static int sk[2];

static int setup(void)
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sk))
		return victim_fail("socketpair: %m");
	if (write(sk[0], MSG, sizeof(MSG)) != sizeof(MSG))
		return victim_fail("write: %m");
	return 0;
}

static int check(void)
{
	char buf[sizeof(MSG)];

	if (recv(sk[1], buf, sizeof(buf), MSG_DONTWAIT) != sizeof(MSG) ||
	    memcmp(buf, MSG, sizeof(MSG)))
		return victim_fail("the queued message is lost");
	if (write(sk[1], "back", 4) != 4 || recv(sk[0], buf, 4, MSG_DONTWAIT) != 4 ||
	    memcmp(buf, "back", 4))
		return victim_fail("the pair no longer carries data: %m");
	return 0;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
