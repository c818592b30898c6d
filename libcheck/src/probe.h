/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Inside libcheck: what a probe is, how it reports, and the helpers probes
 * share. A probe is a function that looks for one kernel feature and fills
 * a struct probe_out; the registry (registry.c) lists them all.
 */
#ifndef CHECK_PROBE_H
#define CHECK_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "check/check.h"

#define PROBE_MSG_MAX 256

/* A probe's answer. */
struct probe_out {
	enum check_result result;
	/* The capability a CHECK_NOT_PERMITTED result lacked, else -1. */
	int cap;
	char msg[PROBE_MSG_MAX];
};

typedef enum check_result (*probe_fn)(struct probe_out *out);

struct check_probe {
	const char *name;
	/* Another name --feature accepts (criu's older or newer spelling). */
	const char *alias;
	enum check_category category;
	const char *description;
	probe_fn run;
};

/* A handle over @probes (not copied: it must outlive the handle). */
struct check_ctx *check_ctx_new_table(const struct check_probe *probes, size_t count);

/*
 * Fill @out and return its result. The message is printf-formatted and
 * truncated to PROBE_MSG_MAX.
 */
__attribute__((format(printf, 2, 3))) enum check_result
probe_supported(struct probe_out *out, const char *fmt, ...);
__attribute__((format(printf, 2, 3))) enum check_result
probe_missing(struct probe_out *out, const char *fmt, ...);
__attribute__((format(printf, 2, 3))) enum check_result
probe_error(struct probe_out *out, const char *fmt, ...);
/* The message gets "(needs CAP_X)" appended. */
__attribute__((format(printf, 3, 4))) enum check_result
probe_not_permitted(struct probe_out *out, int cap, const char *fmt, ...);

/*
 * Sort the errno @err of a failed call described by @what: "no such
 * call/operation" errors (ENOSYS, EINVAL, ENOTTY, EOPNOTSUPP, ENOENT...)
 * mean missing; EPERM/EACCES mean not permitted when the caller lacks @cap
 * (-1: no capability helps); anything else is an error.
 */
enum check_result probe_errno(struct probe_out *out, int err, int cap, const char *what);

/*
 * The answer of a probe from the errno of its work (often run in a child):
 * 0 is supported with message @ok; EPROTO, the agreed errno for "the call
 * worked but the feature misbehaved", is missing with message @wrong (when
 * not NULL); anything else goes through probe_errno() with @cap and @what.
 */
enum check_result probe_answer(struct probe_out *out, int err, int cap, const char *what,
			       const char *wrong, const char *ok);

/* Whether the calling thread has capability @cap in its effective set. */
bool probe_has_cap(int cap);

/* "CAP_SYS_RESOURCE" for CAP_SYS_RESOURCE; "CAP_<n>" if unknown. */
const char *probe_cap_name(int cap, char *buf, size_t size);

/*
 * Run @fn in a child made by clone3() with @clone_flags (0: a plain fork;
 * CLONE_NEW* put it in new namespaces) and reap it. @fn returns 0 on
 * success or a positive errno; that is what probe_in_child() returns (or a
 * positive errno of its own when clone3 or wait fail; EINTR when the child
 * died of a signal). For probes that change process state (namespaces, mm
 * fields, signal masks) without touching the caller.
 */
int probe_in_child(unsigned long clone_flags, int (*fn)(void *arg), void *arg);

/*
 * A child stopped for ptrace: it runs @setup (may be NULL; returns 0 or a
 * positive errno), tells the parent it is ready, then waits in read()
 * until killed. probe_child_start() forks it and waits until it is ready:
 * 0 with the pid in *@pid, or a positive errno (from fork, or from @setup).
 * probe_child_seize() seizes and interrupts it with @options (PTRACE_O_*),
 * waiting until it is in the ptrace stop: 0 or a positive errno.
 * probe_child_kill() kills and reaps it.
 */
int probe_child_start(pid_t *pid, int (*setup)(void *arg), void *arg);
int probe_child_seize(pid_t pid, unsigned long options);
void probe_child_kill(pid_t pid);

/*
 * Block @sig in the calling thread and queue it to that thread with
 * rt_tgsigqueueinfo(), @value as its payload (si_value.sival_int), so that
 * it stays pending. For children only: it changes the signal mask. 0 or a
 * positive errno.
 */
int probe_queue_own_signal(int sig, int value);

/*
 * Read /proc/self/fdinfo/@fd into @buf (NUL-terminated): 0 or -errno.
 * probe_fdinfo_field() points just after @key in the first line of @buf
 * that starts with @key, or is NULL when no line does.
 */
int probe_read_fdinfo(int fd, char *buf, size_t size);
const char *probe_fdinfo_field(const char *buf, const char *key);

/* Read a whole small file into @buf (NUL-terminated): its length or -errno. */
ssize_t probe_read_file(const char *path, char *buf, size_t size);

struct nl_msg;
struct nlmsghdr;

/*
 * Send @msg over a new netlink socket of @protocol and call @on_reply for
 * every message that comes back until the kernel is done. @on_reply
 * returns 0 to go on or a positive errno to stop with it. Returns 0, the
 * kernel's errno (positive) when it answered with an error, or
 * EPROTONOSUPPORT when the netlink family does not exist.
 */
int probe_netlink_request(int protocol, struct nl_msg *msg,
			  int (*on_reply)(const struct nlmsghdr *nlh, void *arg), void *arg);

/* The inode of the namespace file /proc/self/ns/@name, or 0 on error. */
unsigned long probe_ns_inode(const char *name);

#endif
