// SPDX-License-Identifier: LGPL-2.1-or-later
/* Capabilities, through libcap: tell "not permitted" from "missing". */
#include <ctype.h>
#include <stdio.h>
#include <sys/capability.h>

#include "probe.h"

bool probe_has_cap(int cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return false;
	if (cap_get_flag(caps, cap, CAP_EFFECTIVE, &v))
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}

const char *probe_cap_name(int cap, char *buf, size_t size)
{
	char *name = cap_to_name(cap);
	size_t i;

	/* libcap spells them "cap_sys_resource"; the kernel headers upper case. */
	if (!name || !size) {
		snprintf(buf, size, "CAP_%d", cap);
	} else {
		for (i = 0; name[i] && i + 1 < size; i++)
			buf[i] = toupper((unsigned char)name[i]);
		buf[i] = '\0';
	}
	cap_free(name);
	return buf;
}
