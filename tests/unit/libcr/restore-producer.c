// SPDX-License-Identifier: LGPL-2.1-or-later
#include <cpuid.h>
#include <elf.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <unistd.h>

#include <cmocka.h>

#include "img/pagemap.h"
#include "proc-auxv.h"
#include "proc-maps.h"
#include "proc-stat.h"
#include "restore-producer.h"

#define MAX_VMAS 256
#define MAX_FILES 32
#define PTRACE_GET_RSEQ_CONF 0x420f

struct dump {
	VmaEntry vmas[MAX_VMAS];
	VmaEntry *vp[MAX_VMAS];
	int nr;
	char *paths[MAX_FILES];
	int nr_files;
};

static uint32_t file_id(struct dump *d, const char *path)
{
	int i;

	for (i = 0; i < d->nr_files; i++)
		if (!strcmp(d->paths[i], path))
			return i + 1;
	assert_true(d->nr_files < MAX_FILES);
	d->paths[d->nr_files++] = strdup(path);
	return d->nr_files;
}

static int add_vma(const struct proc_vma *v, void *arg)
{
	struct dump *d = arg;
	VmaEntry *e = &d->vmas[d->nr];
	uint64_t madv = 0;

	assert_true(d->nr < MAX_VMAS);
	vma_entry__init(e);
	e->start = v->start;
	e->end = v->end;
	e->prot = v->prot;
	e->fd = -1;
	e->flags = v->shared ? MAP_SHARED : MAP_PRIVATE;
	switch (v->kind) {
	case PROC_VMA_VSYSCALL:
		e->status = 1u << 2 | 1u << 9;
		e->flags |= MAP_ANONYMOUS;
		break;
	case PROC_VMA_VDSO:
		e->status = 1u << 0 | 1u << 3 | 1u << 9;
		e->flags |= MAP_ANONYMOUS;
		break;
	case PROC_VMA_VVAR:
	case PROC_VMA_VVAR_VCLOCK:
		e->status = 1u << 0 | 1u << 12 | 1u << 9;
		e->flags |= MAP_ANONYMOUS;
		break;
	case PROC_VMA_FILE:
		e->status = 1u << 0 | (v->shared ? 1u << 7 : 1u << 6);
		e->shmid = file_id(d, v->name);
		e->pgoff = v->pgoff;
		break;
	default:
		assert_false(v->shared);
		e->status = 1u << 0 | 1u << 9 | (v->kind == PROC_VMA_HEAP ? 1u << 5 : 0);
		e->flags |= MAP_ANONYMOUS;
		if (v->vmflags & PROC_VMF_GD)
			e->flags |= MAP_GROWSDOWN;
		break;
	}
	if (v->vmflags & PROC_VMF_NH)
		madv |= 1ULL << MADV_NOHUGEPAGE;
	if (v->vmflags & PROC_VMF_HG)
		madv |= 1ULL << MADV_HUGEPAGE;
	if (madv) {
		e->has_madv = 1;
		e->madv = madv;
	}
	d->vp[d->nr] = e;
	d->nr++;
	return 0;
}

static void dump_pages(struct img_dir *dir, pid_t pid, struct dump *d)
{
	struct img_pagemap_writer *w = img_pagemap_writer_open(dir, pid, 1);
	char path[64];
	int i, fd;

	assert_non_null(w);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	for (i = 0; i < d->nr; i++) {
		VmaEntry *e = d->vp[i];
		size_t len = e->end - e->start;
		void *buf;

		/* private areas with data; vdso/vvar/vsyscall come from the kernel */
		if (!e->prot || (e->flags & MAP_SHARED) ||
		    (e->status & (1u << 2 | 1u << 3 | 1u << 12)))
			continue;
		buf = malloc(len);
		assert_non_null(buf);
		assert_int_equal(pread(fd, buf, len, (off_t)e->start), (ssize_t)len);
		assert_int_equal(
			img_pagemap_writer_add_data(w, e->start, len / 4096, IMG_PE_PRESENT, buf),
			0);
		free(buf);
	}
	close(fd);
	assert_int_equal(img_pagemap_writer_close(w), 0);
}

static void dump_files(struct img_dir *dir, struct dump *d)
{
	struct img_file *f = img_file_open(dir, "FILES", 0, IMG_WRITE);
	int i;

	assert_non_null(f);
	for (i = 0; i < d->nr_files; i++) {
		FileEntry fe = FILE_ENTRY__INIT;
		RegFileEntry reg = REG_FILE_ENTRY__INIT;
		FownEntry fown = FOWN_ENTRY__INIT;

		reg.id = i + 1;
		reg.flags = O_RDONLY;
		reg.fown = &fown;
		reg.name = d->paths[i];
		fe.type = FD_TYPES__REG;
		fe.id = i + 1;
		fe.reg = &reg;
		assert_int_equal(img_file_write_entry(f, &fe.base), 0);
		free(d->paths[i]);
	}
	assert_int_equal(img_file_close(f), 0);
}

static void dump_mm(struct img_dir *dir, pid_t pid, const struct victim_self *self, struct dump *d)
{
	MmEntry mm = MM_ENTRY__INIT;
	struct proc_auxv auxv;
	struct proc_stat st;
	uint64_t words[2 * PROC_AUXV_MAX];
	char exe[4096];
	char path[64];
	ssize_t n;
	size_t i;

	assert_int_equal(proc_smaps_read(pid, true, add_vma, d), 0);
	assert_int_equal(proc_stat_read(pid, 0, &st), 0);
	assert_int_equal(proc_auxv_read(pid, &auxv), 0);
	for (i = 0; i < auxv.nr; i++) {
		words[2 * i] = auxv.type[i];
		words[2 * i + 1] = auxv.val[i];
	}
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = 0;
	mm.mm_start_code = st.start_code;
	mm.mm_end_code = st.end_code;
	mm.mm_start_data = st.start_data;
	mm.mm_end_data = st.end_data;
	mm.mm_start_stack = st.start_stack;
	mm.mm_start_brk = st.start_brk;
	mm.mm_brk = self->brk;
	mm.mm_arg_start = st.arg_start;
	mm.mm_arg_end = st.arg_end;
	mm.mm_env_start = st.env_start;
	mm.mm_env_end = st.env_end;
	mm.exe_file_id = file_id(d, exe);
	mm.n_mm_saved_auxv = 2 * auxv.nr;
	mm.mm_saved_auxv = words;
	mm.n_vmas = d->nr;
	mm.vmas = d->vp;
	assert_int_equal(cr_img_write_one(dir, "MM", pid, &mm.base), 0);
}

/* The legacy area, the xsave header and the YMM/PKRU components of @xs. */
static void fill_fpregs(UserX86FpregsEntry *fp, UserX86XsaveEntry *x, uint8_t *xs)
{
	static uint32_t words[4][64];
	unsigned int a, b, c, dd;
	uint16_t w[4];

	memcpy(w, xs, sizeof(w));
	fp->cwd = w[0];
	fp->swd = w[1];
	fp->twd = w[2];
	fp->fop = w[3];
	memcpy(&fp->rip, xs + 8, 8);
	memcpy(&fp->rdp, xs + 16, 8);
	memcpy(&fp->mxcsr, xs + 24, 4);
	memcpy(&fp->mxcsr_mask, xs + 28, 4);
	fp->n_st_space = 32;
	fp->st_space = words[0];
	memcpy(words[0], xs + 32, 128);
	fp->n_xmm_space = 64;
	fp->xmm_space = words[1];
	memcpy(words[1], xs + 160, 256);
	memcpy(&x->xstate_bv, xs + 512, 8);
	__cpuid_count(0xd, 2, a, b, c, dd);
	x->n_ymmh_space = 64;
	x->ymmh_space = words[2];
	memcpy(words[2], xs + b, 256);
	__cpuid_count(0xd, 9, a, b, c, dd);
	if (a) {
		x->n_pkru = 1;
		x->pkru = words[3];
		memcpy(words[3], xs + b, 4);
	}
	fp->xsave = x;
}

/* The queue of @tid (@shared: of its process) as siginfos, with PTRACE_PEEKSIGINFO. */
static SignalQueueEntry *dump_queue(pid_t tid, int shared, int idx)
{
	static uint8_t info[4][8][128];
	static SiginfoEntry e[4][8], *ep[4][8];
	static SignalQueueEntry q[4];
	struct {
		uint64_t off;
		uint32_t flags;
		int32_t nr;
	} args = {0, shared ? 1 : 0, 8};
	long n = ptrace(0x4209 /* PTRACE_PEEKSIGINFO */, tid, &args, info[idx]);
	long i;

	assert_true(n >= 0);
	signal_queue_entry__init(&q[idx]);
	for (i = 0; i < n; i++) {
		siginfo_entry__init(&e[idx][i]);
		e[idx][i].siginfo.len = 128;
		e[idx][i].siginfo.data = info[idx][i];
		ep[idx][i] = &e[idx][i];
	}
	q[idx].n_signals = n;
	q[idx].signals = ep[idx];
	return &q[idx];
}

static CoreEntry *dump_core(struct img_dir *dir, pid_t pid, pid_t tid, int idx,
			    const struct victim_self *self)
{
	static uint8_t xs[2][8192] __attribute__((aligned(64)));
	static struct user_regs_struct regs[2];
	static UserX86RegsEntry gp[2];
	static UserX86FpregsEntry fp[2];
	static UserX86XsaveEntry xsave[2];
	static ThreadInfoX86 ti[2];
	static TaskCoreEntry tc;
	static ThreadCoreEntry thc[2];
	static CredsEntry creds[2];
	static RseqEntry rseq[2];
	static SaEntry sa[64], *sap[64];
	static TaskRlimitsEntry rl;
	static TaskTimersEntry tt;
	static ItimerEntry its[3];
	static char comm[2][32];
	char cpath[64];
	FILE *cf;
	static RlimitEntry rle[RLIM_NLIMITS], *rlp[RLIM_NLIMITS];
	struct {
		uint64_t ptr;
		uint32_t size, sig, flags, pad;
	} rc;
	CoreEntry core = CORE_ENTRY__INIT;
	struct iovec iov = {&regs[idx], sizeof(regs[idx])};
	ProtobufCMessage *back;
	long head = 0;
	size_t len = 0;
	int i, n;

	assert_int_equal(ptrace(PTRACE_GETREGSET, tid, NT_PRSTATUS, &iov), 0);
	iov = (struct iovec){xs[idx], sizeof(xs[idx])};
	assert_int_equal(ptrace(PTRACE_GETREGSET, tid, NT_X86_XSTATE, &iov), 0);
	user_x86_regs_entry__init(&gp[idx]);
	gp[idx] = (UserX86RegsEntry){gp[idx].base,
				     regs[idx].r15,
				     regs[idx].r14,
				     regs[idx].r13,
				     regs[idx].r12,
				     regs[idx].rbp,
				     regs[idx].rbx,
				     regs[idx].r11,
				     regs[idx].r10,
				     regs[idx].r9,
				     regs[idx].r8,
				     regs[idx].rax,
				     regs[idx].rcx,
				     regs[idx].rdx,
				     regs[idx].rsi,
				     regs[idx].rdi,
				     regs[idx].orig_rax,
				     regs[idx].rip,
				     regs[idx].cs,
				     regs[idx].eflags,
				     regs[idx].rsp,
				     regs[idx].ss,
				     regs[idx].fs_base,
				     regs[idx].gs_base,
				     regs[idx].ds,
				     regs[idx].es,
				     regs[idx].fs,
				     regs[idx].gs,
				     0,
				     0};
	user_x86_fpregs_entry__init(&fp[idx]);
	user_x86_xsave_entry__init(&xsave[idx]);
	fill_fpregs(&fp[idx], &xsave[idx], xs[idx]);
	thread_info_x86__init(&ti[idx]);
	ti[idx].clear_tid_addr = self->clear_tid[idx];
	ti[idx].gpregs = &gp[idx];
	ti[idx].fpregs = &fp[idx];

	thread_core_entry__init(&thc[idx]);
	assert_int_equal(syscall(SYS_get_robust_list, tid, &head, &len), 0);
	thc[idx].futex_rla = head;
	thc[idx].futex_rla_len = len;
	thc[idx].has_blk_sigset = 1;
	thc[idx].blk_sigset = self->blocked;
	assert_int_equal(ptrace(PTRACE_GET_RSEQ_CONF, tid, sizeof(rc), &rc), sizeof(rc));
	rseq_entry__init(&rseq[idx]);
	rseq[idx].rseq_abi_pointer = rc.ptr;
	rseq[idx].rseq_abi_size = rc.size;
	rseq[idx].signature = rc.sig;
	thc[idx].rseq_entry = &rseq[idx];
	creds_entry__init(&creds[idx]);
	creds[idx].uid = self->uid[0];
	creds[idx].euid = self->uid[1];
	creds[idx].suid = self->uid[2];
	creds[idx].fsuid = self->uid[3];
	creds[idx].gid = self->uid[4];
	creds[idx].egid = self->uid[5];
	creds[idx].sgid = self->uid[6];
	creds[idx].fsgid = self->uid[7];
	creds[idx].n_cap_inh = creds[idx].n_cap_prm = creds[idx].n_cap_eff = creds[idx].n_cap_bnd =
		2;
	creds[idx].cap_inh = (uint32_t *)self->caps[0];
	creds[idx].cap_prm = (uint32_t *)self->caps[1];
	creds[idx].cap_eff = (uint32_t *)self->caps[2];
	creds[idx].cap_bnd = (uint32_t *)&self->cap_bnd;
	creds[idx].secbits = self->secbits;
	thc[idx].creds = &creds[idx];
	thc[idx].signals_p = dump_queue(tid, 0, idx);
	snprintf(cpath, sizeof(cpath), "/proc/%d/task/%d/comm", pid, tid);
	cf = fopen(cpath, "r");
	assert_non_null(cf);
	assert_non_null(fgets(comm[idx], sizeof(comm[idx]), cf));
	fclose(cf);
	comm[idx][strcspn(comm[idx], "\n")] = 0;
	thc[idx].comm = comm[idx];

	core.mtype = CORE_ENTRY__MARCH__X86_64;
	core.thread_info = &ti[idx];
	core.thread_core = &thc[idx];
	if (tid == pid) {
		task_core_entry__init(&tc);
		tc.blk_sigset = self->blocked;
		tc.comm = comm[idx];
		tc.signals_s = dump_queue(tid, 1, 2);
		task_timers_entry__init(&tt);
		for (i = 0; i < 3; i++) {
			itimer_entry__init(&its[i]);
			its[i].isec = self->itimers[i][0];
			its[i].iusec = self->itimers[i][1];
			its[i].vsec = self->itimers[i][2];
			its[i].vusec = self->itimers[i][3];
		}
		tt.real = &its[0];
		tt.virt = &its[1];
		tt.prof = &its[2];
		tc.timers = &tt;
		/* CRIU's layout: signals 1 to 64 but SIGKILL and SIGSTOP */
		for (i = 0, n = 0; i < 64; i++) {
			if (i + 1 == SIGKILL || i + 1 == SIGSTOP)
				continue;
			sa_entry__init(&sa[n]);
			sa[n].sigaction = self->sigactions[i][0];
			sa[n].flags = self->sigactions[i][1];
			sa[n].restorer = self->sigactions[i][2];
			sa[n].mask = self->sigactions[i][3];
			sap[n] = &sa[n];
			n++;
		}
		tc.n_sigactions = n;
		tc.sigactions = sap;
		task_rlimits_entry__init(&rl);
		for (i = 0; i < RLIM_NLIMITS; i++) {
			struct rlimit r;

			assert_int_equal(prlimit(pid, i, NULL, &r), 0);
			rlimit_entry__init(&rle[i]);
			rle[i].cur = r.rlim_cur;
			rle[i].max = r.rlim_max;
			rlp[i] = &rle[i];
		}
		rl.n_rlimits = RLIM_NLIMITS;
		rl.rlimits = rlp;
		tc.rlimits = &rl;
		core.tc = &tc;
	}
	assert_int_equal(cr_img_write_one(dir, "CORE", tid, &core.base), 0);
	assert_int_equal(cr_img_read_one(dir, "CORE", tid, &core_entry__descriptor, &back), 0);
	return (CoreEntry *)back;
}

void produce_dump(struct img_dir *dir, pid_t pid, const pid_t *tids, int nr_threads,
		  const struct victim_self *self, CoreEntry **cores)
{
	static struct dump d;
	int i;

	memset(&d, 0, sizeof(d));
	dump_mm(dir, pid, self, &d);
	dump_pages(dir, pid, &d);
	dump_files(dir, &d);
	for (i = 0; i < nr_threads; i++)
		cores[i] = dump_core(dir, pid, tids[i], i, self);
}

int read_dumped_vmas(struct img_dir *dir, pid_t pid, uint64_t (*out)[3], int max)
{
	MmEntry *mm;
	int i, n = 0;

	assert_int_equal(
		cr_img_read_one(dir, "MM", pid, &mm_entry__descriptor, (ProtobufCMessage **)&mm),
		0);
	for (i = 0; i < (int)mm->n_vmas && n < max; i++, n++) {
		out[n][0] = mm->vmas[i]->start;
		out[n][1] = mm->vmas[i]->end;
		out[n][2] = mm->vmas[i]->prot;
	}
	protobuf_c_message_free_unpacked(&mm->base, NULL);
	return n;
}
