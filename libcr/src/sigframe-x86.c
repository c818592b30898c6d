// SPDX-License-Identifier: LGPL-2.1-or-later
/* The rt_sigframe of a restored thread: dumped registers, FPU/xsave state. */
#include <cpuid.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "lib-log.h"
#include "restorer-args.h"
#include "sigframe-x86.h"

#define XSAVE_HDR_OFF 512
#define ALIGN64(x) (((x) + 63) & ~(size_t)63)

_Static_assert(sizeof(struct rst_sigcontext) == 256, "struct sigcontext");
_Static_assert(sizeof(struct rst_sigframe) == 440, "struct rt_sigframe");

uint64_t x86_xcr0(void)
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

#define NR_XCOMPS 7

static void xcomps_of(const UserX86XsaveEntry *x, struct xcomp c[NR_XCOMPS])
{
	const struct xcomp comps[NR_XCOMPS] = {
		{2, x->ymmh_space, x->n_ymmh_space * 4},
		{3, x->bndreg_state, x->n_bndreg_state * 8},
		{4, x->bndcsr_state, x->n_bndcsr_state * 8},
		{5, x->opmask_reg, x->n_opmask_reg * 8},
		{6, x->zmm_upper, x->n_zmm_upper * 8},
		{7, x->hi16_zmm, x->n_hi16_zmm * 8},
		{9, x->pkru, x->n_pkru * 4},
	};

	memcpy(c, comps, sizeof(comps));
}

/* The names of the XSAVE features (the kernel's XFEATURE_*), by bit. */
static const char *const xfeature_names[] = {
	"x87",
	"sse",
	"avx",
	"mpx-bndregs",
	"mpx-bndcsr",
	"avx512-opmask",
	"avx512-zmm-hi256",
	"avx512-hi16-zmm",
	"pt",
	"pkru",
	"pasid",
	"cet-user",
	"cet-supervisor",
	"hdc",
	"uintr",
	"lbr",
	"hwp",
	"amx-tilecfg",
	"amx-tiledata",
	"apx",
};

void x86_xfeatures_text(uint64_t mask, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (unsigned int bit = 0; bit < 64 && used < len; bit++) {
		if (!(mask & (1ULL << bit)))
			continue;
		if (bit < sizeof(xfeature_names) / sizeof(xfeature_names[0]))
			used += snprintf(buf + used, len - used, "%s%s", used ? " " : "",
					 xfeature_names[bit]);
		else
			used += snprintf(buf + used, len - used, "%sbit%u", used ? " " : "", bit);
	}
}

static int check_xstate(const UserX86XsaveEntry *x, uint64_t enabled, size_t size)
{
	struct xcomp comps[NR_XCOMPS];
	uint64_t missing = x->xstate_bv & ~enabled;
	char names[256];

	if (missing) {
		x86_xfeatures_text(missing, names, sizeof(names));
		pr_err("this CPU cannot run the image: it lacks the XSAVE features %s (the image "
		       "uses %#" PRIx64 ", XCR0 here is %#" PRIx64 ")",
		       names, x->xstate_bv, enabled);
		return -EOPNOTSUPP;
	}
	xcomps_of(x, comps);
	for (size_t i = 0; i < NR_XCOMPS; i++) {
		unsigned int len, off, c, d;

		if (!comps[i].bytes || !(x->xstate_bv & (1ULL << comps[i].feature)))
			continue;
		__cpuid_count(0xd, comps[i].feature, len, off, c, d);
		if (comps[i].bytes > len || off + comps[i].bytes > size) {
			pr_err("this CPU cannot run the image: XSAVE feature %s has %zu bytes in "
			       "the image, %u here",
			       xfeature_names[comps[i].feature], comps[i].bytes, len);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

int rst_sigframe_check(const CoreEntry *core)
{
	const UserX86FpregsEntry *fp;

	if (!core->thread_info || !core->thread_info->gpregs || !core->thread_info->fpregs) {
		pr_err("the core image has no registers");
		return -EINVAL;
	}
	if (core->thread_info->gpregs->has_mode &&
	    core->thread_info->gpregs->mode != USER_X86_REGS_MODE__NATIVE) {
		pr_err("32-bit tasks are not supported");
		return -EOPNOTSUPP;
	}
	fp = core->thread_info->fpregs;
	if (fp->n_st_space != 32 || fp->n_xmm_space != 64) {
		pr_err("bad FPU state in the image");
		return -EINVAL;
	}
	return fp->xsave ? check_xstate(fp->xsave, x86_xcr0(), xsave_size()) : 0;
}

/* Lay the xsave components the image has (rst_sigframe_check() passed) at @xs. */
static void put_xstate(uint8_t *xs, const UserX86XsaveEntry *x)
{
	struct xcomp comps[NR_XCOMPS];

	memcpy(xs + XSAVE_HDR_OFF, &x->xstate_bv, sizeof(x->xstate_bv));
	xcomps_of(x, comps);
	for (size_t i = 0; i < NR_XCOMPS; i++) {
		unsigned int len, off, c, d;

		if (!comps[i].bytes || !(x->xstate_bv & (1ULL << comps[i].feature)))
			continue;
		__cpuid_count(0xd, comps[i].feature, len, off, c, d);
		memcpy(xs + off, comps[i].data, comps[i].bytes);
	}
}

static void put_fpu(uint8_t *xs, const UserX86FpregsEntry *fp)
{
	uint16_t w[4] = {fp->cwd, fp->swd, fp->twd, fp->fop};
	uint32_t sw[7] = {RST_FP_XSTATE_MAGIC1};
	size_t size = xsave_size();
	uint64_t enabled = x86_xcr0(), legacy = 3;
	uint32_t magic2 = RST_FP_XSTATE_MAGIC2;

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
		put_xstate(xs, fp->xsave);
	else
		memcpy(xs + XSAVE_HDR_OFF, &legacy, sizeof(legacy));
}

int rst_sigframe_build(void *buf, const CoreEntry *core, uint64_t blocked,
		       const ThreadSasEntry *sas)
{
	struct rst_sigframe *f = buf;
	uint8_t *xs = (uint8_t *)buf + ALIGN64(sizeof(*f));
	const UserX86RegsEntry *r;
	struct rst_sigcontext *sc;
	int ret = rst_sigframe_check(core);

	if (ret)
		return ret;
	r = core->thread_info->gpregs;
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
	put_fpu(xs, core->thread_info->fpregs);
	return 0;
}
