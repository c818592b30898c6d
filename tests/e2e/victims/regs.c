// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Registers: known values sit in the vector registers (zmm0-31 with
 * AVX-512, ymm0-15 with AVX, else xmm0-15) and in r12-r15 across the dump,
 * inside an asm loop around rt_sigsuspend; also the rounding mode (x87 and
 * MXCSR), the fs base and a TLS variable.
 */
#include <asm/prctl.h>
#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <x86intrin.h>

#include "victim.h"

#define VEC_BYTES (32 * 64)
#define TLS_MARKER 0x5eed7157c0ffee11UL

static unsigned char vec_in[VEC_BYTES], vec_out[VEC_BYTES];
static uint64_t gpr_in[4], gpr_out[4];
static int vec_regs, vec_size;
static const char *vec_name;
static sigset_t wait_mask;
static unsigned int mxcsr;
static unsigned long fs_base;
static __thread unsigned long tls_marker;

/*
 * Loads the registers, sleeps in rt_sigsuspend(wait_mask) until the SIGTERM
 * handler has set victim_terminated, then stores them (\i: the .irp index).
 */
#define HOLD_REGISTERS(mov, reg, list, size, ...)                                                  \
	asm volatile(".irp i," list "\n" mov " \\i*" #size "(%[in]), %%" reg "\\i\n.endr\n"        \
		     "mov 0(%[gin]), %%r12\n"                                                      \
		     "mov 8(%[gin]), %%r13\n"                                                      \
		     "mov 16(%[gin]), %%r14\n"                                                     \
		     "mov 24(%[gin]), %%r15\n"                                                     \
		     "1: mov %[nr], %%eax\n"                                                       \
		     "mov %[mask], %%rdi\n"                                                        \
		     "mov $8, %%esi\n"                                                             \
		     "syscall\n"                                                                   \
		     "cmpl $0, %[flag]\n"                                                          \
		     "je 1b\n"                                                                     \
		     "mov %%r12, 0(%[gout])\n"                                                     \
		     "mov %%r13, 8(%[gout])\n"                                                     \
		     "mov %%r14, 16(%[gout])\n"                                                    \
		     "mov %%r15, 24(%[gout])\n"                                                    \
		     ".irp i," list "\n" mov " %%" reg "\\i, \\i*" #size "(%[out])\n.endr\n"       \
		     :                                                                             \
		     : [in] "r"(vec_in), [out] "r"(vec_out), [gin] "r"(gpr_in),                    \
		       [gout] "r"(gpr_out), [nr] "i"(SYS_rt_sigsuspend), [mask] "r"(&wait_mask),   \
		       [flag] "m"(victim_terminated)                                               \
		     : "rax", "rcx", "r11", "rdi", "rsi", "r12", "r13", "r14", "r15", "memory",    \
		       "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",     \
		       "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15",               \
		       ##__VA_ARGS__)

#define REGS_0_15 "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15"

__attribute__((target("avx512f"))) static void hold_zmm(void)
{
	HOLD_REGISTERS("vmovdqu64", "zmm",
		       REGS_0_15 ",16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31", 64, "xmm16",
		       "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24",
		       "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31");
}

__attribute__((target("avx"))) static void hold_ymm(void)
{
	HOLD_REGISTERS("vmovdqu", "ymm", REGS_0_15, 32);
}

static void hold_xmm(void)
{
	HOLD_REGISTERS("movdqu", "xmm", REGS_0_15, 16);
}

static int setup(void)
{
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f")) {
		vec_regs = 32, vec_size = 64, vec_name = "zmm";
	} else if (__builtin_cpu_supports("avx")) {
		vec_regs = 16, vec_size = 32, vec_name = "ymm";
	} else {
		vec_regs = 16, vec_size = 16, vec_name = "xmm";
	}
	victim_fill(vec_in, sizeof(vec_in), 40);
	victim_fill(gpr_in, sizeof(gpr_in), 41);

	sigprocmask(SIG_BLOCK, NULL, &wait_mask);
	sigdelset(&wait_mask, SIGTERM);

	if (fesetround(FE_TOWARDZERO))
		return victim_fail("fesetround failed");
	mxcsr = _mm_getcsr();
	tls_marker = TLS_MARKER;
	if (syscall(SYS_arch_prctl, ARCH_GET_FS, &fs_base))
		return victim_fail("ARCH_GET_FS: %m");
	return 0;
}

static void hold(void)
{
	if (vec_size == 64)
		hold_zmm();
	else if (vec_size == 32)
		hold_ymm();
	else
		hold_xmm();
}

static int check(void)
{
	unsigned long fs = 0;
	int i;

	for (i = 0; i < vec_regs; i++)
		if (memcmp(vec_in + i * vec_size, vec_out + i * vec_size, vec_size))
			return victim_fail("%s%d changed", vec_name, i);
	for (i = 0; i < 4; i++)
		if (gpr_in[i] != gpr_out[i])
			return victim_fail("r%d is %#lx, not %#lx", 12 + i, gpr_out[i], gpr_in[i]);
	if (fegetround() != FE_TOWARDZERO)
		return victim_fail("the x87 rounding mode changed");
	if (_mm_getcsr() != mxcsr)
		return victim_fail("MXCSR is %#x, not %#x", _mm_getcsr(), mxcsr);
	if (syscall(SYS_arch_prctl, ARCH_GET_FS, &fs) || fs != fs_base)
		return victim_fail("the fs base is %#lx, not %#lx", fs, fs_base);
	if (tls_marker != TLS_MARKER)
		return victim_fail("the TLS variable is %#lx", tls_marker);
	return 0;
}

const struct victim victim = {
	.setup = setup,
	.wait = hold,
	.check = check,
};
