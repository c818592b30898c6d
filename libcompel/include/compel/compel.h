/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcompel: parasite code injection: seize a task, run code inside it, cure it
 *
 * Conventions of every crtool library: functions return 0 (or a count) on
 * success and a negative errno on failure; constructors return NULL and set
 * errno. Nothing here prints, exits or aborts: messages go to the callback
 * installed with compel_set_log().
 *
 * The call sequence (see libcompel/README.md for a longer walk-through):
 *
 *	struct compel_task *t = compel_task_seize(pid);
 *		every thread of @pid is now stopped under ptrace, whatever it
 *		was doing; nothing in the task has changed.
 *	compel_task_syscall(t, nr, args, &ret);
 *		runs one syscall in the task's main thread, as many times as
 *		needed.
 *	compel_task_map_shared(t, size);
 *		one area mapped both here and in the task: pass buffers to
 *		remote syscalls through it.
 *	compel_task_infect(t, &blob, size);	(instead of map_shared)
 *	compel_parasite_call(t, cmd, len, &ret);
 *		loads a parasite built from C (see struct compel_blob) and
 *		sends it commands; fds travel both ways over a socket.
 *	compel_task_release(t);
 *		removes the parasite, unmaps what we mapped, puts back
 *		registers and signal masks, detaches every thread (a task
 *		that was stopped stays stopped) and frees @t.
 *
 * A compel_task is not thread-safe: use it from one thread at a time (the
 * thread that seized it, as ptrace requires).
 */
#ifndef COMPEL_COMPEL_H
#define COMPEL_COMPEL_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define COMPEL_API __attribute__((visibility("default")))

/* Log levels, the numbers criu uses. */
enum compel_log_level {
	COMPEL_LOG_MSG = 0,
	COMPEL_LOG_ERROR = 1,
	COMPEL_LOG_WARN = 2,
	COMPEL_LOG_INFO = 3,
	COMPEL_LOG_DEBUG = 4,
};

/*
 * Called once per message: @file and @line locate the message in the
 * library's sources, @msg is the formatted text without a trailing newline.
 */
typedef void (*compel_log_fn)(int level, const char *file, int line, const char *msg, void *ctx);

/* Install the log callback (NULL: drop every message). Process-wide. */
COMPEL_API void compel_set_log(compel_log_fn fn, void *ctx);

/* A seized task (thread group): opaque. */
struct compel_task;

/*
 * Seize the thread group of @pid and stop every one of its threads
 * (PTRACE_SEIZE + PTRACE_INTERRUPT, repeated until no new thread appears).
 * Seccomp filters are suspended while we hold the task. A task stopped by
 * SIGSTOP is noted and will be stopped again on release. Returns a new
 * object that compel_task_release() frees, or NULL with errno:
 * ESRCH no such task, or a zombie; EDEADLK @pid is the caller itself;
 * EPERM a kernel thread, or ptrace refused; EBUSY already traced;
 * EOPNOTSUPP not a 64-bit task of the architecture libcompel was built for.
 */
COMPEL_API struct compel_task *compel_task_seize(pid_t pid);

/*
 * Cure and let go: unmap the shared area in the task and here, restore
 * every thread's registers and signal mask (an interrupted syscall is
 * restarted as the kernel would have done), detach every thread and free
 * @task. A task that was stopped (SIGSTOP, or a SIGSTOP that arrived while
 * we held it) is left in group stop. Returns 0, or the first negative errno
 * met on the way (the task is still detached and @task freed).
 */
COMPEL_API int compel_task_release(struct compel_task *task);

/*
 * Kill the task with SIGKILL while we hold it (it never runs again), and
 * free @task without curing anything. For a caller that is done with the
 * task for good, as a checkpoint that does not leave it running is.
 * 0, or a negative errno (the task is still freed).
 */
COMPEL_API int compel_task_kill(struct compel_task *task);

/* The thread group id given to compel_task_seize(). */
COMPEL_API pid_t compel_task_pid(const struct compel_task *task);

/* Number of threads we hold (dead threads found on the way not counted). */
COMPEL_API int compel_task_nr_threads(const struct compel_task *task);

/* Thread id of thread @i (0 <= i < nr_threads); -EINVAL out of range. */
COMPEL_API pid_t compel_task_thread_id(const struct compel_task *task, int i);

/* 1 when the task was in group stop (SIGSTOP) at seize, else 0. */
COMPEL_API int compel_task_was_stopped(const struct compel_task *task);

/*
 * Run syscall @nr with arguments @args (six of them, unused ones ignored)
 * in the task's main thread, with every signal blocked, and store the raw
 * return value (a negative errno when the syscall failed) in @result.
 * Returns 0 when the syscall ran, or a negative errno when it could not be
 * run: ESRCH the task died (killed), EFAULT no syscall instruction found.
 * Buffers must live in the task: see compel_task_map_shared().
 */
COMPEL_API int compel_task_syscall(struct compel_task *task, long nr, const long args[6],
				   long *result);

/*
 * compel_task_syscall() in thread @i (0 <= i < nr_threads; 0 is the main
 * thread), for per-thread state such as the signal mask or the alternate
 * signal stack. -EINVAL for a bad @i.
 */
COMPEL_API int compel_task_thread_syscall(struct compel_task *task, int i, long nr,
					  const long args[6], long *result);

/*
 * Copy @len bytes from/to address @addr in the task (through
 * /proc/PID/mem, so read-only pages can be written too). Returns 0 or a
 * negative errno (EFAULT for an unmapped address).
 */
COMPEL_API int compel_task_mem_read(struct compel_task *task, unsigned long addr, void *buf,
				    size_t len);
COMPEL_API int compel_task_mem_write(struct compel_task *task, unsigned long addr,
				     const void *buf, size_t len);

/*
 * Map @size bytes (rounded up to pages) of shared memory both in the
 * caller and in the task (a memfd created in the task and fetched here with
 * pidfd_getfd; the task keeps no fd). At most one area per task: -EEXIST on
 * a second call. Later remote syscalls run from this area, so nothing else
 * in the task is touched. compel_task_release() unmaps it on both sides.
 */
COMPEL_API int compel_task_map_shared(struct compel_task *task, size_t size);

/* The shared area as seen here and in the task; NULL / 0 before mapping. */
COMPEL_API void *compel_task_shared_local(const struct compel_task *task);
COMPEL_API unsigned long compel_task_shared_remote(const struct compel_task *task);
COMPEL_API size_t compel_task_shared_size(const struct compel_task *task);

/*
 * A parasite: freestanding code built from C by the blob rule of
 * libcompel/meson.build (compel-blobgen writes one of these into a header).
 */
struct compel_blob {
	const unsigned char *image;	/* the code and data, .bss included as zeros */
	size_t size;
	const unsigned long *relocs;	/* offsets of 64-bit words to add the load address to */
	size_t nr_relocs;
	unsigned long entry;		/* where the parasite starts */
	unsigned long wait_site;	/* where it waits for the next command */
};

/*
 * Load @blob into the task and start it in the main thread with every
 * signal blocked: a shared area (compel_task_map_shared(); -EEXIST if the
 * task already has one) holds the image with its relocations applied, a
 * stack, and a command buffer of at least @data_size bytes. The parasite
 * then waits for commands. Remote syscalls still work while it waits.
 * compel_task_release() removes it. Returns 0 or a negative errno.
 */
COMPEL_API int compel_task_infect(struct compel_task *task, const struct compel_blob *blob,
				  size_t data_size);

/*
 * The parasite's command buffer as seen here (arguments in, reply out) and
 * its size in @room; NULL before compel_task_infect().
 */
COMPEL_API void *compel_parasite_data(const struct compel_task *task, size_t *room);

/*
 * Send command @cmd with @len bytes of arguments (already in the command
 * buffer) and run the parasite until it waits again; its handler's result
 * (a reply length in the buffer, or a negative errno) goes in @result.
 * Returns 0, or a negative errno when the parasite could not run:
 * EFAULT it crashed (the task keeps running on its own code after release,
 * its fault signal handlers as they were); ETIMEDOUT it did not wait again
 * within the task's timeout (compel_task_set_timeout()): it was stopped
 * where it was, and release cures the task as usual; ESRCH the task died;
 * EINVAL no parasite or @len too big. After EFAULT or ETIMEDOUT every
 * later call fails the same way (remote syscalls still work).
 */
COMPEL_API int compel_parasite_call(struct compel_task *task, unsigned int cmd, size_t len,
				    long *result);

/*
 * compel_parasite_call() in thread @i (0 <= i < nr_threads; 0 is the main
 * thread), for per-thread state: the handler runs in that thread (its
 * gettid(), alternate signal stack, ...), with every signal blocked and
 * the same command buffer. In threads other than the main one the
 * parasite is started afresh for each command, on a spare stack they
 * share: nothing a handler leaves on its stack lasts to the next command.
 * Same errors, and EINVAL for a bad @i.
 */
COMPEL_API int compel_parasite_call_thread(struct compel_task *task, int i, unsigned int cmd,
					   size_t len, long *result);

/* The time limit of a parasite command unless compel_task_set_timeout() says otherwise. */
#define COMPEL_DEFAULT_TIMEOUT_MS 5000

/*
 * How long compel_parasite_call() (and the start in compel_task_infect())
 * lets the parasite run before it gives up with -ETIMEDOUT, in
 * milliseconds; 0 waits for ever. Returns 0.
 */
COMPEL_API int compel_task_set_timeout(struct compel_task *task, unsigned int ms);

/*
 * The next file descriptor the parasite sent with pie_send_fd(), now ours
 * (close it when done), or -EAGAIN when none is waiting. Fds not taken are
 * closed at release.
 */
COMPEL_API int compel_parasite_recv_fd(struct compel_task *task);

/*
 * Send a copy of our @fd to the parasite (SCM_RIGHTS); a handler of a later
 * command takes it with pie_recv_fd() and owns it there. We keep @fd.
 * 0 or a negative errno (EINVAL: no parasite).
 */
COMPEL_API int compel_parasite_send_fd(struct compel_task *task, int fd);

/*
 * The syscall number of @name ("getpid", "write", ...) for the architecture
 * libcompel was built for, from a table of common syscalls; -ENOENT when
 * the name is not in the table.
 */
COMPEL_API long compel_syscall_nr(const char *name);

#ifdef __cplusplus
}
#endif

#endif
