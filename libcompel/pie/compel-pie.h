/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The parasite runtime: what code running inside the task may use. A
 * parasite is freestanding (no libc): it gets raw syscalls, a few memory
 * and string helpers, and a command loop. Its author writes only
 * pie_handle(), called once per command the caller sends.
 */
#ifndef COMPEL_PIE_H
#define COMPEL_PIE_H

#include <stddef.h>
#include <stdint.h>

#define PIE_HIDDEN __attribute__((visibility("hidden")))

/*
 * Handle command @cmd: @data holds @len bytes of arguments and has room for
 * @room bytes of reply. Return the reply length (>= 0) or a negative errno.
 * Written by the parasite's author.
 */
PIE_HIDDEN long pie_handle(uint32_t cmd, void *data, uint32_t len, uint32_t room);

/* A raw syscall: the result, or a negative errno. */
PIE_HIDDEN long pie_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
#define pie_syscall(nr, a0, a1, a2) pie_syscall6(nr, (long)(a0), (long)(a1), (long)(a2), 0, 0, 0)

/*
 * Send @fd (which stays open here) to the caller, who gets it from
 * compel_parasite_recv_fd(). 0 or a negative errno.
 */
PIE_HIDDEN int pie_send_fd(int fd);

/*
 * The next fd the caller sent with compel_parasite_send_fd() (now the
 * parasite's: close it when done), or -EAGAIN when none is waiting.
 */
PIE_HIDDEN int pie_recv_fd(void);

/* Send one line of text to the caller's log (info level). */
PIE_HIDDEN void pie_log(const char *msg);

PIE_HIDDEN void *memcpy(void *dst, const void *src, size_t n);
PIE_HIDDEN void *memset(void *dst, int c, size_t n);
PIE_HIDDEN int memcmp(const void *a, const void *b, size_t n);
PIE_HIDDEN size_t strlen(const char *s);

#endif
