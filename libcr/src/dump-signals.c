// SPDX-License-Identifier: LGPL-2.1-or-later
/* Pending signals, signal actions and alternate stacks of a seized task. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

#include "array.h"
#include "dump-core.h"
#include "lib-log.h"

/* The kernel's siginfo_t and the most queued signals we take. */
#define SIGINFO_SIZE 128
#define SIG_QUEUE_MAX (1u << 16)
/* siginfo_t read per PTRACE_PEEKSIGINFO call. */
#define PEEK_NR 32

/* The kernel's struct sigaction on x86_64, and its sigset size. */
struct ksigaction {
	uint64_t handler, flags, restorer, mask;
};
#define KSIGSET_SIZE 8

/* Point the messages of @sq at its arrays, now that they stopped growing. */
static int sig_queue_link(struct sig_queue *sq, size_t nr)
{
	size_t i;

	sq->entries = calloc(nr ? nr : 1, sizeof(*sq->entries));
	sq->ptrs = calloc(nr ? nr : 1, sizeof(*sq->ptrs));
	if (!sq->entries || !sq->ptrs)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		siginfo_entry__init(&sq->entries[i]);
		sq->entries[i].siginfo.data = sq->data + i * SIGINFO_SIZE;
		sq->entries[i].siginfo.len = SIGINFO_SIZE;
		sq->ptrs[i] = &sq->entries[i];
	}
	sq->q.signals = sq->ptrs;
	sq->q.n_signals = nr;
	return 0;
}

int sig_queue_read(pid_t tid, bool shared, struct sig_queue *sq)
{
	struct __ptrace_peeksiginfo_args args = { .flags = shared ? PTRACE_PEEKSIGINFO_SHARED : 0 };
	size_t nr = 0, cap = 0;
	long n;
	int ret;

	memset(sq, 0, sizeof(*sq));
	signal_queue_entry__init(&sq->q);
	for (;;) {
		ret = array_grow((void **)&sq->data, &cap, nr + PEEK_NR - 1, SIGINFO_SIZE,
				 SIG_QUEUE_MAX);
		if (ret)
			return ret;
		args.off = nr;
		args.nr = PEEK_NR;
		n = ptrace(PTRACE_PEEKSIGINFO, tid, &args, sq->data + nr * SIGINFO_SIZE);
		if (n < 0) {
			ret = -errno;
			pr_err("cannot read the pending signals of %d: %s", tid, strerror(-ret));
			return ret;
		}
		if (n == 0)
			break;
		nr += n;
	}
	return sig_queue_link(sq, nr);
}

void sig_queue_free(struct sig_queue *sq)
{
	free(sq->entries);
	free(sq->ptrs);
	free(sq->data);
	memset(sq, 0, sizeof(*sq));
}

int sigactions_dump(struct remote *r, struct sigactions *s)
{
	struct ksigaction ka;
	int sig, i = 0, ret;

	for (sig = 1; sig <= 64; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		ret = remote_call(r, 0, SYS_rt_sigaction, sig, 0, r->addr, KSIGSET_SIZE, NULL);
		if (ret) {
			pr_err("cannot read the action of signal %d: %s", sig, strerror(-ret));
			return ret;
		}
		memcpy(&ka, r->local, sizeof(ka));
		sa_entry__init(&s->sa[i]);
		s->sa[i].sigaction = ka.handler;
		s->sa[i].flags = ka.flags;
		s->sa[i].restorer = ka.restorer;
		s->sa[i].mask = ka.mask;
		s->sa[i].has_compat_sigaction = true;
		s->ptrs[i] = &s->sa[i];
		i++;
	}
	return 0;
}

int sas_dump(struct remote *r, int thread, ThreadSasEntry *sas)
{
	stack_t ss;
	int ret;

	ret = remote_call(r, thread, SYS_sigaltstack, 0, r->addr, 0, 0, NULL);
	if (ret) {
		pr_err("cannot read the signal stack of thread %d: %s", thread, strerror(-ret));
		return ret;
	}
	memcpy(&ss, r->local, sizeof(ss));
	thread_sas_entry__init(sas);
	sas->ss_sp = (uintptr_t)ss.ss_sp;
	sas->ss_size = ss.ss_size;
	sas->ss_flags = ss.ss_flags;
	return 0;
}
