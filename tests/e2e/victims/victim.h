/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What every end-to-end victim shares. A victim sets up one kind of state,
 * writes its pid to --pidfile, waits for SIGTERM, then checks every bit of
 * that state and writes "PASS" or "FAIL: reason" to --outfile (then exits
 * 0 or 1). It also checks it is the same process: same pid, time went on.
 * It starts in a scratch folder of its own where it may create files, with
 * stdio on files; run-victim.sh drives it.
 *
 * victim.c holds main(); each victim program defines `victim`.
 */
#ifndef E2E_VICTIM_H
#define E2E_VICTIM_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

struct victim {
	/* Takes one of the victim's own "--NAME VALUE" options: 0, or -1 if unknown. */
	int (*option)(const char *name, const char *value);
	/* Sets the state up before the pidfile is written: 0, or victim_fail(). */
	int (*setup)(void);
	/* Waits for SIGTERM with the state in place; NULL means victim_wait(). */
	void (*wait)(void);
	/* Checks the state after SIGTERM: 0, or victim_fail(). */
	int (*check)(void);
};

extern const struct victim victim;

/* Set by the SIGTERM handler; SIGTERM is blocked except while waiting. */
extern volatile sig_atomic_t victim_terminated;

/* Records the first failure reason (later ones are dropped); returns -1. */
int victim_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Sleeps in sigsuspend() with the current mask minus SIGTERM until it comes. */
void victim_wait(void);

/* A byte pattern that differs for each seed and each offset. */
void victim_fill(void *buf, size_t len, unsigned int seed);
/* buf holds the pattern: 0, or victim_fail() naming what and the first bad byte. */
int victim_check_pattern(const char *what, const void *buf, size_t len, unsigned int seed);

/* The mapping holding addr has permissions want ("rw-p"...) in /proc/self/maps: 0, or
 * victim_fail(). */
int victim_check_perms(const char *what, const void *addr, const char *want);

/* Reaps our child pid, which must have exited with 0: 0, or the reason put in why. */
int victim_reap(pid_t pid, char *why, size_t size);
struct sockaddr_un;
/* sa: an AF_UNIX address naming name in the cwd, by its absolute path: 0, or -1 (too long). */
int victim_unix_path(struct sockaddr_un *sa, const char *name);
#endif
