// SPDX-License-Identifier: LGPL-2.1-or-later
/* x86_64: registers, the syscall instruction and syscall restart rules. */
#include <elf.h>
#include <errno.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "../../arch.h"

/* Kernel-internal return codes of an interrupted syscall (include/linux/errno.h). */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516
#define NR_RESTART_SYSCALL 219
/* Code segment selector of 64-bit user code. */
#define USER64_CS 0x33
/* Bytes below the stack pointer that leaf functions may use (SysV ABI). */
#define RED_ZONE 128

const unsigned char arch_syscall_insn[] = { 0x0f, 0x05 };
const size_t arch_syscall_insn_len = sizeof(arch_syscall_insn);

int arch_regs_get(pid_t tid, struct arch_regs *regs)
{
	struct iovec iov = { &regs->gpr, sizeof(regs->gpr) };

	if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov))
		return -errno;
	/* A compat (32-bit) task hands back the smaller i386 layout. */
	if (iov.iov_len != sizeof(regs->gpr))
		regs->gpr.cs = 0;
	return 0;
}

int arch_regs_set(pid_t tid, const struct arch_regs *regs)
{
	struct iovec iov = { (void *)&regs->gpr, sizeof(regs->gpr) };

	if (ptrace(PTRACE_SETREGSET, tid, NT_PRSTATUS, &iov))
		return -errno;
	return 0;
}

int arch_regs_native(const struct arch_regs *regs)
{
	return regs->gpr.cs == USER64_CS;
}

void arch_regs_prepare_syscall(struct arch_regs *regs, unsigned long ip, long nr,
			       const long args[6])
{
	regs->gpr.rip = ip;
	regs->gpr.rax = nr;
	regs->gpr.orig_rax = -1;
	regs->gpr.rdi = args[0];
	regs->gpr.rsi = args[1];
	regs->gpr.rdx = args[2];
	regs->gpr.r10 = args[3];
	regs->gpr.r8 = args[4];
	regs->gpr.r9 = args[5];
}

void arch_regs_prepare_call(struct arch_regs *regs, unsigned long ip, unsigned long sp,
			    unsigned long arg)
{
	regs->gpr.rip = ip;
	regs->gpr.rsp = sp;
	regs->gpr.rdi = arg;
	regs->gpr.orig_rax = -1;
}

long arch_regs_result(const struct arch_regs *regs)
{
	return (long)regs->gpr.rax;
}

unsigned long arch_regs_ip(const struct arch_regs *regs)
{
	return regs->gpr.rip;
}

unsigned long arch_regs_scratch(const struct arch_regs *regs, size_t len)
{
	return (regs->gpr.rsp - RED_ZONE - len) & ~15UL;
}

void arch_regs_restart_syscall(struct arch_regs *regs)
{
	long ret = (long)regs->gpr.rax;

	if ((long)regs->gpr.orig_rax < 0)
		return;
	switch (-ret) {
	case ERESTARTSYS:
	case ERESTARTNOINTR:
	case ERESTARTNOHAND:
		regs->gpr.rax = regs->gpr.orig_rax;
		break;
	case ERESTART_RESTARTBLOCK:
		regs->gpr.rax = NR_RESTART_SYSCALL;
		break;
	default:
		return;
	}
	regs->gpr.rip -= arch_syscall_insn_len;
}
