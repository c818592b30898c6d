// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dump_mm() and dump_core() on a real child (suite 'kernel'): the child
 * maps memory with known bytes, sets signal state and keeps a thread
 * spinning with a known ymm register; the images read back through libimg
 * must hold exactly that, crtool must decode each of them, and the child
 * must run on afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "child.h"
#include "collect.h"
#include "compel/compel.h"
#include "cr/cr.h"
#include "dump.h"
#include "file-ids.h"
#include "images.h"
#include "img/img.h"
#include "img/pagemap.h"
#include "proc-auxv.h"
#include "proc-stat.h"
#include "proc-timers.h"

#define PAGE 4096UL
/* More than the 4 MiB the dumper copies at a time. */
#define PATTERN_PAGES 1300
#define SPARSE_PAGES 64
#define SPARSE_WRITTEN 10
#define SPARSE_READ 20
#define FILE_PAGES 4
#define FILE_WRITTEN 1
#define ALTSTACK_SIZE (64 * 1024)
#define COMM "dumpvictim"
/* What an interrupted read() returns inside the kernel. */
#define ERESTARTSYS 512

static const char *crtool;
static char file_path[64];
/* Shared with the child: its spinning thread counts here. */
static volatile uint64_t *counter;
/* The ymm1 value the thread holds: 32 bytes. */
static const uint8_t ymm_pattern[32] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
					 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf0, 0x01,
					 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
					 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8 };

struct report {
	uint64_t pattern, sparse, file_map, hidden;
	uint64_t handler, altstack;
};

static uint8_t pattern_byte(uint64_t off)
{
	return (uint8_t)(off * 7 + off / PAGE);
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
}

static void *spin(void *arg)
{
	/* No signal stack (sanitizers give every thread one). */
	stack_t ss = { .ss_flags = SS_DISABLE };

	sigaltstack(&ss, NULL);
	__asm__ volatile("vmovdqu (%0), %%ymm1\n"
			 "1: lock incq (%1)\n"
			 "pause\n"
			 "jmp 1b\n"
			 :
			 : "r"(ymm_pattern), "r"(counter)
			 : "memory");
	return NULL;
}

static uint64_t map(size_t len, int prot, int flags, int fd)
{
	void *p = mmap(NULL, len, prot, flags, fd, 0);

	if (p == MAP_FAILED)
		_exit(10);
	return (uintptr_t)p;
}

static uint64_t anon(size_t pages)
{
	return map(pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
}

static void setup(void *arg)
{
	struct report *r = arg;
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_RESTART | SA_SIGINFO };
	union sigval val = { .sival_int = 42 };
	stack_t ss = { .ss_size = ALTSTACK_SIZE };
	pthread_t th;
	sigset_t set;
	volatile uint8_t *p;
	uint64_t i;
	int fd;

	prctl(PR_SET_NAME, COMM);
	r->pattern = anon(PATTERN_PAGES);
	for (p = (uint8_t *)r->pattern, i = 0; i < PATTERN_PAGES * PAGE; i++)
		p[i] = pattern_byte(i);
	/* Written, then made unreadable: its page is still the task's. */
	r->hidden = anon(1);
	memset((void *)(uintptr_t)r->hidden, 0xc3, PAGE);
	if (mprotect((void *)(uintptr_t)r->hidden, PAGE, PROT_NONE))
		_exit(19);
	r->sparse = anon(SPARSE_PAGES);
	p = (uint8_t *)r->sparse;
	memset((void *)(p + SPARSE_WRITTEN * PAGE), 0x5a, PAGE);
	/* A read fault maps the zero page: nothing to dump. */
	if (p[SPARSE_READ * PAGE])
		_exit(11);
	fd = open(file_path, O_RDONLY);
	if (fd < 0)
		_exit(12);
	r->file_map = map(FILE_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
	close(fd);
	p = (uint8_t *)r->file_map;
	for (i = 0; i < FILE_PAGES; i++)
		if (p[i * PAGE] != 'F')
			_exit(13);
	memset((void *)(p + FILE_WRITTEN * PAGE), 'W', PAGE);

	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	if (sigaction(SIGUSR1, &sa, NULL))
		_exit(14);
	ss.ss_sp = malloc(ALTSTACK_SIZE);
	if (!ss.ss_sp || sigaltstack(&ss, NULL))
		_exit(15);
	r->altstack = (uintptr_t)ss.ss_sp;
	r->handler = (uintptr_t)on_usr1;
	/* Blocked in every thread (the thread inherits it), then pending. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	if (sigqueue(getpid(), SIGRTMIN, val))
		_exit(16);
	/* The counter outlives earlier children: start it again. */
	*counter = 0;
	if (pthread_create(&th, NULL, spin, NULL))
		_exit(17);
	while (!*counter)
		;
}

/* A dump of one task into a fresh folder, as cr_dump() would set it up. */
struct dump {
	char dir_path[64];
	struct img_dir *dir;
	struct dump_ctx ctx;
	struct pstree_task pt;
	pid_t tids[2];
	struct dump_task t;
	struct user_regs_struct regs[2];	/* as ptrace gave them at seize */
	struct vmas maps;			/* /proc/PID/maps while seized */
	uint64_t compel_start, compel_end;	/* libcompel's area in the task */
};

static void log_to_stderr(int level, const char *file, int line, const char *msg, void *ctx)
{
	if (level <= CR_LOG_WARN)
		fprintf(stderr, "%s:%d: %s\n", file, line, msg);
}

/* The folder of the running test, removed by its teardown whatever happened. */
static char test_dir[64];

/* A new image folder with files.img open, as cr_dump() sets it up. */
static void dump_open(struct dump *d)
{
	strcpy(d->dir_path, "/tmp/crtool-dump-task-XXXXXX");
	assert_non_null(mkdtemp(d->dir_path));
	strcpy(test_dir, d->dir_path);
	d->dir = img_dir_open(d->dir_path, 0);
	assert_non_null(d->dir);
	d->ctx.dir = d->dir;
	d->ctx.next_pages_id = 1;
	d->ctx.files = img_file_open(d->dir, "FILES", 0, IMG_WRITE);
	assert_non_null(d->ctx.files);
	d->ctx.file_ids = file_ids_new();
	assert_non_null(d->ctx.file_ids);
}

/* Seize task @pid of @nr threads, as cr_dump() would, recording its registers. */
static void dump_seize(struct dump *d, pid_t pid, int nr)
{
	int i;

	dump_open(d);
	d->t.ct = compel_task_seize(pid);
	assert_non_null(d->t.ct);
	assert_int_equal(compel_task_nr_threads(d->t.ct), nr);
	for (i = 0; i < nr; i++) {
		d->tids[i] = compel_task_thread_id(d->t.ct, i);
		assert_int_equal(ptrace(PTRACE_GETREGS, d->tids[i], NULL, &d->regs[i]), 0);
	}
	d->pt.pid = pid;
	d->pt.nr_threads = nr;
	d->pt.threads = d->tids;
	d->t.pt = &d->pt;
}

/* Let the task go and finish files.img. */
static void dump_release(struct dump *d)
{
	assert_int_equal(compel_task_release(d->t.ct), 0);
	assert_int_equal(img_file_close(d->ctx.files), 0);
	file_ids_free(d->ctx.file_ids);
}

static void dump_child(struct dump *d, pid_t pid)
{
	struct proc_stat st;

	/* The main thread sleeps in read() once it reported. */
	do {
		usleep(1000);
		assert_int_equal(proc_stat_read(pid, pid, &st), 0);
	} while (st.state != 'S' && st.state != 'T');

	dump_seize(d, pid, 2);
	assert_int_equal(dump_core(&d->ctx, &d->t), 0);
	/* Once libcompel ran code in the task its registers are no longer the task's. */
	assert_int_equal(compel_task_map_shared(d->t.ct, PAGE), 0);
	assert_int_equal(dump_core(&d->ctx, &d->t), -EBUSY);
	d->compel_start = compel_task_shared_remote(d->t.ct) - PAGE;
	d->compel_end = compel_task_shared_remote(d->t.ct) + compel_task_shared_size(d->t.ct);
	assert_int_equal(dump_mm(&d->ctx, &d->t), 0);
	assert_int_equal(proc_smaps_read(pid, false, collect_vma, &d->maps), 0);
	dump_release(d);
}

static void dump_close(struct dump *d)
{
	img_dir_close(d->dir);
}

static int remove_test_dir(void **state)
{
	char cmd[128];

	if (!test_dir[0])
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", test_dir);
	test_dir[0] = '\0';
	return system(cmd) ? -1 : 0;
}

/* The child runs on: its thread counts again. */
static void assert_runs(void)
{
	uint64_t before = *counter;
	int i;

	for (i = 0; i < 10000 && *counter == before; i++)
		usleep(1000);
	assert_true(*counter != before);
}

/* crtool decodes @name of the dump into JSON without complaint. */
static void assert_decodes(struct dump *d, const char *name)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "%s decode -i %s/%s > /dev/null", crtool, d->dir_path, name);
	assert_int_equal(system(cmd), 0);
}

static MmEntry *read_mm(struct dump *d, pid_t pid)
{
	ProtobufCMessage *m;

	assert_int_equal(cr_img_read_one(d->dir, "MM", pid, &mm_entry__descriptor, &m), 0);
	return (MmEntry *)m;
}

static CoreEntry *read_core(struct dump *d, pid_t tid)
{
	ProtobufCMessage *m;

	assert_int_equal(cr_img_read_one(d->dir, "CORE", tid, &core_entry__descriptor, &m), 0);
	return (CoreEntry *)m;
}

static const VmaEntry *find_vma(const MmEntry *mm, uint64_t addr)
{
	size_t i;

	for (i = 0; i < mm->n_vmas; i++)
		if (mm->vmas[i]->start <= addr && addr < mm->vmas[i]->end)
			return mm->vmas[i];
	fail_msg("no VMA at %#llx", (unsigned long long)addr);
	return NULL;
}

/* The shared counter's object: its id is its inode, its one page in pagemap-shmem-ID.img. */
static void assert_counter_dumped(struct dump *d, const VmaEntry *e)
{
	struct img_page_run run;
	struct img_pagemap *pm;
	uint64_t count = 0;
	struct stat st;
	char name[80];

	snprintf(name, sizeof(name), "/proc/self/map_files/%llx-%llx", (unsigned long long)e->start,
		 (unsigned long long)e->end);
	assert_int_equal(stat(name, &st), 0);
	assert_int_equal(e->shmid, st.st_ino);
	pm = img_pagemap_open_shmem(d->dir, e->shmid);
	assert_non_null(pm);
	assert_int_equal(img_pagemap_next(pm, &run), 1);
	/* Runs are at offsets in the object, not at addresses. */
	assert_int_equal(run.vaddr, 0);
	assert_int_equal(run.nr_pages, 1);
	assert_int_equal(run.flags, IMG_PE_PRESENT);
	assert_int_equal(pread(img_pagemap_pages_fd(pm), &count, sizeof(count),
			       run.pages_off + e->pgoff + ((uintptr_t)counter - e->start)),
			 sizeof(count));
	assert_true(count > 0);
	assert_int_equal(img_pagemap_next(pm, &run), 0);
	img_pagemap_close(pm);
	snprintf(name, sizeof(name), "pagemap-shmem-%llu.img", (unsigned long long)e->shmid);
	assert_decodes(d, name);
}

static void test_mm(void **state)
{
	struct report r;
	struct child c;
	struct dump d = { 0 };
	struct proc_auxv auxv;
	struct proc_stat st;
	char name[64];
	MmEntry *mm;
	size_t n;
	int i;

	child_start(&c, setup, &r, sizeof(r));
	dump_child(&d, c.pid);
	assert_runs();

	mm = read_mm(&d, c.pid);
	/* The task's mappings, without libcompel's area. */
	for (i = 0, n = 0; i < d.maps.nr; i++) {
		const struct proc_vma *v = &d.maps.v[i];
		const VmaEntry *e;

		if (v->start >= d.compel_start && v->end <= d.compel_end)
			continue;
		assert_true(n < mm->n_vmas);
		e = mm->vmas[n++];

		assert_int_equal(e->start, v->start);
		assert_int_equal(e->end, v->end);
		assert_int_equal(e->pgoff, v->pgoff);
		assert_int_equal(e->prot, v->prot);
		assert_int_equal(e->flags & (MAP_SHARED | MAP_PRIVATE),
				 v->shared ? MAP_SHARED : MAP_PRIVATE);
		assert_int_equal(e->fd, -1);
		if (v->kind == PROC_VMA_VDSO)
			assert_true(e->status & (1u << 3));
		if (v->kind == PROC_VMA_VVAR || v->kind == PROC_VMA_VVAR_VCLOCK)
			assert_true(e->status & (1u << 12));
		if (v->kind == PROC_VMA_FILE && !v->shared) {
			assert_true(e->shmid > 0);
			assert_true(e->has_fdflags);
		}
	}
	assert_int_equal(n, mm->n_vmas);
	assert_true(d.compel_end > d.compel_start);
	assert_int_equal(find_vma(mm, r.pattern)->status, (1u << 0) | (1u << 9));
	assert_int_equal(find_vma(mm, r.file_map)->status, (1u << 0) | (1u << 6));
	assert_int_equal(find_vma(mm, (uintptr_t)counter & ~(PAGE - 1))->status,
			 (1u << 0) | (1u << 8));
	assert_counter_dumped(&d, find_vma(mm, (uintptr_t)counter));
	/* The exe is the file of the code's mapping, under one id. */
	assert_true(mm->exe_file_id > 0);
	assert_int_equal(find_vma(mm, mm->mm_start_code)->shmid, mm->exe_file_id);
	assert_int_equal(proc_stat_read(c.pid, 0, &st), 0);
	assert_int_equal(mm->mm_start_code, st.start_code);
	assert_int_equal(mm->mm_end_code, st.end_code);
	assert_int_equal(mm->mm_start_data, st.start_data);
	assert_int_equal(mm->mm_end_data, st.end_data);
	assert_int_equal(mm->mm_start_stack, st.start_stack);
	assert_int_equal(mm->mm_start_brk, st.start_brk);
	assert_int_equal(mm->mm_arg_start, st.arg_start);
	assert_int_equal(mm->mm_arg_end, st.arg_end);
	assert_int_equal(mm->mm_env_start, st.env_start);
	assert_int_equal(mm->mm_env_end, st.env_end);
	assert_true(mm->mm_brk >= mm->mm_start_brk);
	assert_int_equal(proc_auxv_read(c.pid, &auxv), 0);
	assert_int_equal(mm->n_mm_saved_auxv, 2 * (auxv.nr - 1));
	for (n = 0; n + 1 < auxv.nr; n++) {
		assert_int_equal(mm->mm_saved_auxv[2 * n], auxv.type[n]);
		assert_int_equal(mm->mm_saved_auxv[2 * n + 1], auxv.val[n]);
	}
	protobuf_c_message_free_unpacked(&mm->base, NULL);
	assert_decodes(&d, "files.img");
	snprintf(name, sizeof(name), "mm-%d.img", c.pid);
	assert_decodes(&d, name);
	snprintf(name, sizeof(name), "pagemap-%d.img", c.pid);
	assert_decodes(&d, name);
	child_stop(&c);
	dump_close(&d);
}

/* How many pages of [@start, @end) the runs hold. */
static uint64_t pages_count(const struct img_page_run *runs, int nr, uint64_t start, uint64_t end)
{
	uint64_t n = 0, a;
	int i;

	for (i = 0; i < nr; i++)
		for (a = runs[i].vaddr; a < runs[i].vaddr + runs[i].nr_pages * PAGE; a += PAGE)
			n += a >= start && a < end;
	return n;
}

/* Which of the first 64 pages from @start the runs hold, one bit each. */
static uint64_t pages_in(const struct img_page_run *runs, int nr, uint64_t start, int pages)
{
	uint64_t bits = 0;
	int i;

	for (i = 0; i < pages; i++)
		if (pages_count(runs, nr, start + i * PAGE, start + (i + 1) * PAGE))
			bits |= 1ULL << i;
	return bits;
}

/* The bytes of page @addr from the pages file into @buf. */
static void page_bytes(struct img_pagemap *pm, struct img_page_run *runs, int nr, uint64_t addr,
		       uint8_t *buf)
{
	int i;

	for (i = 0; i < nr; i++) {
		if (addr < runs[i].vaddr || addr >= runs[i].vaddr + runs[i].nr_pages * PAGE)
			continue;
		assert_int_equal(pread(img_pagemap_pages_fd(pm), buf, PAGE,
				       runs[i].pages_off + (addr - runs[i].vaddr)),
				 PAGE);
		return;
	}
	fail_msg("page %#llx is not in the pagemap", (unsigned long long)addr);
}

#define MAX_RUNS 4096

static void test_pages(void **state)
{
	static struct img_page_run runs[MAX_RUNS];
	static uint8_t buf[PAGE];
	struct img_pagemap *pm;
	struct report r;
	struct child c;
	struct dump d = { 0 };
	uint64_t off, last_end = 0;
	int nr = 0, ret, i;

	child_start(&c, setup, &r, sizeof(r));
	dump_child(&d, c.pid);
	assert_runs();

	pm = img_pagemap_open(d.dir, c.pid);
	assert_non_null(pm);
	assert_int_equal(img_pagemap_pages_id(pm), 1);
	while ((ret = img_pagemap_next(pm, &runs[nr])) == 1) {
		assert_int_equal(runs[nr].flags, IMG_PE_PRESENT);
		/* In address order, never overlapping. */
		assert_true(runs[nr].vaddr >= last_end);
		last_end = runs[nr].vaddr + runs[nr].nr_pages * PAGE;
		assert_true(++nr < MAX_RUNS);
	}
	assert_int_equal(ret, 0);

	/* Every written page, byte for byte. */
	assert_int_equal(pages_count(runs, nr, r.pattern, r.pattern + PATTERN_PAGES * PAGE),
			 PATTERN_PAGES);
	for (off = 0; off < PATTERN_PAGES * PAGE; off += PAGE) {
		page_bytes(pm, runs, nr, r.pattern + off, buf);
		for (i = 0; i < (int)PAGE; i++)
			assert_int_equal(buf[i], pattern_byte(off + i));
	}
	page_bytes(pm, runs, nr, r.hidden, buf);
	for (i = 0; i < (int)PAGE; i++)
		assert_int_equal(buf[i], 0xc3);
	/* Of 64 pages, the one written; not the one only read, nor the rest. */
	assert_int_equal(pages_in(runs, nr, r.sparse, SPARSE_PAGES), 1ULL << SPARSE_WRITTEN);
	page_bytes(pm, runs, nr, r.sparse + SPARSE_WRITTEN * PAGE, buf);
	for (i = 0; i < (int)PAGE; i++)
		assert_int_equal(buf[i], 0x5a);
	/* Of the private file mapping, only the copied page. */
	assert_int_equal(pages_in(runs, nr, r.file_map, FILE_PAGES), 1ULL << FILE_WRITTEN);
	page_bytes(pm, runs, nr, r.file_map + FILE_WRITTEN * PAGE, buf);
	for (i = 0; i < (int)PAGE; i++)
		assert_int_equal(buf[i], 'W');
	/* Nothing of the vDSO, vvar or the shared counter. */
	for (i = 0; i < d.maps.nr; i++) {
		const struct proc_vma *v = &d.maps.v[i];

		if (v->kind == PROC_VMA_VDSO || v->kind == PROC_VMA_VVAR ||
		    v->kind == PROC_VMA_VVAR_VCLOCK || v->kind == PROC_VMA_VSYSCALL || v->shared)
			assert_int_equal(pages_count(runs, nr, v->start, v->end), 0);
	}
	img_pagemap_close(pm);
	child_stop(&c);
	dump_close(&d);
}

static const SaEntry *sigaction_of(const TaskCoreEntry *tc, int sig)
{
	int i = sig - 1;

	/* SIGKILL and SIGSTOP have no entry. */
	if (sig > SIGKILL)
		i--;
	if (sig > SIGSTOP)
		i--;
	assert_true(i >= 0 && (size_t)i < tc->n_sigactions);
	return tc->sigactions[i];
}

/* The signal numbers in a queue, as a mask. */
static uint64_t queue_signals(const SignalQueueEntry *q)
{
	uint64_t mask = 0;
	siginfo_t si;
	size_t i;

	for (i = 0; q && i < q->n_signals; i++) {
		assert_int_equal(q->signals[i]->siginfo.len, sizeof(si));
		memcpy(&si, q->signals[i]->siginfo.data, sizeof(si));
		mask |= 1ULL << (si.si_signo - 1);
	}
	return mask;
}

static void test_core(void **state)
{
	struct report r;
	struct child c;
	struct dump d = { 0 };
	CoreEntry *core;
	UserX86RegsEntry *gp;
	const SaEntry *sa;
	uint64_t blocked = (1ULL << (SIGUSR2 - 1)) | (1ULL << (SIGRTMIN - 1));
	char name[64];
	size_t robust_len;
	void *robust;
	int i;

	child_start(&c, setup, &r, sizeof(r));
	dump_child(&d, c.pid);
	assert_runs();

	for (i = 0; i < 2; i++) {
		core = read_core(&d, d.tids[i]);
		assert_int_equal(core->mtype, CORE_ENTRY__MARCH__X86_64);
		gp = core->thread_info->gpregs;
		assert_int_equal(gp->sp, d.regs[i].rsp);
		assert_int_equal(gp->cs, d.regs[i].cs);
		assert_int_equal(gp->fs_base, d.regs[i].fs_base);
		assert_int_equal(gp->mode, USER_X86_REGS_MODE__NATIVE);
		if (i == 0) {
			/* Interrupted in read(): set up to enter it again. */
			assert_int_equal(d.regs[i].orig_rax, SYS_read);
			assert_int_equal((long)d.regs[i].rax, -ERESTARTSYS);
			assert_int_equal(gp->ax, SYS_read);
			assert_int_equal(gp->ip, d.regs[i].rip - 2);
		} else {
			/* Spinning in user code: as it was. */
			assert_int_equal(gp->orig_ax, -1);
			assert_int_equal(gp->ax, d.regs[i].rax);
			assert_int_equal(gp->ip, d.regs[i].rip);
		}
		assert_true(core->thread_info->clear_tid_addr != 0);
		assert_int_equal(core->thread_info->n_tls, 3);
		assert_int_equal(core->thread_core->blk_sigset & blocked, blocked);
		assert_string_equal(core->thread_core->comm, COMM);
		assert_int_equal(core->thread_core->creds->uid, getuid());
		assert_int_equal(core->thread_core->creds->euid, geteuid());
		assert_int_equal(core->thread_core->creds->n_cap_eff, 2);
		assert_int_equal(syscall(SYS_get_robust_list, d.tids[i], &robust, &robust_len), 0);
		assert_int_equal(core->thread_core->futex_rla, (uintptr_t)robust);
		assert_int_equal(core->thread_core->futex_rla_len, robust_len);
		assert_non_null(core->thread_core->rseq_entry);
		if (i == 0) {
			TaskCoreEntry *tc = core->tc;

			assert_non_null(tc);
			assert_int_equal(tc->task_state, 1);
			assert_string_equal(tc->comm, COMM);
			assert_int_equal(tc->blk_sigset & blocked, blocked);
			assert_int_equal(tc->n_sigactions, 62);
			sa = sigaction_of(tc, SIGUSR1);
			assert_int_equal(sa->sigaction, r.handler);
			assert_int_equal(sa->flags & (SA_RESTART | SA_SIGINFO),
					 SA_RESTART | SA_SIGINFO);
			assert_int_equal(sa->mask, 1ULL << (SIGUSR2 - 1));
			assert_int_equal(sigaction_of(tc, SIGUSR2)->sigaction, 0);
			assert_int_equal(tc->rlimits->n_rlimits, 16);
			assert_non_null(tc->timers);
			assert_int_equal(queue_signals(tc->signals_s), 1ULL << (SIGRTMIN - 1));
			assert_int_equal(queue_signals(core->thread_core->signals_p),
					 1ULL << (SIGUSR2 - 1));
			assert_int_equal(core->thread_core->sas->ss_sp, r.altstack);
			assert_int_equal(core->thread_core->sas->ss_size, ALTSTACK_SIZE);
		} else {
			UserX86FpregsEntry *fp = core->thread_info->fpregs;

			assert_null(core->tc);
			assert_int_equal(queue_signals(core->thread_core->signals_p), 0);
			assert_int_equal(core->thread_core->sas->ss_flags, SS_DISABLE);
			/* ymm1: the low half in the legacy area, the high half in XSAVE. */
			assert_memory_equal(&fp->xmm_space[4], ymm_pattern, 16);
			assert_non_null(fp->xsave);
			assert_int_equal(fp->xsave->n_ymmh_space, 64);
			assert_memory_equal(&fp->xsave->ymmh_space[4], ymm_pattern + 16, 16);
			assert_true(fp->xsave->xstate_bv & (1 << 2));
		}
		protobuf_c_message_free_unpacked(&core->base, NULL);
		snprintf(name, sizeof(name), "core-%d.img", d.tids[i]);
		assert_decodes(&d, name);
	}
	child_stop(&c);
	dump_close(&d);
}

/* A group-stopped task is dumped as stopped and left stopped. */
static void test_stopped(void **state)
{
	struct proc_stat st;
	struct report r;
	struct child c;
	struct dump d = { 0 };
	CoreEntry *core;
	int status, i;

	child_start(&c, setup, &r, sizeof(r));
	assert_int_equal(kill(c.pid, SIGSTOP), 0);
	assert_int_equal(waitpid(c.pid, &status, WUNTRACED), c.pid);
	assert_true(WIFSTOPPED(status));
	dump_child(&d, c.pid);
	core = read_core(&d, c.pid);
	assert_int_equal(core->tc->task_state, 3);
	protobuf_c_message_free_unpacked(&core->base, NULL);
	/* libcompel stops it again with a SIGSTOP of its own: wait for that. */
	for (i = 0; i < 10000; i++) {
		assert_int_equal(proc_stat_read(c.pid, 0, &st), 0);
		if (st.state == 'T')
			break;
		usleep(1000);
	}
	assert_int_equal(st.state, 'T');
	assert_int_equal(kill(c.pid, SIGCONT), 0);
	assert_runs();
	child_stop(&c);
	dump_close(&d);
}

/* The ids of the child's POSIX timers. */
struct timers_report {
	int signal_id, none_id, thread_id;
	pid_t tid;
};

#define TIMER_VALUE 0x1234
#define ITIMER_INTERVAL 500
#define ITIMER_VALUE 1000

static void make_timers(void *arg)
{
	struct timers_report *r = arg;
	struct itimerspec periodic = { { 1, 0 }, { 100, 0 } }, once = { { 0, 0 }, { 200, 0 } };
	struct itimerval real = { { ITIMER_INTERVAL, 0 }, { ITIMER_VALUE, 0 } };
	struct sigevent ev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1 };
	timer_t t;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	ev.sigev_value.sival_ptr = (void *)TIMER_VALUE;
	if (timer_create(CLOCK_MONOTONIC, &ev, &t) || timer_settime(t, 0, &periodic, NULL))
		_exit(21);
	r->signal_id = (int)(intptr_t)t;
	ev.sigev_notify = SIGEV_NONE;
	if (timer_create(CLOCK_BOOTTIME, &ev, &t))
		_exit(22);
	r->none_id = (int)(intptr_t)t;
	r->tid = syscall(SYS_gettid);
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGUSR2;
	ev._sigev_un._tid = r->tid;
	if (timer_create(CLOCK_REALTIME, &ev, &t) || timer_settime(t, 0, &once, NULL))
		_exit(23);
	r->thread_id = (int)(intptr_t)t;
	if (setitimer(ITIMER_REAL, &real, NULL))
		_exit(24);
}

static const PosixTimerEntry *posix_timer(const TaskTimersEntry *tt, int id)
{
	size_t i;

	for (i = 0; i < tt->n_posix; i++)
		if ((int)tt->posix[i]->it_id == id)
			return tt->posix[i];
	fail_msg("no POSIX timer %d", id);
	return NULL;
}

/* Interval and POSIX timers: kinds, signals, values and times as set. */
static void test_timers(void **state)
{
	struct timers_report r;
	struct dump d = { 0 };
	struct child c;
	const PosixTimerEntry *p;
	const TaskTimersEntry *tt;
	CoreEntry *core;
	char name[64];
	size_t i;

	child_start(&c, make_timers, &r, sizeof(r));
	dump_seize(&d, c.pid, 1);
	assert_int_equal(dump_core(&d.ctx, &d.t), 0);
	dump_release(&d);

	core = read_core(&d, c.pid);
	tt = core->tc->timers;
	assert_int_equal(tt->real->isec, ITIMER_INTERVAL);
	assert_true(tt->real->vsec < ITIMER_VALUE && tt->real->vsec > ITIMER_VALUE - 100);
	assert_int_equal(tt->virt->vsec + tt->virt->vusec + tt->prof->vsec + tt->prof->vusec, 0);
	assert_int_equal(tt->n_posix, 3);
	for (i = 1; i < tt->n_posix; i++)
		assert_true(tt->posix[i - 1]->it_id < tt->posix[i]->it_id);

	p = posix_timer(tt, r.signal_id);
	assert_int_equal(p->clock_id, CLOCK_MONOTONIC);
	assert_int_equal(p->it_sigev_notify, SIGEV_SIGNAL);
	assert_int_equal(p->si_signo, SIGUSR1);
	assert_int_equal(p->sival_ptr, TIMER_VALUE);
	assert_int_equal(p->isec, 1);
	assert_true(p->vsec < 100 && p->vsec > 0);
	assert_false(p->has_notify_thread_id);

	p = posix_timer(tt, r.none_id);
	assert_int_equal(p->clock_id, CLOCK_BOOTTIME);
	assert_int_equal(p->it_sigev_notify, SIGEV_NONE);
	assert_int_equal(p->vsec + p->vnsec + p->isec + p->insec, 0);

	p = posix_timer(tt, r.thread_id);
	assert_int_equal(p->clock_id, CLOCK_REALTIME);
	assert_int_equal(p->it_sigev_notify, SIGEV_THREAD_ID | SIGEV_SIGNAL);
	assert_int_equal(p->si_signo, SIGUSR2);
	assert_true(p->has_notify_thread_id);
	assert_int_equal(p->notify_thread_id, r.tid);
	assert_int_equal(p->isec, 0);
	assert_true(p->vsec < 200 && p->vsec > 100);
	protobuf_c_message_free_unpacked(&core->base, NULL);
	snprintf(name, sizeof(name), "core-%d.img", c.pid);
	assert_decodes(&d, name);
	assert_int_equal(kill(c.pid, 0), 0);
	child_stop(&c);
	dump_close(&d);
}

static int collect_timer(const struct proc_timer *t, void *arg)
{
	struct proc_timer *out = arg;

	out[out[0].id < 0 ? 0 : 1] = *t;
	return 0;
}

/* The timers reader on text: what the kernel writes, and what it never does. */
static void test_timers_text(void **state)
{
	static const char good[] = "ID: 7\nsignal: 10/0000000000001234\nnotify: signal/pid.42\n"
				   "ClockID: 1\nID: 2\nsignal: 0/0000000000000000\n"
				   "notify: none/tid.43\nClockID: 7\n";
	static const char *const bad[] = {
		"ID: 7\nsignal: 10/0\nnotify: signal/pid.42\n",	     /* cut short */
		"ID: 7\nnotify: signal/pid.42\nsignal: 10/0\nClockID: 1\n", /* out of order */
		"ID: 7\nsignal: 10\nnotify: signal/pid.42\nClockID: 1\n",   /* no value */
		"ID: 7\nsignal: 10/0\nnotify: bogus/pid.42\nClockID: 1\n",
		"ID: 7\nsignal: 10/0\nnotify: signal/xid.42\nClockID: 1\n",
		"ID: x\nsignal: 10/0\nnotify: signal/pid.42\nClockID: 1\n",
		"ID: 7\nsignal: 10/0\nnotify: signal/pid.42\nClockID: 1 2\n",
	};
	struct proc_timer t[2];
	size_t i;

	t[0].id = -1;
	assert_int_equal(proc_timers_parse(good, sizeof(good) - 1, collect_timer, t), 0);
	assert_int_equal(t[0].id, 7);
	assert_int_equal(t[0].signo, SIGUSR1);
	assert_int_equal(t[0].sival, 0x1234);
	assert_int_equal(t[0].notify, SIGEV_SIGNAL);
	assert_int_equal(t[0].notify_pid, 42);
	assert_int_equal(t[0].clock_id, 1);
	assert_int_equal(t[1].id, 2);
	assert_int_equal(t[1].notify, SIGEV_NONE | SIGEV_THREAD_ID);
	assert_int_equal(t[1].notify_pid, 43);
	assert_int_equal(t[1].clock_id, 7);
	assert_int_equal(proc_timers_parse("", 0, collect_timer, t), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(proc_timers_parse(bad[i], strlen(bad[i]), collect_timer, t), -EINVAL);
}

/* The entry of file @id in files.img. */
static FileEntry *read_file_entry(struct img_dir *dir, uint32_t id)
{
	struct img_file *f = img_file_open(dir, "FILES", 0, IMG_READ);
	ProtobufCMessage *m;

	assert_non_null(f);
	while (img_file_read_entry(f, &file_entry__descriptor, &m) == 1) {
		if (((FileEntry *)m)->id == id) {
			img_file_close(f);
			return (FileEntry *)m;
		}
		protobuf_c_message_free_unpacked(m, NULL);
	}
	fail_msg("no file %u in files.img", id);
	return NULL;
}

/* One open file, one id: a dup shares it, a second open does not. */
static void test_reg_file(void **state)
{
	struct dump d = { 0 };
	struct f_owner_ex owner;
	uint32_t id1, id2, id3;
	FileEntry *fe;
	int fd1, fd2, fd3;

	dump_open(&d);

	fd1 = open(file_path, O_RDWR | O_APPEND);
	assert_true(fd1 >= 0);
	assert_int_equal(lseek(fd1, 100, SEEK_SET), 100);
	owner.type = F_OWNER_PID;
	owner.pid = getpid();
	assert_int_equal(fcntl(fd1, F_SETOWN_EX, &owner), 0);
	assert_int_equal(fcntl(fd1, F_SETSIG, SIGUSR1), 0);
	fd2 = dup(fd1);
	fd3 = open(file_path, O_RDONLY);
	assert_true(fd2 >= 0 && fd3 >= 0);
	assert_int_equal(dump_reg_file(&d.ctx, getpid(), fd1, &id1), 0);
	assert_int_equal(dump_reg_file(&d.ctx, getpid(), fd2, &id2), 0);
	assert_int_equal(dump_reg_file(&d.ctx, getpid(), fd3, &id3), 0);
	assert_int_equal(id1, 1);
	assert_int_equal(id2, id1);
	assert_int_equal(id3, 2);
	/* Mapped files: by inode and mode, whichever open file names them. */
	assert_int_equal(dump_mapped_file(&d.ctx, getpid(), fd3, O_RDONLY, &id2), 0);
	assert_int_equal(id2, 3);
	assert_int_equal(dump_mapped_file(&d.ctx, getpid(), fd1, O_RDONLY, &id2), 0);
	assert_int_equal(id2, 3);
	assert_int_equal(dump_mapped_file(&d.ctx, getpid(), fd1, O_RDWR, &id2), 0);
	assert_int_equal(id2, 4);
	assert_int_equal(file_ids_next(d.ctx.file_ids), 5);
	assert_int_equal(img_file_close(d.ctx.files), 0);
	file_ids_free(d.ctx.file_ids);
	close(fd1);
	close(fd2);
	close(fd3);

	fe = read_file_entry(d.dir, id1);
	assert_int_equal(fe->type, FD_TYPES__REG);
	assert_non_null(fe->reg);
	assert_int_equal(fe->reg->id, id1);
	assert_string_equal(fe->reg->name, file_path);
	assert_int_equal(fe->reg->pos, 100);
	assert_int_equal(fe->reg->flags & (O_ACCMODE | O_APPEND), O_RDWR | O_APPEND);
	assert_int_equal(fe->reg->size, FILE_PAGES * PAGE);
	assert_int_equal(fe->reg->mode, S_IFREG | 0600);
	assert_int_equal(fe->reg->fown->pid_type, F_OWNER_PID);
	assert_int_equal(fe->reg->fown->pid, getpid());
	assert_int_equal(fe->reg->fown->signum, SIGUSR1);
	assert_int_equal(fe->reg->fown->uid, getuid());
	assert_int_equal(fe->reg->fown->euid, geteuid());
	protobuf_c_message_free_unpacked(&fe->base, NULL);
	fe = read_file_entry(d.dir, id3);
	assert_int_equal(fe->reg->flags & O_ACCMODE, O_RDONLY);
	assert_int_equal(fe->reg->pos, 0);
	protobuf_c_message_free_unpacked(&fe->base, NULL);
	assert_decodes(&d, "files.img");
	dump_close(&d);
}

static void chroot_tmp(void *report)
{
	if (chroot("/tmp"))
		_exit(20);
}

/* Paths are written as the task sees them, inside its root. */
static void test_reg_file_root(void **state)
{
	struct dump d = { 0 };
	struct child c;
	FileEntry *fe;
	uint32_t id;
	int fd, out, root;
	char dummy;

	child_start(&c, chroot_tmp, &dummy, sizeof(dummy));
	dump_open(&d);

	fd = open(file_path, O_RDONLY);
	out = open("/etc/hostname", O_RDONLY);
	root = open("/tmp", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0 && out >= 0 && root >= 0);
	assert_int_equal(dump_reg_file(&d.ctx, c.pid, fd, &id), 0);
	assert_int_equal(dump_reg_file(&d.ctx, c.pid, root, &id), 0);
	/* A file outside the task's root (opened before a chroot) is fine too. */
	assert_int_equal(dump_reg_file(&d.ctx, c.pid, out, &id), 0);
	close(fd);
	close(out);
	close(root);
	assert_int_equal(img_file_close(d.ctx.files), 0);
	file_ids_free(d.ctx.file_ids);
	child_stop(&c);

	/* Names are from crtool's root, as CRIU's: the task's root does not shorten them. */
	fe = read_file_entry(d.dir, 1);
	assert_string_equal(fe->reg->name, file_path);
	protobuf_c_message_free_unpacked(&fe->base, NULL);
	fe = read_file_entry(d.dir, 2);
	assert_string_equal(fe->reg->name, "/tmp");
	assert_false(fe->reg->has_size);
	protobuf_c_message_free_unpacked(&fe->base, NULL);
	fe = read_file_entry(d.dir, 3);
	assert_string_equal(fe->reg->name, "/etc/hostname");
	protobuf_c_message_free_unpacked(&fe->base, NULL);
	dump_close(&d);
}

static int file_setup(void **state)
{
	char page[PAGE];
	int fd, i;

	strcpy(file_path, "/tmp/crtool-dump-file-XXXXXX");
	fd = mkstemp(file_path);
	if (fd < 0)
		return -1;
	memset(page, 'F', sizeof(page));
	for (i = 0; i < FILE_PAGES; i++)
		if (write(fd, page, sizeof(page)) != sizeof(page))
			return -1;
	close(fd);
	counter = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	return counter == MAP_FAILED ? -1 : 0;
}

static int file_teardown(void **state)
{
	unlink(file_path);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_mm, remove_test_dir),
		cmocka_unit_test_teardown(test_pages, remove_test_dir),
		cmocka_unit_test_teardown(test_core, remove_test_dir),
		cmocka_unit_test_teardown(test_stopped, remove_test_dir),
		cmocka_unit_test_teardown(test_timers, remove_test_dir),
		cmocka_unit_test(test_timers_text),
		cmocka_unit_test_teardown(test_reg_file, remove_test_dir),
		cmocka_unit_test_teardown(test_reg_file_root, remove_test_dir),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s CRTOOL\n", argv[0]);
		return 2;
	}
	crtool = argv[1];
	cr_set_log(log_to_stderr, NULL);
	return cmocka_run_group_tests(tests, file_setup, file_teardown);
}
