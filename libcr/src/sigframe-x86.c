// SPDX-License-Identifier: LGPL-2.1-or-later
/* The rt_sigframe of a restored thread: dumped registers, FPU/xsave state. */
#include <cpuid.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>

#include "lib-log.h"
#include "restorer-args.h"
#include "sigframe-x86.h"

#define XSAVE_HDR_OFF 512
#define ALIGN64(x) (((x) + 63) & ~(size_t)63)

_Static_assert(sizeof(struct rst_sigcontext) == 256, "struct sigcontext");
_Static_assert(sizeof(struct rst_sigframe) == 440, "struct rt_sigframe");

static uint64_t xcr0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* The size of the standard-format xsave area for the features enabled now. */
static size_t xsave_size(void)
{
	unsigned int a, b, c, d;

	__cpuid_count(0xd, 0, a, b, c, d);
	return b;
}

size_t rst_sigframe_size(void)
{
	return ALIGN64(ALIGN64(sizeof(struct rst_sigframe)) + xsave_size() + 4);
}

/* One xsave component of the image: its feature number and its words. */
struct xcomp {
	unsigned int feature;
	const void *data;
	size_t bytes;
};

static int put_xstate(uint8_t *xs, size_t size, uint64_t enabled, const UserX86XsaveEntry *x)
{
	const struct xcomp comps[] = {
		{2, x->ymmh_space, x->n_ymmh_space * 4},
		{3, x->bndreg_state, x->n_bndreg_state * 8},
		{4, x->bndcsr_state, x->n_bndcsr_state * 8},
		{5, x->opmask_reg, x->n_opmask_reg * 8},
		{6, x->zmm_upper, x->n_zmm_upper * 8},
		{7, x->hi16_zmm, x->n_hi16_zmm * 8},
		{9, x->pkru, x->n_pkru * 4},
	};
	uint64_t bv = x->xstate_bv;
	size_t i;

	if (bv & ~enabled) {
		pr_err("the dumped xsave features %#" PRIx64 " are not all enabled here (%#" PRIx64
		       ")",
		       bv, enabled);
		return -EOPNOTSUPP;
	}
	memcpy(xs + XSAVE_HDR_OFF, &bv, sizeof(bv));
	for (i = 0; i < sizeof(comps) / sizeof(comps[0]); i++) {
		unsigned int len, off, c, d;

		if (!comps[i].bytes || !(enabled & (1ULL << comps[i].feature)))
			continue;
		__cpuid_count(0xd, comps[i].feature, len, off, c, d);
		if (comps[i].bytes > len || off + comps[i].bytes > size) {
			pr_err("xsave feature %u: %zu dumped bytes do not fit", comps[i].feature,
			       comps[i].bytes);
			return -EINVAL;
		}
		memcpy(xs + off, comps[i].data, comps[i].bytes);
	}
	return 0;
}

static int put_fpu(uint8_t *xs, const UserX86FpregsEntry *fp)
{
	uint16_t w[4] = {fp->cwd, fp->swd, fp->twd, fp->fop};
	uint32_t sw[7] = {RST_FP_XSTATE_MAGIC1};
	size_t size = xsave_size();
	uint64_t enabled = xcr0(), legacy = 3;
	uint32_t magic2 = RST_FP_XSTATE_MAGIC2;

	if (fp->n_st_space != 32 || fp->n_xmm_space != 64) {
		pr_err("bad FPU state in the image");
		return -EINVAL;
	}
	memcpy(xs, w, sizeof(w));
	memcpy(xs + 8, &fp->rip, 8);
	memcpy(xs + 16, &fp->rdp, 8);
	memcpy(xs + 24, &fp->mxcsr, 4);
	memcpy(xs + 28, &fp->mxcsr_mask, 4);
	memcpy(xs + 32, fp->st_space, 128);
	memcpy(xs + 160, fp->xmm_space, 256);
	/* struct _fpx_sw_bytes: magic1, extended_size, xfeatures, xstate_size */
	sw[1] = (uint32_t)size + 4;
	memcpy(&sw[2], &enabled, 8);
	sw[4] = (uint32_t)size;
	memcpy(xs + RST_FXSAVE_SW_OFF, sw, sizeof(sw));
	memcpy(xs + size, &magic2, 4);
	if (fp->xsave)
		return put_xstate(xs, size, enabled, fp->xsave);
	memcpy(xs + XSAVE_HDR_OFF, &legacy, sizeof(legacy));
	return 0;
}

int rst_sigframe_build(void *buf, const CoreEntry *core, uint64_t blocked,
		       const ThreadSasEntry *sas)
{
	struct rst_sigframe *f = buf;
	uint8_t *xs = (uint8_t *)buf + ALIGN64(sizeof(*f));
	const UserX86RegsEntry *r;
	struct rst_sigcontext *sc;

	if (!core->thread_info || !core->thread_info->gpregs || !core->thread_info->fpregs) {
		pr_err("the core image has no registers");
		return -EINVAL;
	}
	r = core->thread_info->gpregs;
	if (r->has_mode && r->mode != USER_X86_REGS_MODE__NATIVE) {
		pr_err("32-bit tasks are not supported");
		return -EOPNOTSUPP;
	}
	memset(buf, 0, rst_sigframe_size());
	f->uc.uc_flags = RST_UC_FP_XSTATE | RST_UC_SIGCONTEXT_SS | RST_UC_STRICT_RESTORE_SS;
	f->uc.uc_sigmask = blocked;
	if (sas) {
		f->uc.uc_stack.ss_sp = sas->ss_sp;
		f->uc.uc_stack.ss_size = sas->ss_size;
		f->uc.uc_stack.ss_flags = (int32_t)sas->ss_flags;
	} else {
		f->uc.uc_stack.ss_flags = SS_DISABLE;
	}
	sc = &f->uc.uc_mcontext;
	*sc = (struct rst_sigcontext){
		.r8 = r->r8,
		.r9 = r->r9,
		.r10 = r->r10,
		.r11 = r->r11,
		.r12 = r->r12,
		.r13 = r->r13,
		.r14 = r->r14,
		.r15 = r->r15,
		.rdi = r->di,
		.rsi = r->si,
		.rbp = r->bp,
		.rbx = r->bx,
		.rdx = r->dx,
		.rax = r->ax,
		.rcx = r->cx,
		.rsp = r->sp,
		.rip = r->ip,
		.eflags = r->flags,
		.cs = (uint16_t)r->cs,
		.ss = (uint16_t)r->ss,
		.fpstate = (uint64_t)(uintptr_t)xs,
	};
	return put_fpu(xs, core->thread_info->fpregs);
}
