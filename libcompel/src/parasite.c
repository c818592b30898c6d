// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Parasites: load a blob into the shared area, relocate it, give it a
 * stack and a command buffer, start it, and step it from command to
 * command. The parasite runs under PTRACE_SYSCALL: it hands control back
 * by entering a syscall at its wait site, which we recognise.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"
#include "../pie/compel-pie-ctl.h"
#include "../pie/compel-scm.h"

/*
 * Two stacks: the main thread's, where the parasite waits between
 * commands, and a spare one for a command in another thread.
 */
#define PARASITE_STACK (64 * 1024)
/* Size of the kernel's struct sigaction on 64-bit: handler, flags, restorer, mask. */
#define KSIGACTION_SIZE 32

/* Faults reset their signal's action when blocked: a crash of ours must not. */
static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS };
#define NR_FAULT_SIGNALS (sizeof(fault_signals) / sizeof(fault_signals[0]))

#define MAX_QUEUED_FDS 16

struct parasite {
	struct pie_ctl *ctl;		/* here */
	int sock;			/* our end of the control socket */
	int fds[MAX_QUEUED_FDS];	/* received, not yet taken by the caller */
	int nr_fds;
	unsigned long remote_ctl;	/* in the task; the top of the main thread's stack too */
	unsigned long entry;
	unsigned long wait_ip;
	size_t room;
	int broken;			/* why it can serve no more: EFAULT crashed, ETIMEDOUT stuck */
	unsigned char fault_actions[NR_FAULT_SIGNALS][KSIGACTION_SIZE];
};

static size_t page_round(size_t n)
{
	size_t page = sysconf(_SC_PAGESIZE);

	return (n + page - 1) / page * page;
}

/* rt_sigaction(@sig, @act, @old) in the task, the structs in the command buffer. */
static int remote_sigaction(struct compel_task *task, struct parasite *p, int sig, int set,
			    int get)
{
	unsigned long buf = p->remote_ctl + offsetof(struct pie_ctl, data);
	long unused;

	return task_remote(task, SYS_rt_sigaction, sig, set ? buf : 0, get ? buf : 0, 8, 0, 0,
			   &unused);
}

static int save_fault_actions(struct compel_task *task, struct parasite *p)
{
	size_t i;
	int ret;

	for (i = 0; i < NR_FAULT_SIGNALS; i++) {
		ret = remote_sigaction(task, p, fault_signals[i], 0, 1);
		if (ret)
			return ret;
		memcpy(p->fault_actions[i], p->ctl->data, KSIGACTION_SIZE);
	}
	return 0;
}

static void restore_fault_actions(struct compel_task *task, struct parasite *p)
{
	size_t i;

	for (i = 0; i < NR_FAULT_SIGNALS; i++) {
		memcpy(p->ctl->data, p->fault_actions[i], KSIGACTION_SIZE);
		if (remote_sigaction(task, p, fault_signals[i], 1, 0))
			pr_warn("cannot restore the action of signal %d in %d", fault_signals[i],
				task->pid);
	}
}

/* Take what the parasite sent on its own: log lines and fds. */
static void drain_socket(struct compel_task *task, struct parasite *p)
{
	char buf[512];
	union scm_fd_buf control;
	struct iovec iov = { buf, sizeof(buf) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;
	int fd;

	for (;;) {
		scm_fd_expect(&msg, &control);
		n = recvmsg(p->sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n <= 0)
			return;
		fd = scm_fd_take(&msg);
		if (buf[0] == PIE_MSG_LOG) {
			buf[n] = '\0';
			pr_info("parasite in %d: %s", task->pid, buf + 1);
		} else if (buf[0] == PIE_MSG_FD && fd >= 0 && p->nr_fds < MAX_QUEUED_FDS) {
			p->fds[p->nr_fds++] = fd;
			fd = -1;
		} else {
			pr_warn("parasite in %d sent a message we do not know", task->pid);
		}
		if (fd >= 0)
			close(fd);
	}
}

/*
 * Let the parasite run in @tid until it waits again, parked at that
 * syscall's exit, for at most the task's timeout: past it the thread is
 * stopped where it is and the parasite is done for.
 */
static int parasite_run(struct compel_task *task, struct parasite *p, pid_t tid)
{
	int ret;

	if (task->timeout_ms)
		task->deadline = stop_clock_ns() + (uint64_t)task->timeout_ms * 1000000;
	ret = stop_run_to_ip(task, tid, p->wait_ip);
	if (!ret)
		ret = stop_run_to_syscall(task, tid, 1);
	task->deadline = 0;
	drain_socket(task, p);
	if (ret == -ETIMEDOUT) {
		pr_err("the parasite in %d did not wait again within %u ms", task->pid,
		       task->timeout_ms);
		p->broken = ETIMEDOUT;
		ret = stop_interrupt(task, tid);
		if (!ret)
			ret = -ETIMEDOUT;
	}
	if (ret == -EFAULT) {
		pr_err("the parasite in %d crashed", task->pid);
		p->broken = EFAULT;
		restore_fault_actions(task, p);
	}
	return ret;
}

/* Start the parasite in @th on the stack below @stack_top and run it to its first wait. */
static int parasite_start(struct compel_task *task, struct parasite *p, struct compel_thread *th,
			  unsigned long stack_top)
{
	struct arch_regs regs;
	int ret = thread_take(th);

	if (ret)
		return ret;
	regs = th->regs;
	arch_regs_prepare_call(&regs, p->entry, stack_top, p->remote_ctl);
	ret = arch_regs_set(th->tid, &regs);
	return ret ? ret : parasite_run(task, p, th->tid);
}

static void load_image(void *local, unsigned long remote, const struct compel_blob *blob)
{
	size_t i;

	memcpy(local, blob->image, blob->size);
	for (i = 0; i < blob->nr_relocs; i++) {
		uint64_t word;

		memcpy(&word, (char *)local + blob->relocs[i], sizeof(word));
		word += remote;
		memcpy((char *)local + blob->relocs[i], &word, sizeof(word));
	}
}

/*
 * The control socket: a pair made in the task, our end fetched with
 * pidfd_getfd() and closed there; the parasite keeps the other.
 */
static int make_socket(struct compel_task *task, struct parasite *p)
{
	unsigned long buf = p->remote_ctl + offsetof(struct pie_ctl, data);
	long unused;
	int sv[2], ret;

	ret = task_remote(task, SYS_socketpair, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, buf, 0,
			  0, &unused);
	if (ret)
		return ret;
	memcpy(sv, p->ctl->data, sizeof(sv));
	p->sock = task_fetch_fd(task->pid, sv[0]);
	task_remote(task, SYS_close, sv[0], 0, 0, 0, 0, 0, &unused);
	if (p->sock < 0) {
		task_remote(task, SYS_close, sv[1], 0, 0, 0, 0, 0, &unused);
		return p->sock;
	}
	p->ctl->sock = sv[1];
	return 0;
}

COMPEL_API int compel_task_infect(struct compel_task *task, const struct compel_blob *blob,
				  size_t data_size)
{
	size_t image_len = page_round(blob->size);
	size_t ctl_len = page_round(sizeof(struct pie_ctl) + data_size);
	unsigned long remote;
	struct parasite *p;
	char *local;
	int ret;

	if (task->parasite || task->shared_local)
		return -EEXIST;
	if (blob->entry >= blob->size || blob->wait_site >= blob->size)
		return -EINVAL;
	for (size_t i = 0; i < blob->nr_relocs; i++)
		if (blob->relocs[i] + sizeof(uint64_t) > blob->size)
			return -EINVAL;
	ret = compel_task_map_shared(task, image_len + 2 * PARASITE_STACK + ctl_len);
	if (ret)
		return ret;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	local = compel_task_shared_local(task);
	remote = compel_task_shared_remote(task);
	load_image(local, remote, blob);
	p->ctl = (struct pie_ctl *)(local + image_len + 2 * PARASITE_STACK);
	p->remote_ctl = remote + image_len + 2 * PARASITE_STACK;
	p->room = ctl_len - sizeof(struct pie_ctl);
	p->entry = remote + blob->entry;
	p->wait_ip = remote + blob->wait_site;
	p->sock = -1;
	p->ctl->sock = -1;
	task->parasite = p;

	ret = save_fault_actions(task, p);
	if (!ret)
		ret = make_socket(task, p);
	if (ret)
		return ret;
	ret = parasite_start(task, p, &task->threads[0], p->remote_ctl);
	if (ret) {
		pr_err("cannot start the parasite in %d: %s", task->pid, strerror(-ret));
		return ret;
	}
	pr_debug("parasite running in %d at %#lx", task->pid, remote);
	return 0;
}

COMPEL_API void *compel_parasite_data(const struct compel_task *task, size_t *room)
{
	if (!task->parasite)
		return NULL;
	*room = task->parasite->room;
	return task->parasite->ctl->data;
}

COMPEL_API int compel_parasite_call_thread(struct compel_task *task, int i, unsigned int cmd,
					   size_t len, long *result)
{
	struct parasite *p = task->parasite;
	int ret;

	if (!p || len > p->room || i < 0 || i >= task->nr_threads)
		return -EINVAL;
	if (p->broken)
		return -p->broken;
	/*
	 * The main thread waits in the parasite between commands; another
	 * thread starts it afresh on the spare stack for each command, so
	 * any number of threads can share that stack one after the other.
	 */
	if (i) {
		ret = parasite_start(task, p, &task->threads[i], p->remote_ctl - PARASITE_STACK);
		if (ret)
			return ret;
	}
	p->ctl->cmd = cmd;
	p->ctl->len = len;
	p->ctl->room = p->room;
	ret = parasite_run(task, p, task->threads[i].tid);
	if (ret)
		return ret;
	*result = p->ctl->ret;
	return 0;
}

COMPEL_API int compel_parasite_call(struct compel_task *task, unsigned int cmd, size_t len,
				    long *result)
{
	return compel_parasite_call_thread(task, 0, cmd, len, result);
}

COMPEL_API int compel_task_set_timeout(struct compel_task *task, unsigned int ms)
{
	task->timeout_ms = ms;
	return 0;
}

COMPEL_API int compel_parasite_send_fd(struct compel_task *task, int fd)
{
	char tag = PIE_MSG_FD;
	union scm_fd_buf control;
	struct iovec iov = { &tag, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (!task->parasite)
		return -EINVAL;
	scm_fd_attach(&msg, &control, fd);
	if (sendmsg(task->parasite->sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

COMPEL_API int compel_parasite_recv_fd(struct compel_task *task)
{
	struct parasite *p = task->parasite;
	int fd;

	if (!p)
		return -EINVAL;
	if (!p->nr_fds)
		return -EAGAIN;
	fd = p->fds[0];
	memmove(p->fds, p->fds + 1, --p->nr_fds * sizeof(p->fds[0]));
	return fd;
}

void parasite_forget(struct compel_task *task)
{
	struct parasite *p = task->parasite;

	if (!p)
		return;
	if (p->sock >= 0)
		close(p->sock);
	while (p->nr_fds)
		close(p->fds[--p->nr_fds]);
	free(p);
	task->parasite = NULL;
}

void parasite_remove(struct compel_task *task)
{
	struct parasite *p = task->parasite;
	long unused;

	if (p && p->ctl->sock >= 0)
		task_remote(task, SYS_close, p->ctl->sock, 0, 0, 0, 0, 0, &unused);
	parasite_forget(task);
}
