/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The key of an inherited file: what /proc/PID/fd/N links to (pipe:[123],
 * socket:[456], /tmp/log). A path may be given relative to the task's
 * root (tmp/log); it names the same file as /tmp/log.
 */
#ifndef CR_INHERIT_KEY_H
#define CR_INHERIT_KEY_H

#include <stdbool.h>
#include <string.h>

/* Whether @given (an option's) names the file whose key is @key. */
static inline bool inherit_key_match(const char *key, const char *given)
{
	if (!strcmp(key, given))
		return true;
	return key[0] == '/' && given[0] != '/' && !strcmp(key + 1, given);
}

#endif
