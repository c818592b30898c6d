// SPDX-License-Identifier: LGPL-2.1-or-later
/* Premap and fill a task's memory in a hole of both layouts. */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "img/vma.h"
#include "img/pagemap.h"
#include "lib-log.h"
#include "page-copier.h"
#include "proc-maps.h"
#include "restore-mem.h"
#include "restore-shmem.h"
#include "restore-vdso.h"

#define TASK_SIZE 0x7ffffffff000ULL
#define LOW_LIMIT 0x10000ULL
#define PAGE RST_PAGE_SIZE

/* Kinds of areas this restore cannot rebuild yet. */
#define VMA_UNSUPPORTED                                                                            \
	(IMG_VMA_AREA_SYSVIPC | IMG_VMA_AREA_SOCKET | IMG_VMA_AREA_AIORING | IMG_VMA_AREA_MEMFD |  \
	 IMG_VMA_AREA_SHSTK | IMG_VMA_AREA_UPROBES | IMG_VMA_UNSUPP)

/*
 * The madvise() advice an area keeps (random, sequential, fork, KSM, THP,
 * dump, wipe-on-fork and their undo): the only bits an image may carry.
 */
#define MADV_KEPT                                                                                  \
	((1ULL << MADV_RANDOM) | (1ULL << MADV_SEQUENTIAL) | (1ULL << MADV_DONTFORK) |             \
	 (1ULL << MADV_DOFORK) | (1ULL << MADV_MERGEABLE) | (1ULL << MADV_UNMERGEABLE) |           \
	 (1ULL << MADV_HUGEPAGE) | (1ULL << MADV_NOHUGEPAGE) | (1ULL << MADV_DONTDUMP) |           \
	 (1ULL << MADV_DODUMP) | (1ULL << MADV_WIPEONFORK) | (1ULL << MADV_KEEPONFORK))

static bool is_special(const VmaEntry *v)
{
	return v->status & (IMG_VMA_AREA_VDSO | IMG_VMA_AREA_VVAR);
}

static bool is_premapped(const VmaEntry *v)
{
	return !(v->status & IMG_VMA_AREA_VSYSCALL) && !is_special(v);
}

/* Premapped here: the areas the dump has pages or a file for, and a vDSO proxy. */
static bool premapped(const struct rst_mem *m, const VmaEntry *v)
{
	return is_premapped(v) || (m->proxy_len && (v->status & IMG_VMA_AREA_VDSO));
}

int rst_task_mm(struct rst_ctx *ctx, struct rst_task *t, MmEntry **mm)
{
	int ret = 0;

	if (!t->mm) {
		ret = cr_img_read_one(ctx->dir, "MM", t->pe->pid, &mm_entry__descriptor,
				      (ProtobufCMessage **)&t->mm);
		if (ret)
			pr_err("task %u: cannot read its mm image: %s", t->pe->pid, strerror(-ret));
	}
	*mm = t->mm;
	return ret;
}

int rst_page_run_check(const struct img_page_run *run, uint64_t limit, const char *what)
{
	if (run->vaddr % PAGE || run->vaddr >= limit ||
	    run->nr_pages > (limit - run->vaddr) / PAGE) {
		pr_err("%s: bad page run at %#" PRIx64 " (%" PRIu64 " pages)", what, run->vaddr,
		       run->nr_pages);
		return -EINVAL;
	}
	/* CRIU marks anonymous pages lazy as well as present: present is what counts. */
	if ((run->flags & IMG_PE_PARENT) ||
	    (run->flags & (IMG_PE_LAZY | IMG_PE_PRESENT)) == IMG_PE_LAZY) {
		pr_err("%s: pages in a parent dump or lazy pages are not supported yet", what);
		return -EOPNOTSUPP;
	}
	return 0;
}

int rst_mm_check(const MmEntry *mm)
{
	uint64_t prev_end = 0;
	size_t i;

	for (i = 0; i < mm->n_vmas; i++) {
		const VmaEntry *v = mm->vmas[i];

		if (v->start >= v->end || v->start % PAGE || v->end % PAGE || v->start < prev_end ||
		    (v->end > TASK_SIZE && !(v->status & IMG_VMA_AREA_VSYSCALL))) {
			pr_err("mm: bad area %#" PRIx64 "-%#" PRIx64, v->start, v->end);
			return -EINVAL;
		}
		if (v->status & VMA_UNSUPPORTED) {
			pr_err("mm: area %#" PRIx64 "-%#" PRIx64
			       " of kind %#x is not supported yet",
			       v->start, v->end, v->status);
			return -EOPNOTSUPP;
		}
		if (is_premapped(v) &&
		    !(v->status & (IMG_VMA_FILE_PRIVATE | IMG_VMA_FILE_SHARED |
				   IMG_VMA_ANON_SHARED | IMG_VMA_ANON_PRIVATE))) {
			pr_err("mm: area %#" PRIx64 " has no known kind (%#x)", v->start,
			       v->status);
			return -EINVAL;
		}
		if (v->has_madv && (v->madv & ~MADV_KEPT)) {
			pr_err("mm: area %#" PRIx64 " has unknown advice bits %#" PRIx64, v->start,
			       v->madv);
			return -EINVAL;
		}
		prev_end = v->end;
	}
	return 0;
}

struct ranges {
	struct rst_range *r;
	size_t nr, cap;
};

static int ranges_add(struct ranges *rs, uint64_t start, uint64_t end)
{
	if (rs->nr == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct rst_range *r = realloc(rs->r, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		rs->r = r;
		rs->cap = cap;
	}
	rs->r[rs->nr].start = start;
	rs->r[rs->nr].end = end;
	rs->nr++;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct rst_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

struct cur_maps {
	struct ranges all;
	struct rst_range vvar, vclock, vdso;
};

static int collect_current(const struct proc_vma *v, void *arg)
{
	struct cur_maps *c = arg;
	struct rst_range r = {v->start, v->end};

	if (v->kind == PROC_VMA_VVAR)
		c->vvar = r;
	else if (v->kind == PROC_VMA_VVAR_VCLOCK)
		c->vclock = r;
	else if (v->kind == PROC_VMA_VDSO)
		c->vdso = r;
	if (v->start >= TASK_SIZE)
		return 0;
	return ranges_add(&c->all, v->start, v->end);
}

/* Sort @rs and merge what overlaps or touches. */
static void ranges_merge(struct ranges *rs)
{
	size_t i, n = 0;

	qsort(rs->r, rs->nr, sizeof(*rs->r), cmp_range);
	for (i = 0; i < rs->nr; i++) {
		if (n && rs->r[i].start <= rs->r[n - 1].end) {
			if (rs->r[i].end > rs->r[n - 1].end)
				rs->r[n - 1].end = rs->r[i].end;
			continue;
		}
		rs->r[n++] = rs->r[i];
	}
	rs->nr = n;
}

/* The highest gap of @len bytes free in @rs, with a page of guard on each side. */
static int find_hole(struct ranges *rs, uint64_t len, uint64_t *hole)
{
	size_t i;

	ranges_merge(rs);
	for (i = rs->nr + 1; i-- > 0;) {
		uint64_t bottom = i ? rs->r[i - 1].end : LOW_LIMIT;
		uint64_t top = i < rs->nr ? rs->r[i].start : TASK_SIZE;

		if (bottom < top && top - bottom >= len + 2 * PAGE) {
			*hole = (top - PAGE - len) & ~(PAGE - 1);
			return 0;
		}
	}
	pr_err("no hole of %" PRIu64 " bytes free in both layouts", len);
	return -ENOMEM;
}

/* The span of the current vvar/vdso areas; 0 when there are none. */
static uint64_t cur_special_span(const struct cur_maps *c, uint64_t *start)
{
	const struct rst_range *cur[] = {&c->vvar, &c->vclock, &c->vdso};
	uint64_t s = UINT64_MAX, e = 0;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (cur[i]->start == cur[i]->end)
			continue;
		if (cur[i]->start < s)
			s = cur[i]->start;
		if (cur[i]->end > e)
			e = cur[i]->end;
	}
	*start = s;
	return e ? e - s : 0;
}

/* Where the dump had its vvar/vdso block and its vdso; end 0 if it had none. */
struct special_layout {
	uint64_t start, end, vdso;
};

static void dumped_special(const MmEntry *mm, struct special_layout *d)
{
	size_t i;

	*d = (struct special_layout){ UINT64_MAX, 0, 0 };
	for (i = 0; i < mm->n_vmas; i++) {
		const VmaEntry *v = mm->vmas[i];

		if (!is_special(v))
			continue;
		if (v->start < d->start)
			d->start = v->start;
		if (v->end > d->end)
			d->end = v->end;
		if (v->status & IMG_VMA_AREA_VDSO)
			d->vdso = v->start;
	}
}

/* Whether the current block is laid out as the dumped one: the same areas, in the same order. */
static bool same_special(const struct special_layout *d, const struct cur_maps *c)
{
	uint64_t cstart, clen = cur_special_span(c, &cstart);

	return clen && clen == d->end - d->start && c->vdso.start - cstart == d->vdso - d->start;
}

/*
 * Whether the dumped vDSO needs a proxy here (m->proxy_len set): the tree ran
 * on another vDSO, or on a block laid out otherwise, and the images hold
 * what a proxy is made of (CRIU's do not: then the layouts must match).
 */
static int plan_proxy(const struct rst_ctx *ctx, const MmEntry *mm, const struct cur_maps *c,
		      struct rst_mem *m)
{
	const VmaEntry *area = rst_vdso_area(mm);
	struct special_layout d;
	char why[128];
	int ret;

	/* Without a copy in the images (CRIU's), rst_check_vdso() read no vDSO. */
	if (!area || !mm->has_vdso || !ctx->vdso)
		return 0;
	dumped_special(mm, &d);
	if (rst_vdso_same(mm, ctx->vdso) && same_special(&d, c))
		return 0;
	ret = rst_vdso_proxy_check(mm, ctx->vdso, why, sizeof(why));
	if (ret)
		pr_err("no proxy can stand for the vdso the task ran with: %s", why);
	else
		m->proxy_len = area->end - area->start;
	return ret;
}

/* Whether [@start, @end) meets an area of the dump. */
static bool in_dump(const MmEntry *mm, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < mm->n_vmas; i++)
		if (mm->vmas[i]->start < end && start < mm->vmas[i]->end)
			return true;
	return false;
}

/*
 * Plan the vvar/vdso moves: the current block goes where the dump had its
 * own, or, behind a proxy, stays where it is unless the dump had something
 * there, then goes to a place free in both layouts (and off the hole).
 */
static int plan_special(const MmEntry *mm, struct cur_maps *c, uint64_t scratch, struct rst_mem *m)
{
	const struct rst_range *cur[] = {&c->vvar, &c->vclock, &c->vdso};
	uint64_t cstart, clen = cur_special_span(c, &cstart), place;
	struct special_layout d;
	size_t i;
	int ret;

	dumped_special(mm, &d);
	m->nr_special = 0;
	m->cur_special.start = m->cur_special.end = 0;
	if (!d.end)
		return 0;
	if (m->proxy_len) {
		place = cstart;
		if (in_dump(mm, cstart, cstart + clen)) {
			ret = ranges_add(&c->all, m->hole, m->hole + m->hole_len);
			if (!ret)
				ret = find_hole(&c->all, clen, &place);
			if (ret)
				return ret;
		}
		m->proxy_base = place + (c->vdso.start - cstart);
	} else if (same_special(&d, c)) {
		place = d.start;
	} else {
		pr_err("the vdso/vvar areas of the dump (%#" PRIx64
		       " bytes) differ from this kernel's (%#" PRIx64 " bytes)",
		       d.end - d.start, clen);
		return -EOPNOTSUPP;
	}
	m->cur_special.start = cstart;
	m->cur_special.end = cstart + clen;
	for (i = 0; i < 3; i++) {
		if (cur[i]->start == cur[i]->end)
			continue;
		m->special[m->nr_special].from = cur[i]->start;
		m->special[m->nr_special].len = cur[i]->end - cur[i]->start;
		m->special[m->nr_special].scratch = scratch + (cur[i]->start - cstart);
		m->special[m->nr_special].to = place + (cur[i]->start - cstart);
		m->nr_special++;
	}
	return 0;
}

static int premap_one(const VmaEntry *v, const struct rst_ctx *ctx, uint64_t addr)
{
	uint64_t len = v->end - v->start;
	int flags = MAP_FIXED | (v->flags & MAP_GROWSDOWN), fd = -1, prot = PROT_READ | PROT_WRITE;
	bool own_fd = false;
	void *p;

	if (v->status & (IMG_VMA_FILE_PRIVATE | IMG_VMA_FILE_SHARED)) {
		int shared = v->status & IMG_VMA_FILE_SHARED;
		int mode = v->has_fdflags		      ? (int)(v->fdflags & O_ACCMODE)
			   : shared && (v->prot & PROT_WRITE) ? O_RDWR
							      : O_RDONLY;

		if (v->shmid > UINT32_MAX)
			return -EINVAL;
		fd = rst_file_open_reg(ctx->files, (uint32_t)v->shmid, mode);
		if (fd < 0)
			return fd;
		own_fd = true;
		flags |= shared ? MAP_SHARED : MAP_PRIVATE;
		if (shared && !(v->prot & PROT_WRITE))
			prot = PROT_READ;
	} else if (v->status & IMG_VMA_ANON_SHARED) {
		/* The object's fd is the restore's (rst_shmem_open()), not ours to close. */
		fd = rst_shmem_fd(ctx, v->shmid);
		if (fd < 0)
			return fd;
		flags |= MAP_SHARED;
	} else {
		flags |= MAP_ANONYMOUS | MAP_PRIVATE;
	}
	p = mmap((void *)addr, len, prot, flags, fd, fd >= 0 ? (off_t)v->pgoff : 0);
	if (own_fd)
		close(fd);
	if (p == MAP_FAILED) {
		int ret = -errno;

		pr_err("cannot premap area %#" PRIx64 "-%#" PRIx64 ": %s", v->start, v->end,
		       strerror(-ret));
		return ret;
	}
	return 0;
}

/* The area holding @addr, from index *@hint on (runs come in address order). */
static const struct rst_vma *vma_at(const struct rst_mem *m, uint64_t addr, size_t *hint)
{
	size_t i;

	for (i = *hint < m->nr_vmas ? *hint : 0; i < m->nr_vmas; i++)
		if (addr >= m->vmas[i].start && addr < m->vmas[i].end) {
			*hint = i;
			return &m->vmas[i];
		}
	for (i = 0; i < *hint && i < m->nr_vmas; i++)
		if (addr >= m->vmas[i].start && addr < m->vmas[i].end) {
			*hint = i;
			return &m->vmas[i];
		}
	return NULL;
}

static int read_full(int fd, struct iovec *iov, int n, off_t off)
{
	while (n > 0) {
		ssize_t r = preadv(fd, iov, n, off);

		if (r < 0)
			return -errno;
		if (r == 0)
			return -ENODATA;
		off += r;
		while (n > 0 && (size_t)r >= iov->iov_len) {
			r -= iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + r;
			iov->iov_len -= r;
		}
	}
	return 0;
}

/* How fill() writes the pages of each premapped area. */
enum fill_how {
	FILL_READ,  /* fresh private memory: read the pages straight in */
	FILL_COPY,  /* fresh anonymous memory taken by the page copier */
	FILL_SKIP,  /* shared memory, filled with its object (restore-shmem.c) */
	FILL_MERGE, /* taken over from the parent: write only the pages that differ */
};

struct fill_area {
	enum fill_how how;
	uint64_t done; /* FILL_MERGE: below this address, pages are written or dropped */
};

/* Pages read at once into the buffer of an area taken over from the parent. */
#define MERGE_CHUNK (64 * PAGE)

/* [@from, @to) of taken-over area @v is not in the dump: zero pages or the file's, as it was. */
static int drop_pages(const struct rst_vma *v, uint64_t from, uint64_t to)
{
	if (from < to &&
	    madvise((void *)(v->premap + (from - v->start)), to - from, MADV_DONTNEED)) {
		int ret = -errno;

		pr_err("cannot drop the pages at %#" PRIx64 ": %s", from, strerror(-ret));
		return ret;
	}
	return 0;
}

/*
 * The pages of [@addr, @stop) of taken-over area @v, at @off in @fd: write
 * those that differ from the parent's, so the others stay shared with it.
 */
static int merge_pages(int fd, off_t off, const struct rst_vma *v, uint64_t addr, uint64_t stop,
		       uint8_t *buf)
{
	while (addr < stop) {
		uint8_t *dst = (uint8_t *)(v->premap + (addr - v->start));
		uint64_t len = stop - addr < MERGE_CHUNK ? stop - addr : MERGE_CHUNK;
		struct iovec iov = {buf, len};
		uint64_t i;
		int ret;

		ret = read_full(fd, &iov, 1, off);
		if (ret)
			return ret;
		for (i = 0; i < len; i += PAGE)
			if (memcmp(dst + i, buf + i, PAGE))
				memcpy(dst + i, buf + i, PAGE);
		addr += len;
		off += (off_t)len;
	}
	return 0;
}

/* A run's pages in a taken-over area: drop those the dump skipped before them, then merge. */
static int fill_merge(int fd, off_t off, const struct rst_vma *v, struct fill_area *fa,
		      uint64_t addr, uint64_t stop, uint8_t *buf)
{
	int ret = drop_pages(v, fa->done, addr);

	if (!ret)
		ret = merge_pages(fd, off, v, addr, stop, buf);
	if (stop > fa->done)
		fa->done = stop;
	return ret;
}

/* One present run: read it into the premapped areas it covers. */
static int fill_run(const struct rst_mem *m, struct fill_area *fa, int fd, struct page_copier *pc,
		    const struct img_page_run *run, size_t *hint, uint8_t *buf)
{
	uint64_t addr = run->vaddr, end = run->vaddr + run->nr_pages * PAGE;
	off_t off = (off_t)run->pages_off;
	struct iovec iov[64];
	int n = 0, ret;

	while (addr < end) {
		const struct rst_vma *v = vma_at(m, addr, hint);
		struct fill_area *a;
		uint64_t stop;

		if (!v) {
			pr_err("pages at %#" PRIx64 " belong to no area", addr);
			return -EINVAL;
		}
		a = &fa[v - m->vmas];
		stop = v->end < end ? v->end : end;
		if (a->how == FILL_READ) {
			iov[n].iov_base = (void *)(v->premap + (addr - v->start));
			iov[n].iov_len = stop - addr;
			/*
			 * Fault the pages in all at once: a read into fresh memory
			 * spends most of its time faulting page by page.
			 */
			madvise(iov[n].iov_base, iov[n].iov_len, MADV_POPULATE_WRITE);
			n++;
		}
		if (n == 64 || stop == end || a->how != FILL_READ) {
			ret = read_full(fd, iov, n, off);
			if (!ret && a->how == FILL_MERGE)
				ret = fill_merge(fd, (off_t)run->pages_off + (addr - run->vaddr), v,
						 a, addr, stop, buf);
			if (!ret && a->how == FILL_COPY)
				ret = page_copier_copy(pc, v->premap + (addr - v->start),
						       run->pages_off + (addr - run->vaddr),
						       stop - addr);
			if (ret)
				return ret;
			off = (off_t)run->pages_off + (stop - run->vaddr);
			n = 0;
		}
		addr = stop;
	}
	return 0;
}

/* Hand the fresh anonymous areas to the page copier, if there can be one. */
static void start_copier(struct page_copier *pc, int fd, const struct rst_mem *m,
			 struct fill_area *fa)
{
	size_t i, nr = 0;
	int ret = page_copier_open(pc, fd);

	for (i = 0; i < m->nr_vmas && !ret; i++) {
		const struct rst_vma *v = &m->vmas[i];

		if (fa[i].how != FILL_READ || !(m->dumped[i]->status & IMG_VMA_ANON_PRIVATE))
			continue;
		ret = page_copier_register(pc, v->premap, v->end - v->start);
		if (!ret) {
			fa[i].how = FILL_COPY;
			nr++;
		}
	}
	if (ret)
		pr_debug("pages read, not copied, from area %zu on: %s", nr, strerror(-ret));
}

static int fill(struct img_dir *dir, int pid, const struct rst_mem *m, struct fill_area *fa)
{
	struct page_copier pc;
	struct img_pagemap *pm = img_pagemap_open(dir, pid);
	struct img_page_run run;
	uint8_t *buf = malloc(MERGE_CHUNK);
	size_t i, hint = 0;
	int ret = -ENOMEM;

	if (!pm) {
		ret = -errno;
		pr_err("cannot open the pagemap of %d: %s", pid, strerror(-ret));
		free(buf);
		return ret;
	}
	start_copier(&pc, img_pagemap_pages_fd(pm), m, fa);
	while (buf && (ret = img_pagemap_next(pm, &run)) > 0) {
		ret = rst_page_run_check(&run, TASK_SIZE, "memory");
		if (ret)
			break;
		if (!(run.flags & IMG_PE_PRESENT))
			continue;
		ret = fill_run(m, fa, img_pagemap_pages_fd(pm), &pc, &run, &hint, buf);
		if (ret)
			break;
	}
	/* The areas let go before anything could fault on a page not filled. */
	page_copier_close(&pc);
	/* What the dump has no pages of after the last run of a taken-over area. */
	for (i = 0; i < m->nr_vmas && !ret; i++)
		if (fa[i].how == FILL_MERGE)
			ret = drop_pages(&m->vmas[i], fa[i].done, m->vmas[i].end);
	img_pagemap_close(pm);
	free(buf);
	if (ret)
		pr_err("cannot fill the memory of %d: %s", pid, strerror(-ret));
	return ret;
}

static uint64_t premap_size(const MmEntry *mm)
{
	uint64_t len = 0;
	size_t i;

	for (i = 0; i < mm->n_vmas; i++)
		if (is_premapped(mm->vmas[i]))
			len += mm->vmas[i]->end - mm->vmas[i]->start + PAGE;
	return len;
}

static int layouts(const MmEntry *mm, struct cur_maps *c)
{
	size_t i;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = proc_smaps_read(getpid(), false, collect_current, c);
	if (ret) {
		pr_err("cannot read this process's maps: %s", strerror(-ret));
		return ret;
	}
	for (i = 0; i < mm->n_vmas && !ret; i++)
		if (!(mm->vmas[i]->status & IMG_VMA_AREA_VSYSCALL))
			ret = ranges_add(&c->all, mm->vmas[i]->start, mm->vmas[i]->end);
	return ret;
}

static int cmp_area(const void *key, const void *elem)
{
	uint64_t addr = *(const uint64_t *)key;
	const struct rst_vma *r = elem;

	return addr < r->start ? -1 : addr >= r->end;
}

/* Private areas a child takes over from its parent: anonymous, or of a file. */
#define VMA_PRIVATE (IMG_VMA_ANON_PRIVATE | IMG_VMA_FILE_PRIVATE)

/*
 * The parent's premapped area that holds area @v, if the parent had a
 * private area there (forked, the task has it at the same address) of the
 * same kind: anonymous, or the same part of the same file. @v may be part
 * of it, as when the task split or shrank the area after the fork.
 */
static const struct rst_vma *parent_copy(const struct rst_mem *parent, const VmaEntry *v)
{
	const struct rst_vma *r;
	const VmaEntry *pv;

	if (!parent || !(v->status & VMA_PRIVATE))
		return NULL;
	r = bsearch(&v->start, parent->vmas, parent->nr_vmas, sizeof(*r), cmp_area);
	if (!r || v->end > r->end)
		return NULL;
	pv = parent->dumped[r - parent->vmas];
	if ((pv->status & VMA_PRIVATE) != (v->status & VMA_PRIVATE) ||
	    ((pv->flags ^ v->flags) & MAP_GROWSDOWN))
		return NULL;
	if ((v->status & IMG_VMA_FILE_PRIVATE) &&
	    (pv->shmid != v->shmid || pv->pgoff + (v->start - r->start) != v->pgoff))
		return NULL;
	return r;
}

/*
 * Move the part of the parent's copy @r that area @v covers to @addr,
 * writable for fill() whatever the parent's protection.
 */
static int take_over(const struct rst_vma *r, const VmaEntry *v, uint64_t addr)
{
	uint64_t len = v->end - v->start;

	if (mremap((void *)(r->premap + (v->start - r->start)), len, len,
		   MREMAP_MAYMOVE | MREMAP_FIXED, (void *)addr) == MAP_FAILED ||
	    mprotect((void *)addr, len, PROT_READ | PROT_WRITE)) {
		int ret = -errno;

		pr_err("cannot take over the parent's area %#" PRIx64 "-%#" PRIx64 ": %s", v->start,
		       v->end, strerror(-ret));
		return ret;
	}
	return 0;
}

static int premap_all(const MmEntry *mm, const struct rst_ctx *ctx, const struct rst_mem *parent,
		      struct rst_mem *m, struct fill_area *fa)
{
	uint64_t at = m->hole;
	size_t i, nr_taken = 0;
	int ret;

	for (i = 0; i < mm->n_vmas; i++) {
		const VmaEntry *v = mm->vmas[i];
		struct rst_vma *r = &m->vmas[m->nr_vmas];
		const struct rst_vma *copy;

		if (!premapped(m, v))
			continue;
		copy = is_special(v) ? NULL : parent_copy(parent, v);
		ret = copy ? take_over(copy, v, at) : premap_one(v, ctx, at);
		if (!ret && is_special(v))
			rst_vdso_proxy_fill(mm, ctx->vdso, (uint8_t *)(uintptr_t)at, m->proxy_base);
		if (ret)
			return ret;
		r->start = v->start;
		r->end = v->end;
		r->premap = at;
		r->madv = v->has_madv ? v->madv : 0;
		r->mlock = v->flags & MAP_LOCKED ? RST_VMA_LOCKED : 0;
		if (r->mlock && v->has_lock_onfault && v->lock_onfault)
			r->mlock |= RST_VMA_LOCK_ONFAULT;
		m->dumped[m->nr_vmas] = v;
		fa[m->nr_vmas].how =
			copy ? FILL_MERGE
			: is_special(v) || (v->status & (IMG_VMA_FILE_SHARED | IMG_VMA_ANON_SHARED))
				? FILL_SKIP
				: FILL_READ;
		fa[m->nr_vmas].done = v->start;
		nr_taken += !!copy;
		m->nr_vmas++;
		at += v->end - v->start + PAGE;
	}
	if (nr_taken)
		pr_debug("%zu private areas taken over from the parent", nr_taken);
	return 0;
}

static int protect_all(const MmEntry *mm, const struct rst_mem *m)
{
	size_t i, j = 0;

	for (i = 0; i < mm->n_vmas; i++) {
		const VmaEntry *v = mm->vmas[i];

		if (!premapped(m, v))
			continue;
		if (mprotect((void *)m->vmas[j].premap, v->end - v->start, (int)v->prot)) {
			int ret = -errno;

			pr_err("cannot protect area %#" PRIx64 ": %s", v->start, strerror(-ret));
			return ret;
		}
		j++;
	}
	return 0;
}

int rst_mem_prepare(const struct rst_ctx *ctx, int pid, const MmEntry *mm, size_t tail_len,
		    const struct rst_mem *parent, struct rst_mem *m)
{
	uint64_t premap_len = premap_size(mm), scratch_len, cstart;
	struct fill_area *fa = NULL;
	struct cur_maps c;
	void *p;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = rst_mm_check(mm);
	if (ret)
		return ret;
	ret = layouts(mm, &c);
	if (!ret)
		ret = plan_proxy(ctx, mm, &c, m);
	if (ret)
		goto out;
	if (m->proxy_len)
		premap_len += m->proxy_len + PAGE;
	scratch_len = cur_special_span(&c, &cstart) + PAGE;
	tail_len = (tail_len + PAGE - 1) & ~(PAGE - 1);
	m->hole_len = premap_len + scratch_len + tail_len;
	ret = find_hole(&c.all, m->hole_len, &m->hole);
	if (ret)
		goto out;
	m->tail = m->hole + premap_len + scratch_len;
	m->tail_len = tail_len;
	ret = plan_special(mm, &c, m->hole + premap_len, m);
	if (ret)
		goto out;
	/*
	 * The reservation stays: the areas and the restorer go in over it, and
	 * nothing mapped meanwhile (a task with children premaps long before
	 * its switch) can land in the hole.
	 */
	p = mmap((void *)m->hole, m->hole_len, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED) {
		ret = -errno;
		pr_err("cannot reserve the hole at %#" PRIx64 ": %s", m->hole, strerror(-ret));
		goto out;
	}
	m->vmas = calloc(mm->n_vmas + 1, sizeof(*m->vmas));
	m->dumped = calloc(mm->n_vmas + 1, sizeof(*m->dumped));
	fa = calloc(mm->n_vmas + 1, sizeof(*fa));
	ret = m->vmas && m->dumped && fa ? premap_all(mm, ctx, parent, m, fa) : -ENOMEM;
	if (!ret && !(ctx->flags & CR_RESTORE_CHECK_ONLY))
		ret = fill(ctx->dir, pid, m, fa);
	if (!ret)
		ret = protect_all(mm, m);
	if (ret) {
		munmap((void *)m->hole, m->hole_len);
		rst_mem_release(m);
	}
out:
	free(fa);
	free(c.all.r);
	return ret;
}

void rst_mem_release(struct rst_mem *m)
{
	free(m->vmas);
	free(m->dumped);
	m->vmas = NULL;
	m->dumped = NULL;
}
