// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * x86_64 registers of a stopped thread: NT_PRSTATUS, NT_X86_XSTATE (the
 * standard XSAVE layout, each component where CPUID leaf 0xD puts it) and
 * the three TLS descriptors of the GDT.
 */
#include <asm/ldt.h>
#include <cpuid.h>
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "dump-core.h"
#include "lib-log.h"

/* Return values of an interrupted syscall the kernel restarts itself. */
#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516
#define SYSCALL_INSN_LEN 2
#define USER64_CS 0x33

/*
 * The legacy area, the XSAVE header, and the word of the legacy area's
 * software bytes where ptrace puts the task's XCR0 (the components the
 * buffer holds).
 */
#define FXSAVE_SIZE 512
#define XSAVE_HDR_OFFSET 512
#define PTRACE_XCR0_OFFSET 464
#define XSTATE_MAX (64u << 10)

/* The first TLS entry of the GDT and their number (GDT_ENTRY_TLS_*). */
#define TLS_FIRST 12
#define TLS_NR 3

/* XSAVE components kept in user_x86_xsave_entry. */
enum {
	XFEATURE_YMM = 2,
	XFEATURE_BNDREGS = 3,
	XFEATURE_BNDCSR = 4,
	XFEATURE_OPMASK = 5,
	XFEATURE_ZMM_HI256 = 6,
	XFEATURE_HI16_ZMM = 7,
	XFEATURE_PKRU = 9,
};

/* Point the thread at its interrupted syscall again (the kernel would have). */
static void restart_syscall_fixup(struct user_regs_struct *g)
{
	if ((long)g->orig_rax < 0)
		return;
	switch (-(long)g->rax) {
	case ERESTARTSYS:
	case ERESTARTNOINTR:
	case ERESTARTNOHAND:
		g->rax = g->orig_rax;
		break;
	case ERESTART_RESTARTBLOCK:
		g->rax = SYS_restart_syscall;
		break;
	default:
		return;
	}
	g->rip -= SYSCALL_INSN_LEN;
}

static int gpregs_dump(pid_t tid, struct regs_img *r)
{
	struct user_regs_struct g;
	struct iovec iov = { &g, sizeof(g) };
	UserX86RegsEntry *e = &r->gp;

	if (ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov))
		return -errno;
	if (iov.iov_len != sizeof(g) || g.cs != USER64_CS) {
		pr_err("thread %d does not run 64-bit code", tid);
		return -EOPNOTSUPP;
	}
	restart_syscall_fixup(&g);
	user_x86_regs_entry__init(e);
	e->r15 = g.r15;
	e->r14 = g.r14;
	e->r13 = g.r13;
	e->r12 = g.r12;
	e->bp = g.rbp;
	e->bx = g.rbx;
	e->r11 = g.r11;
	e->r10 = g.r10;
	e->r9 = g.r9;
	e->r8 = g.r8;
	e->ax = g.rax;
	e->cx = g.rcx;
	e->dx = g.rdx;
	e->si = g.rsi;
	e->di = g.rdi;
	e->orig_ax = g.orig_rax;
	e->ip = g.rip;
	e->cs = g.cs;
	e->flags = g.eflags;
	e->sp = g.rsp;
	e->ss = g.ss;
	e->fs_base = g.fs_base;
	e->gs_base = g.gs_base;
	e->ds = g.ds;
	e->es = g.es;
	e->fs = g.fs;
	e->gs = g.gs;
	e->has_mode = true;
	e->mode = USER_X86_REGS_MODE__NATIVE;
	return 0;
}

/*
 * Copy XSAVE component @nr of @xs (@len bytes long) into @dst (@size
 * bytes): 0, 1 when the thread does not have it, or -EINVAL when the CPU
 * lays it out differently from what the image holds.
 */
static int xsave_component(const unsigned char *xs, size_t len, uint64_t features, unsigned int nr,
			   void *dst, size_t size)
{
	unsigned int csize, off, ecx, edx;

	if (!(features & (1ULL << nr)))
		return 1;
	__cpuid_count(0xd, nr, csize, off, ecx, edx);
	if (csize != size || off < XSAVE_HDR_OFFSET || off > len || len - off < size) {
		pr_err("XSAVE component %u: %u bytes at %u, expected %zu in %zu", nr, csize, off,
		       size, len);
		return -EINVAL;
	}
	memcpy(dst, xs + off, size);
	return 0;
}

#define XSAVE_PART(nr, arr, field, count_field)                                              \
	do {                                                                                 \
		ret = xsave_component(xs, len, features, nr, r->arr, sizeof(r->arr));        \
		if (ret < 0)                                                                 \
			return ret;                                                          \
		if (!ret) {                                                                  \
			x->field = r->arr;                                                   \
			x->count_field = sizeof(r->arr) / sizeof(r->arr[0]);                 \
		}                                                                            \
	} while (0)

/* The XSAVE parts beyond the legacy area. */
static int xsave_fill(struct regs_img *r, const unsigned char *xs, size_t len)
{
	UserX86XsaveEntry *x = &r->xs;
	uint64_t features;
	int ret;

	if (len < XSAVE_HDR_OFFSET + 8)
		return -EINVAL;
	user_x86_xsave_entry__init(x);
	memcpy(&x->xstate_bv, xs + XSAVE_HDR_OFFSET, sizeof(x->xstate_bv));
	memcpy(&features, xs + PTRACE_XCR0_OFFSET, sizeof(features));
	XSAVE_PART(XFEATURE_YMM, ymmh_space, ymmh_space, n_ymmh_space);
	XSAVE_PART(XFEATURE_BNDREGS, bndreg, bndreg_state, n_bndreg_state);
	XSAVE_PART(XFEATURE_BNDCSR, bndcsr, bndcsr_state, n_bndcsr_state);
	XSAVE_PART(XFEATURE_OPMASK, opmask, opmask_reg, n_opmask_reg);
	XSAVE_PART(XFEATURE_ZMM_HI256, zmm_upper, zmm_upper, n_zmm_upper);
	XSAVE_PART(XFEATURE_HI16_ZMM, hi16_zmm, hi16_zmm, n_hi16_zmm);
	XSAVE_PART(XFEATURE_PKRU, pkru, pkru, n_pkru);
	r->fp.xsave = x;
	return 0;
}

static int fpregs_dump(pid_t tid, struct regs_img *r)
{
	unsigned int eax, ebx, ecx, edx;
	struct user_fpregs_struct fx;
	UserX86FpregsEntry *e = &r->fp;
	struct iovec iov;
	unsigned char *xs;
	int ret;

	/* ECX of leaf 0xD: the largest XSAVE area this CPU may need. */
	__cpuid_count(0xd, 0, eax, ebx, ecx, edx);
	if (ecx < FXSAVE_SIZE || ecx > XSTATE_MAX)
		return -EOPNOTSUPP;
	xs = calloc(1, ecx);
	if (!xs)
		return -ENOMEM;
	iov.iov_base = xs;
	iov.iov_len = ecx;
	if (ptrace(PTRACE_GETREGSET, tid, NT_X86_XSTATE, &iov)) {
		ret = -errno;
		goto out;
	}
	memcpy(&fx, xs, sizeof(fx));
	user_x86_fpregs_entry__init(e);
	e->cwd = fx.cwd;
	e->swd = fx.swd;
	e->twd = fx.ftw;
	e->fop = fx.fop;
	e->rip = fx.rip;
	e->rdp = fx.rdp;
	e->mxcsr = fx.mxcsr;
	e->mxcsr_mask = fx.mxcr_mask;
	memcpy(r->st_space, fx.st_space, sizeof(r->st_space));
	memcpy(r->xmm_space, fx.xmm_space, sizeof(r->xmm_space));
	e->st_space = r->st_space;
	e->n_st_space = 32;
	e->xmm_space = r->xmm_space;
	e->n_xmm_space = 64;
	ret = xsave_fill(r, xs, iov.iov_len);
out:
	if (ret)
		pr_err("cannot read the FPU state of %d: %s", tid, strerror(-ret));
	free(xs);
	return ret;
}

static int tls_dump(pid_t tid, struct regs_img *r)
{
	struct user_desc d;
	UserDescT *e;
	int i;

	for (i = 0; i < TLS_NR; i++) {
		memset(&d, 0, sizeof(d));
		if (ptrace(PTRACE_GET_THREAD_AREA, tid, TLS_FIRST + i, &d))
			return -errno;
		e = &r->tls[i];
		user_desc_t__init(e);
		e->entry_number = d.entry_number;
		e->base_addr = d.base_addr;
		e->limit = d.limit;
		e->seg_32bit = d.seg_32bit;
		e->contents_h = (d.contents >> 1) & 1;
		e->contents_l = d.contents & 1;
		e->read_exec_only = d.read_exec_only;
		e->limit_in_pages = d.limit_in_pages;
		e->seg_not_present = d.seg_not_present;
		e->usable = d.useable;
		r->tls_ptrs[i] = e;
	}
	r->ti.tls = r->tls_ptrs;
	r->ti.n_tls = TLS_NR;
	return 0;
}

int regs_dump(pid_t tid, struct regs_img *r)
{
	int ret;

	thread_info_x86__init(&r->ti);
	ret = gpregs_dump(tid, r);
	if (!ret)
		ret = fpregs_dump(tid, r);
	if (!ret)
		ret = tls_dump(tid, r);
	if (ret) {
		pr_err("cannot read the registers of %d: %s", tid, strerror(-ret));
		return ret;
	}
	r->ti.gpregs = &r->gp;
	r->ti.fpregs = &r->fp;
	return 0;
}
