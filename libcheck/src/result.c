// SPDX-License-Identifier: LGPL-2.1-or-later
/* How probes fill in their answer. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "probe.h"

static enum check_result vset(struct probe_out *out, enum check_result result, const char *fmt,
			      va_list ap)
{
	out->result = result;
	vsnprintf(out->msg, sizeof(out->msg), fmt, ap);
	return result;
}

#define DEFINE_SETTER(fn, result)                                                   \
	enum check_result fn(struct probe_out *out, const char *fmt, ...)          \
	{                                                                           \
		va_list ap;                                                         \
		enum check_result r;                                                \
                                                                                    \
		va_start(ap, fmt);                                                  \
		r = vset(out, result, fmt, ap);                                     \
		va_end(ap);                                                         \
		return r;                                                           \
	}

DEFINE_SETTER(probe_supported, CHECK_SUPPORTED)
DEFINE_SETTER(probe_missing, CHECK_MISSING)
DEFINE_SETTER(probe_error, CHECK_ERROR)

enum check_result probe_not_permitted(struct probe_out *out, int cap, const char *fmt, ...)
{
	char name[32];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vset(out, CHECK_NOT_PERMITTED, fmt, ap);
	va_end(ap);
	out->cap = cap;
	len = strlen(out->msg);
	snprintf(out->msg + len, sizeof(out->msg) - len, " (needs %s)",
		 probe_cap_name(cap, name, sizeof(name)));
	return CHECK_NOT_PERMITTED;
}

enum check_result probe_errno(struct probe_out *out, int err, int cap, const char *what)
{
	char name[32];

	switch (err) {
	case ENOSYS:
	case EINVAL:
	case ENOTTY:
	case EOPNOTSUPP:
	case ENOENT:
	case EIO:
	case ENOPROTOOPT:
	case EPROTONOSUPPORT:
	case EAFNOSUPPORT:
		return probe_missing(out, "%s: %s", what, strerror(err));
	case EPERM:
	case EACCES:
		if (cap < 0)
			break;
		if (!probe_has_cap(cap))
			return probe_not_permitted(out, cap, "%s: %s", what, strerror(err));
		return probe_error(out, "%s: %s although %s is present", what, strerror(err),
				   probe_cap_name(cap, name, sizeof(name)));
	}
	return probe_error(out, "%s: %s", what, strerror(err));
}

enum check_result probe_answer(struct probe_out *out, int err, int cap, const char *what,
			       const char *wrong, const char *ok)
{
	if (err == EPROTO && wrong)
		return probe_missing(out, "%s", wrong);
	if (err)
		return probe_errno(out, err, cap, what);
	return probe_supported(out, "%s", ok);
}
