/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Entry and the few pieces of the restorer that must be assembly. The
 * switch code points rsp at the main thread's stack in the argument area
 * and rdi at struct rst_task_args, then jumps to pie_entry.
 */
	.section .head.text, "ax"
	.globl pie_entry
	.hidden pie_entry
pie_entry:
	andq	$-16, %rsp
	call	rst_main
	ud2

	.text
	.globl rst_syscall6
	.hidden rst_syscall6
/* long rst_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5) */
rst_syscall6:
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	movq	8(%rsp), %r9
	syscall
	ret

	.globl rst_clone_thread
	.hidden rst_clone_thread
/*
 * long rst_clone_thread(struct clone_args *ca, size_t size, void (*fn)(void *), void *arg)
 * The child starts on the stack clone3 gave it and never returns here.
 */
rst_clone_thread:
	movq	%rdx, %r8
	movq	%rcx, %r9
	movl	$435, %eax	/* clone3 */
	syscall
	testq	%rax, %rax
	jnz	1f
	movq	%r9, %rdi
	andq	$-16, %rsp
	call	*%r8
	ud2
1:	ret

	.globl rst_sigreturn
	.hidden rst_sigreturn
/*
 * void rst_sigreturn(uint64_t uc, uint64_t hole, uint64_t hole_len)
 * rt_sigreturn through the frame whose uc is at @uc. The kernel ignores
 * its arguments: they carry what restore_finalize() unmaps afterwards,
 * read at the syscall-entry stop.
 */
rst_sigreturn:
	movq	%rdi, %rsp
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movl	$15, %eax	/* rt_sigreturn */
	syscall
	/* compel-blobgen wants this symbol; nothing returns here. */
	.globl pie_wait_site
	.hidden pie_wait_site
pie_wait_site:
	ud2

	.section .note.GNU-stack, "", @progbits
