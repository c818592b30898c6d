/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What libcompel needs to know about the CPU: a register set, how to point
 * it at a syscall instruction, where the result comes back, and how the
 * kernel restarts an interrupted syscall. Each architecture implements this
 * in src/arch/<arch>/ (arch-regs.h defines struct arch_regs).
 */
#ifndef COMPEL_ARCH_H
#define COMPEL_ARCH_H

#include <stddef.h>
#include <sys/types.h>

#include "arch-regs.h"

/* The bytes of one syscall instruction. */
extern const unsigned char arch_syscall_insn[];
extern const size_t arch_syscall_insn_len;

/* Read/write the general registers of stopped thread @tid; 0 or -errno. */
int arch_regs_get(pid_t tid, struct arch_regs *regs);
int arch_regs_set(pid_t tid, const struct arch_regs *regs);

/* 1 when @regs belong to a task of the native ABI (not a compat task). */
int arch_regs_native(const struct arch_regs *regs);

/*
 * Make @regs run syscall @nr with @args from the syscall instruction at @ip,
 * marked as "not in a syscall" so the kernel does not apply restart rules.
 */
void arch_regs_prepare_syscall(struct arch_regs *regs, unsigned long ip, long nr,
			       const long args[6]);

/*
 * Make @regs call a function at @ip with stack pointer @sp (the top of a
 * free stack) and @arg as its first argument; not "in a syscall".
 */
void arch_regs_prepare_call(struct arch_regs *regs, unsigned long ip, unsigned long sp,
			    unsigned long arg);

/* The value a syscall returned, read after it ran. */
long arch_regs_result(const struct arch_regs *regs);

unsigned long arch_regs_ip(const struct arch_regs *regs);

/*
 * An address of @len bytes below the stack pointer of @regs that the ABI
 * lets anyone clobber while the thread is stopped (past any red zone).
 */
unsigned long arch_regs_scratch(const struct arch_regs *regs, size_t len);

/*
 * @regs were saved while their thread was stopped on its way out of an
 * interrupted syscall: turn them into what the kernel would have set had
 * the thread resumed without a signal handler (restart the syscall, or
 * restart_syscall for -ERESTART_RESTARTBLOCK). No change otherwise.
 */
void arch_regs_restart_syscall(struct arch_regs *regs);

/* Syscall number of @name from the architecture's table, or -ENOENT. */
long arch_syscall_lookup(const char *name);

#endif
