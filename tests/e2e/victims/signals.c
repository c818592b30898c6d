// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Signals: handlers with SA_* flags and masks, an ignored signal, a blocked
 * mask, pending blocked signals (a standard one and two queued real-time ones
 * with values) delivered after the unblock to the right handler in order,
 * and an alternate signal stack that SA_ONSTACK handlers run on.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "victim.h"

#define ALT_SIZE (64 * 1024)
/* A real-time signal above glibc's SIGRTMIN (34), as a constant. */
#define RT_SIG 40

/* What the handlers saw, in delivery order. */
static struct delivery {
	int sig, code, value;
} seen[8];
static volatile int n_seen;
static volatile uintptr_t onstack_addr;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	if (n_seen < 8)
		seen[n_seen++] = (struct delivery){sig, si->si_code, si->si_value.sival_int};
}

static void on_plain(int sig)
{
	int here;

	if (n_seen < 8)
		seen[n_seen++] = (struct delivery){sig, 0, 0};
	onstack_addr = (uintptr_t)&here;
}

static const int watched[] = {SIGUSR1, SIGUSR2, SIGHUP, SIGINT, SIGQUIT, SIGPIPE, RT_SIG};
#define N_WATCHED (sizeof(watched) / sizeof(watched[0]))
static struct sigaction actions[N_WATCHED];
static sigset_t blocked;
static stack_t altstack;

static int set(int sig, void *handler, int flags, int masked1, int masked2)
{
	struct sigaction sa = {.sa_flags = flags};

	if (flags & SA_SIGINFO)
		sa.sa_sigaction = handler;
	else
		sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	if (masked1)
		sigaddset(&sa.sa_mask, masked1);
	if (masked2)
		sigaddset(&sa.sa_mask, masked2);
	return sigaction(sig, &sa, NULL) ? victim_fail("sigaction %d: %m", sig) : 0;
}

static void read_actions(struct sigaction *acts)
{
	size_t i;

	for (i = 0; i < N_WATCHED; i++)
		sigaction(watched[i], NULL, &acts[i]);
}

/* Field by field: glibc fills sa_mask beyond the kernel's 64 bits with junk. */
static int same_action(const struct sigaction *a, const struct sigaction *b)
{
	int sig;

	if (a->sa_handler != b->sa_handler || a->sa_flags != b->sa_flags ||
	    a->sa_restorer != b->sa_restorer)
		return 0;
	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(&a->sa_mask, sig) != sigismember(&b->sa_mask, sig))
			return 0;
	return 1;
}

static int setup(void)
{
	union sigval v1 = {.sival_int = 1234}, v2 = {.sival_int = 5678};
	sigset_t block;

	altstack.ss_size = ALT_SIZE;
	altstack.ss_sp =
		mmap(NULL, ALT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (altstack.ss_sp == MAP_FAILED || sigaltstack(&altstack, NULL))
		return victim_fail("sigaltstack: %m");

	/* SIGUSR1 masks RT_SIG, so the pending ones run after it, not nested in it. */
	if (set(SIGUSR1, on_info, SA_SIGINFO | SA_RESTART, SIGUSR2, RT_SIG) ||
	    set(SIGUSR2, on_plain, SA_NODEFER | SA_RESETHAND, SIGINT, 0) ||
	    set(SIGHUP, SIG_IGN, 0, 0, 0) ||
	    set(SIGINT, on_plain, SA_ONSTACK | SA_RESTART, SIGQUIT, RT_SIG) ||
	    set(RT_SIG, on_info, SA_SIGINFO, SIGUSR1, 0))
		return -1;
	read_actions(actions);

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGPIPE);
	sigaddset(&block, RT_SIG);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigprocmask(SIG_BLOCK, NULL, &blocked);

	if (raise(SIGUSR1) || sigqueue(getpid(), RT_SIG, v1) || sigqueue(getpid(), RT_SIG, v2))
		return victim_fail("sending the pending signals: %m");
	return 0;
}

static int check_state(void)
{
	struct sigaction now[N_WATCHED];
	sigset_t mask, pending;
	stack_t ss;
	size_t i;
	int sig;

	read_actions(now);
	for (i = 0; i < N_WATCHED; i++)
		if (!same_action(&now[i], &actions[i]))
			return victim_fail("the action of signal %d changed", watched[i]);

	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigpending(&pending);
	for (sig = 1; sig < NSIG; sig++) {
		if (sigismember(&mask, sig) != sigismember(&blocked, sig))
			return victim_fail("signal %d is %sblocked", sig,
					   sigismember(&mask, sig) ? "" : "not ");
		if (sigismember(&pending, sig) != (sig == SIGUSR1 || sig == RT_SIG))
			return victim_fail("signal %d is %spending", sig,
					   sigismember(&pending, sig) ? "" : "not ");
	}

	if (sigaltstack(NULL, &ss) || ss.ss_sp != altstack.ss_sp ||
	    ss.ss_size != altstack.ss_size || ss.ss_flags)
		return victim_fail("the alternate stack is %p+%zu flags %d, not %p+%zu", ss.ss_sp,
				   ss.ss_size, ss.ss_flags, altstack.ss_sp, altstack.ss_size);
	return 0;
}

/* Delivers the pending signals and two new ones, and checks what ran. */
static int check_delivery(void)
{
	const struct delivery want[] = {
		{SIGUSR1, SI_TKILL, 0}, {RT_SIG, SI_QUEUE, 1234}, {RT_SIG, SI_QUEUE, 5678},
		{SIGINT, 0, 0},		{SIGUSR2, 0, 0},
	};
	uintptr_t alt = (uintptr_t)altstack.ss_sp;
	struct sigaction sa;
	sigset_t unblock;
	int i;

	sigemptyset(&unblock);
	sigaddset(&unblock, SIGUSR1);
	sigaddset(&unblock, RT_SIG);
	sigprocmask(SIG_UNBLOCK, &unblock, NULL);
	raise(SIGINT);
	if (onstack_addr < alt || onstack_addr >= alt + ALT_SIZE)
		return victim_fail("the SA_ONSTACK handler ran off the alternate stack");
	raise(SIGUSR2);

	for (i = 0; i < 5; i++)
		if (i >= n_seen || memcmp(&seen[i], &want[i], sizeof(want[i])))
			return victim_fail("delivery %d: signal %d code %d value %d, not %d %d %d",
					   i, seen[i].sig, seen[i].code, seen[i].value, want[i].sig,
					   want[i].code, want[i].value);
	if (n_seen != 5)
		return victim_fail("%d signals were delivered, not 5", n_seen);
	sigaction(SIGUSR2, NULL, &sa);
	if (sa.sa_handler != SIG_DFL)
		return victim_fail("SA_RESETHAND did not reset SIGUSR2");
	return 0;
}

static int check(void)
{
	return check_state() ?: check_delivery();
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
