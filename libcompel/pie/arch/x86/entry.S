/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parasite entry on x86_64. The loader points rsp at the top of the
 * parasite stack and rdi at the control block, then starts us here.
 * pie_wait is where the parasite hands control back to the caller: the
 * caller recognises the syscall entry stop at pie_wait_site.
 */
	.section .head.text, "ax"
	.globl pie_entry
	.hidden pie_entry
pie_entry:
	andq	$-16, %rsp
	call	pie_main
	/* pie_main never returns */
	ud2

	.text
	.globl pie_wait
	.hidden pie_wait
	.globl pie_wait_site
	.hidden pie_wait_site
pie_wait:
	movl	$39, %eax	/* getpid: harmless, the caller stops at its entry */
	syscall
pie_wait_site:
	ret

	.globl pie_syscall6
	.hidden pie_syscall6
/* long pie_syscall6(long nr, long a0, long a1, long a2, long a3, long a4, long a5) */
pie_syscall6:
	movq	%rdi, %rax
	movq	%rsi, %rdi
	movq	%rdx, %rsi
	movq	%rcx, %rdx
	movq	%r8, %r10
	movq	%r9, %r8
	movq	8(%rsp), %r9
	syscall
	ret

	.section .note.GNU-stack, "", @progbits
