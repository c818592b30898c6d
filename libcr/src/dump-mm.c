// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mm-PID.img: the address space of a task, one VmaEntry per line of
 * /proc/PID/smaps, and its pages (dump-pages.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "img/vma.h"
#include "array.h"
#include "compel/compel.h"
#include "dump-pages.h"
#include "dump-shmem.h"
#include "dump.h"
#include "file-ids.h"
#include "lib-log.h"
#include "proc-auxv.h"
#include "proc-file.h"
#include "proc-maps.h"
#include "proc-stat.h"
#include "vdso.h"

/* The kernel's default vm.max_map_count is 65530; allow for a raised one. */
#define MM_MAX_VMAS (1u << 20)

struct mm_walk {
	struct dump_ctx *ctx;
	struct dump_task *t;
	struct page_dumper *pd;
	VmaEntry *vmas;
	size_t nr_vmas, cap_vmas;
	uint64_t skip_start, skip_end;	/* libcompel's shared area, not the task's */
	uint64_t heap_end;
	bool has_vdso;
};

/* madvise() advice that smaps shows, as VmaEntry.madv bits (1 << MADV_*). */
static const struct {
	uint64_t vmflag;
	unsigned int advice;
} madv_flags[] = {
	{ PROC_VMF_SR, MADV_SEQUENTIAL }, { PROC_VMF_RR, MADV_RANDOM },
	{ PROC_VMF_DC, MADV_DONTFORK },	  { PROC_VMF_WF, MADV_WIPEONFORK },
	{ PROC_VMF_DD, MADV_DONTDUMP },	  { PROC_VMF_HG, MADV_HUGEPAGE },
	{ PROC_VMF_NH, MADV_NOHUGEPAGE }, { PROC_VMF_MG, MADV_MERGEABLE },
};

static uint64_t vma_madv(const struct proc_vma *vma)
{
	uint64_t madv = 0;
	size_t i;

	for (i = 0; i < sizeof(madv_flags) / sizeof(madv_flags[0]); i++)
		if (vma->vmflags & madv_flags[i].vmflag)
			madv |= 1ULL << madv_flags[i].advice;
	return madv;
}

/* The files.img id of the file we opened as @fd for the task. Takes @fd. */
static int mapped_file_id(struct mm_walk *w, int fd, unsigned int fdflags, uint32_t *id)
{
	int ret = dump_mapped_file(w->ctx, w->t->pt->pid, fd, fdflags, id);

	close(fd);
	return ret;
}

static bool name_starts(const struct proc_vma *vma, const char *prefix)
{
	return !strncmp(vma->name, prefix, strlen(prefix));
}

/* Shared anonymous memory: its pages go to pagemap-shmem-ID.img (dump-shmem.c). */
static int vma_anon_shared(struct mm_walk *w, const struct proc_vma *vma, VmaEntry *e)
{
	e->flags |= MAP_ANONYMOUS;
	e->status |= IMG_VMA_AREA_REGULAR | IMG_VMA_ANON_SHARED;
	return dump_shmem(w->ctx, w->t->pt->pid, vma, &e->shmid);
}

/* A mapping with a path: its file goes to files.img. */
static int vma_file(struct mm_walk *w, const struct proc_vma *vma, VmaEntry *e, bool *pages)
{
	pid_t pid = w->t->pt->pid;
	uint32_t id;
	int fd, ret;

	if (vma->shared && vma->deleted && !strcmp(vma->name, "/dev/zero"))
		return vma_anon_shared(w, vma, e);
	if (vma->shared && vma->deleted && name_starts(vma, "/SYSV")) {
		pr_warn("%d: System V shared memory at %#llx is not dumped yet", pid,
			(unsigned long long)vma->start);
		e->status = IMG_VMA_AREA_REGULAR | IMG_VMA_AREA_SYSVIPC;
		e->shmid = vma->inode;
		return 0;
	}
	if (vma->name[0] != '/' || name_starts(vma, "/memfd:")) {
		pr_err("%d: cannot dump the mapping of %s at %#llx yet", pid, vma->name,
		       (unsigned long long)vma->start);
		return -EOPNOTSUPP;
	}

	/* A shared mapping that may be written needs the file open for writing. */
	e->has_fdflags = true;
	e->fdflags = vma->shared && (vma->vmflags & PROC_VMF_MW) ? O_RDWR : O_RDONLY;
	fd = proc_vma_open_file(pid, vma, e->fdflags);
	if (fd < 0)
		return fd;
	ret = mapped_file_id(w, fd, e->fdflags, &id);
	e->shmid = id;
	/* The pages of a shared file mapping are the file's. */
	if (vma->shared) {
		e->status = IMG_VMA_AREA_REGULAR | IMG_VMA_FILE_SHARED;
	} else {
		e->status = IMG_VMA_AREA_REGULAR | IMG_VMA_FILE_PRIVATE;
		*pages = true;
	}
	return ret;
}

/*
 * Status, flags and file of a mapping; *@pages tells whether its pages
 * are the task's own to dump. 0 or a negative errno.
 */
static int vma_classify(struct mm_walk *w, const struct proc_vma *vma, VmaEntry *e, bool *pages)
{
	*pages = false;
	e->flags = vma->shared ? MAP_SHARED : MAP_PRIVATE;
	switch (vma->kind) {
	case PROC_VMA_FILE:
		return vma_file(w, vma, e, pages);
	case PROC_VMA_VSYSCALL:
		e->status = IMG_VMA_AREA_VSYSCALL | IMG_VMA_ANON_PRIVATE;
		break;
	case PROC_VMA_UPROBES:
		e->status = IMG_VMA_AREA_UPROBES | IMG_VMA_ANON_PRIVATE;
		break;
	case PROC_VMA_VDSO:
		e->status = IMG_VMA_AREA_REGULAR | IMG_VMA_AREA_VDSO | IMG_VMA_ANON_PRIVATE;
		break;
	case PROC_VMA_VVAR:
	case PROC_VMA_VVAR_VCLOCK:
		e->status = IMG_VMA_AREA_REGULAR | IMG_VMA_AREA_VVAR | IMG_VMA_ANON_PRIVATE;
		break;
	case PROC_VMA_HEAP:
		w->heap_end = vma->end;
		e->status = IMG_VMA_AREA_HEAP;
		/* fallthrough */
	case PROC_VMA_ANON:
	case PROC_VMA_STACK:
	case PROC_VMA_ANON_NAMED:
		if (vma->shared)
			return vma_anon_shared(w, vma, e);
		e->status |= IMG_VMA_AREA_REGULAR | IMG_VMA_ANON_PRIVATE;
		*pages = true;
		break;
	default:
		pr_err("%d: cannot dump the special mapping [%s] at %#llx", w->t->pt->pid,
		       vma->name, (unsigned long long)vma->start);
		return -EOPNOTSUPP;
	}
	e->flags |= MAP_ANONYMOUS;
	return 0;
}

static int dump_vma(const struct proc_vma *vma, void *arg)
{
	struct mm_walk *w = arg;
	bool pages;
	VmaEntry *e;
	int ret;

	if (vma->start >= w->skip_start && vma->end <= w->skip_end)
		return 0;
	ret = array_grow((void **)&w->vmas, &w->cap_vmas, w->nr_vmas, sizeof(*w->vmas),
			 MM_MAX_VMAS);
	if (ret)
		return ret;
	e = &w->vmas[w->nr_vmas];
	vma_entry__init(e);
	e->start = vma->start;
	e->end = vma->end;
	e->pgoff = vma->pgoff;
	e->prot = vma->prot;
	e->fd = -1;
	ret = vma_classify(w, vma, e, &pages);
	if (ret)
		return ret;
	if (vma->kind == PROC_VMA_VDSO)
		w->has_vdso = true;
	if (vma->vmflags & PROC_VMF_GD)
		e->flags |= MAP_GROWSDOWN;
	if (vma->vmflags & PROC_VMF_LO)
		e->flags |= MAP_LOCKED;
	if (vma->vmflags & PROC_VMF_LF)
		e->has_lock_onfault = e->lock_onfault = true;
	e->madv = vma_madv(vma);
	e->has_madv = e->madv != 0;
	w->nr_vmas++;
	/* I/O and raw PFN ranges have no pages to read. */
	if (pages && !(vma->vmflags & (PROC_VMF_IO | PROC_VMF_PF)))
		return page_dumper_add(w->pd, vma->start, vma->end, vma->prot & PROT_READ);
	return 0;
}

/* The fields of MmEntry that /proc/PID/stat and /proc/PID/auxv give. */
static int mm_fill(pid_t pid, MmEntry *mm, uint64_t *auxv, size_t *nr_auxv)
{
	struct proc_auxv a;
	struct proc_stat st;
	size_t i;
	int ret;

	ret = proc_stat_read(pid, 0, &st);
	if (!ret)
		ret = proc_auxv_read(pid, &a);
	if (ret) {
		pr_err("cannot read the mm fields of %d: %s", pid, strerror(-ret));
		return ret;
	}
	mm->mm_start_code = st.start_code;
	mm->mm_end_code = st.end_code;
	mm->mm_start_data = st.start_data;
	mm->mm_end_data = st.end_data;
	mm->mm_start_stack = st.start_stack;
	mm->mm_start_brk = st.start_brk;
	mm->mm_arg_start = st.arg_start;
	mm->mm_arg_end = st.arg_end;
	mm->mm_env_start = st.env_start;
	mm->mm_env_end = st.env_end;
	/* The pairs before AT_NULL, flat. */
	*nr_auxv = 0;
	for (i = 0; i + 1 < a.nr; i++) {
		auxv[(*nr_auxv)++] = a.type[i];
		auxv[(*nr_auxv)++] = a.val[i];
	}
	return 0;
}

/*
 * The vDSO the task ran with into @mm, with @syms and @ptrs (which @mm
 * points to): this kernel's, the same in every task, read once per dump.
 */
static int vdso_put(struct dump_ctx *ctx, MmEntry *mm, VdsoSymbol *syms, VdsoSymbol **ptrs)
{
	const struct vdso *v;
	int ret = vdso_self_once(&ctx->vdso);

	if (ret)
		return ret;
	v = ctx->vdso;
	mm->has_vdso_sha256 = true;
	mm->vdso_sha256.data = (uint8_t *)v->sha256;
	mm->vdso_sha256.len = sizeof(v->sha256);
	mm->has_vdso = true;
	mm->vdso.data = (uint8_t *)v->base;
	mm->vdso.len = v->len;
	for (size_t i = 0; i < v->nr_syms; i++) {
		vdso_symbol__init(&syms[i]);
		syms[i].name = (char *)v->syms[i].name;
		syms[i].offset = v->syms[i].offset;
		ptrs[i] = &syms[i];
	}
	mm->n_vdso_symbols = v->nr_syms;
	mm->vdso_symbols = ptrs;
	return 0;
}

static int mm_write(struct mm_walk *w, MmEntry *mm)
{
	VmaEntry **vmas = calloc(w->nr_vmas ? w->nr_vmas : 1, sizeof(*vmas));
	size_t i;
	int ret;

	if (!vmas)
		return -ENOMEM;
	for (i = 0; i < w->nr_vmas; i++)
		vmas[i] = &w->vmas[i];
	mm->n_vmas = w->nr_vmas;
	mm->vmas = vmas;
	ret = cr_img_write_one(w->ctx->dir, "MM", w->t->pt->pid, &mm->base);
	free(vmas);
	return ret;
}

int dump_mm(struct dump_ctx *ctx, struct dump_task *t)
{
	struct mm_walk w = { .ctx = ctx, .t = t };
	uint64_t auxv[2 * PROC_AUXV_MAX];
	VdsoSymbol syms[VDSO_MAX_SYMS], *sym_ptrs[VDSO_MAX_SYMS];
	MmEntry mm = MM_ENTRY__INIT;
	pid_t pid = t->pt->pid;
	size_t shared;
	int fd, ret, ret2;

	ret = mm_fill(pid, &mm, auxv, &mm.n_mm_saved_auxv);
	if (ret)
		return ret;
	mm.mm_saved_auxv = auxv;
	mm.has_dumpable = true;
	mm.dumpable = t->dumpable;
	mm.has_thp_disabled = true;
	mm.thp_disabled = t->thp_disabled;

	fd = proc_open(pid, "exe", O_RDONLY);
	if (fd < 0)
		return fd;
	ret = mapped_file_id(&w, fd, O_RDONLY, &mm.exe_file_id);
	if (ret)
		goto out;

	w.pd = page_dumper_open(ctx, t);
	if (!w.pd) {
		ret = -errno;
		goto out;
	}
	shared = compel_task_shared_size(t->ct);
	if (shared) {
		/* The area and the code page before it, as libcompel maps them. */
		w.skip_start = compel_task_shared_remote(t->ct) - sysconf(_SC_PAGESIZE);
		w.skip_end = compel_task_shared_remote(t->ct) + shared;
	}
	ret = proc_smaps_read(pid, true, dump_vma, &w);
	if (ret)
		pr_err("cannot dump the mappings of %d: %s", pid, strerror(-ret));
	ret2 = page_dumper_close(w.pd);
	ret = ret ?: ret2;
	if (ret)
		goto out;
	if (w.has_vdso) {
		ret = vdso_put(ctx, &mm, syms, sym_ptrs);
		if (ret)
			goto out;
	}
	/* The break of the heap: not in /proc, so the end of [heap]. */
	mm.mm_brk = w.heap_end ? w.heap_end : mm.mm_start_brk;
	ret = mm_write(&w, &mm);
out:
	free(w.vmas);
	return ret;
}
