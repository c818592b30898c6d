/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcr: dump and restore of process trees
 *
 * Conventions of every crtool library: functions return 0 (or a count) on
 * success and a negative errno on failure; constructors return NULL and set
 * errno. Nothing here prints, exits or aborts: messages go to the callback
 * installed with cr_set_log().
 */
#ifndef CR_CR_H
#define CR_CR_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CR_API __attribute__((visibility("default")))

/* Log levels, the numbers criu uses. */
enum cr_log_level {
	CR_LOG_MSG = 0,
	CR_LOG_ERROR = 1,
	CR_LOG_WARN = 2,
	CR_LOG_INFO = 3,
	CR_LOG_DEBUG = 4,
};

/*
 * Called once per message: @file and @line locate the message in the
 * library's sources, @msg is the formatted text without a trailing newline.
 */
typedef void (*cr_log_fn)(int level, const char *file, int line, const char *msg, void *ctx);

/* Install the log callback (NULL: drop every message). Process-wide. */
CR_API void cr_set_log(cr_log_fn fn, void *ctx);

/* cr_dump_opts.flags */
#define CR_DUMP_LEAVE_RUNNING 0x1 /* resume the tree after the dump instead of killing it */
#define CR_DUMP_SHELL_JOB 0x2	   /* the session leader may be outside the tree */
/*
 * A dry run: every step but copying page contents (the pagemaps list the
 * runs without data), the tree left running, inventory.img marked
 * check_only. Such images restore only with CR_RESTORE_CHECK_ONLY.
 */
#define CR_DUMP_CHECK_ONLY 0x4
/*
 * An open regular file whose path no longer leads to it (its name unlinked
 * or replaced while another hard link remains) gets a new hard link
 * link_remap.N in the folder of its old name, through which the restore
 * opens it and which the restore then removes (criu's --link-remap). The
 * links are removed again when the tree keeps running or the dump fails.
 * Without this flag such a file fails the dump.
 */
#define CR_DUMP_LINK_REMAP 0x10
/*
 * A unix socket whose peer is outside the tree is dumped as external (a
 * datagram socket is connected to its peer's name again at restore),
 * not refused. Stream and seqpacket sockets with such a peer stay refused.
 */
#define CR_DUMP_EXT_UNIX_SK 0x20
/*
 * An established TCP connection is dumped (criu's --tcp-established):
 * its state and queues saved with TCP_REPAIR. It stays frozen in repair
 * mode until the tree is killed, which then sends nothing to the peer (or
 * resumed, with CR_DUMP_LEAVE_RUNNING or a failed dump). Its traffic is
 * not held off: the peer must not send until the restore. Without this
 * flag such a connection fails the dump. (0x8 was once taken: not reused.)
 */
#define CR_DUMP_TCP_ESTABLISHED 0x40

struct cr_dump_opts {
	size_t sz;		/* sizeof(struct cr_dump_opts), for compatibility */
	pid_t pid;		/* root of the tree */
	int images_dirfd;	/* where the images go (the caller keeps it) */
	unsigned int flags;	/* CR_DUMP_* */
	/*
	 * Added with inherit-fd; callers with a smaller sz dump every file.
	 * Files whose /proc/PID/fd link text (pipe:[123], socket:[456], a
	 * path; a path may also be given relative to the task's root, as
	 * tmp/log) equals one of these keys are external: the dump records
	 * only the key (a FileEntry of type EXT), not their contents (pipe
	 * data, ...). The restore then needs a descriptor for each key
	 * (cr_restore_opts.inherit_fds).
	 */
	const char *const *inherit_keys;
	size_t nr_inherit_keys;
	/*
	 * Added with --ghost-limit; callers with a smaller sz get the default.
	 * The biggest open deleted file (no link left) whose bytes the dump
	 * saves, in bytes; 0 means 1 MiB. A bigger one fails the dump.
	 */
	unsigned long long ghost_limit;
};

/*
 * Freeze the tree under opts->pid, write its images into
 * opts->images_dirfd, then kill the tree (or resume it with
 * CR_DUMP_LEAVE_RUNNING). On failure every task runs on exactly as before
 * and a negative errno is returned; the log says why.
 */
CR_API int cr_dump(const struct cr_dump_opts *opts);

/* cr_restore_opts.flags */
#define CR_RESTORE_DETACHED 0x1 /* do not wait for the restored root */
#define CR_RESTORE_SHELL_JOB 0x2
/*
 * A dry run: check what a real restore would meet (the findings below),
 * then do every step of it but filling memory, stop the tree just before
 * it would resume, and kill it. Set by itself on images of a check-only
 * dump (cr_images_check_only()).
 */
#define CR_RESTORE_CHECK_ONLY 0x4
/*
 * Established TCP connections of the images are restored with TCP_REPAIR
 * (criu's --tcp-established); without this flag they fail the restore.
 */
#define CR_RESTORE_TCP_ESTABLISHED 0x8

/* One reason a restore here would fail, found by a check-only restore. */
struct cr_finding {
	const char *kind;	/* "file", "memory", "pid" or "kernel" */
	const char *subject;	/* the path, the cgroup or "MemAvailable", the PID, the probe */
	const char *message;	/* the whole finding, one line for a person */
};

/* Called once per finding, before anything is created; the strings die on return. */
typedef void (*cr_finding_fn)(const struct cr_finding *finding, void *ctx);

/* A file handed in by the caller of cr_restore() (crtool restore --inherit-fd fd[N]:KEY). */
struct cr_inherit_fd {
	int fd;		 /* open in the caller */
	const char *key; /* as for cr_dump_opts.inherit_keys */
};

struct cr_restore_opts {
	size_t sz;		/* sizeof(struct cr_restore_opts) */
	int images_dirfd;
	unsigned int flags;	/* CR_RESTORE_* */
	/* Added with CR_RESTORE_CHECK_ONLY; callers with a smaller sz get NULL. */
	cr_finding_fn finding;	/* may be NULL: findings are logged (info) in any case */
	void *finding_ctx;
	/*
	 * Added with inherit-fd; callers with a smaller sz give none. Every
	 * task fd whose file has the key of one of these (the key recorded
	 * for an external file at dump; for other files pipe:[INO] of a pipe,
	 * the path of a regular file or FIFO) gets a duplicate of the
	 * caller's @fd instead of a file rebuilt from the images: the open
	 * file is shared as it is (flags, position), only close-on-exec is
	 * the dumped one. The caller keeps its fds: cr_restore() never closes
	 * or moves them, even when a task's fd has the same number.
	 */
	const struct cr_inherit_fd *inherit_fds;
	size_t nr_inherit_fds;
};

/*
 * Whether the images in @images_dirfd come from a check-only dump: 1, 0,
 * or a negative errno (no readable inventory.img).
 */
CR_API int cr_images_check_only(int images_dirfd);

/*
 * Rebuild the tree from the images in opts->images_dirfd with its original
 * PIDs and let it run. The restored root is a child of the caller; its PID
 * goes to @root_pid. With CR_RESTORE_DETACHED this returns as soon as the
 * tree runs; otherwise it waits for the root to end and returns its wait
 * status (>= 0). On failure nothing restored is left alive and a negative
 * errno is returned.
 *
 * With CR_RESTORE_CHECK_ONLY nothing is left running: 0 means a real
 * restore would have succeeded (@root_pid is left alone); a negative errno
 * says it would not, each finding went to opts->finding.
 *
 * A file dumped as external whose key no opts->inherit_fds entry has, or an
 * entry whose fd is not open, fails the restore before anything is created.
 */
CR_API int cr_restore(const struct cr_restore_opts *opts, pid_t *root_pid);

#ifdef __cplusplus
}
#endif

#endif
