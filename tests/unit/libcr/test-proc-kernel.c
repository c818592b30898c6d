// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The /proc readers on a real child (suite 'kernel'): the child maps areas
 * of every kind, sets limits, credentials and signals, opens special fds;
 * each reader must give back exactly what the child set up.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "child.h"
#include "collect.h"
#include "proc-auxv.h"
#include "proc-dir.h"
#include "proc-fdinfo.h"
#include "proc-file.h"
#include "proc-limits.h"
#include "proc-maps.h"
#include "proc-mountinfo.h"
#include "proc-stat.h"
#include "proc-status.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

#define PAGE 4096UL

static char tmpdir[64];
static char kept_path[128], gone_path[128];
static char **test_argv;

/* What the child set up, sent back to the test. */
struct report {
	uint64_t shared_anon, file_map, deleted_map, guard, dontfork, locked, named;
	uint64_t vdso, entry, arg_start;
	int eventfd, epollfd, timerfd, signalfd, inotifyfd, fanotifyfd, regfd;
	int inotify_wd;
	int fanotify_error;
};

static uint64_t map(size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		_exit(10);
	return (uintptr_t)p;
}

static void on_hup(int sig)
{
}

/* Runs in the child: everything the readers must see. */
static void setup(void *arg)
{
	struct report *r = arg;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data.u64 = 0xdeadbeefcafeULL };
	struct itimerspec its = { .it_interval = { 5, 250 }, .it_value = { 1000, 0 } };
	struct rlimit nofile = { 100, 200 }, core = { 0, 1 << 20 }, rttime = { 7000, RLIM_INFINITY };
	sigset_t mask;
	int fd;

	memset(r, 0, sizeof(*r));
	prctl(PR_SET_NAME, "a) (b c");
	umask(027);
	if (setpriority(PRIO_PROCESS, 0, 5) || setrlimit(RLIMIT_NOFILE, &nofile) ||
	    setrlimit(RLIMIT_CORE, &core) || setrlimit(RLIMIT_RTTIME, &rttime))
		_exit(2);

	/* Memory of every kind. */
	r->shared_anon = map(3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memset((void *)(uintptr_t)r->shared_anon, 1, PAGE);
	fd = open(kept_path, O_RDONLY);
	r->file_map = map(PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
	close(fd);
	fd = open(gone_path, O_RDWR);
	r->deleted_map = map(2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	unlink(gone_path);
	r->guard = map(PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	r->dontfork = map(2 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (madvise((void *)(uintptr_t)r->dontfork, 2 * PAGE, MADV_DONTFORK))
		_exit(3);
	r->locked = map(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* Straight to the kernel: sanitizers turn mlock() into a no-op. */
	if (syscall(SYS_mlock, r->locked, PAGE))
		_exit(4);
	r->named = map(PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* Needs CONFIG_ANON_VMA_NAME. */
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, r->named, PAGE, "crtool buf"))
		r->named = 0;
	/* A heap even when malloc() does not use brk (sanitizers). */
	if (sbrk(PAGE) == (void *)-1)
		_exit(12);
	r->vdso = getauxval(AT_SYSINFO_EHDR);
	r->entry = getauxval(AT_ENTRY);
	r->arg_start = (uintptr_t)test_argv[0];

	/* Signals: blocked, pending (thread and process), ignored, caught. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	raise(SIGUSR1);
	kill(getpid(), SIGUSR2);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, on_hup);

	/* Special fds. */
	r->eventfd = eventfd(7, EFD_SEMAPHORE | EFD_NONBLOCK);
	r->epollfd = epoll_create1(EPOLL_CLOEXEC);
	if (epoll_ctl(r->epollfd, EPOLL_CTL_ADD, r->eventfd, &ev))
		_exit(6);
	r->timerfd = timerfd_create(CLOCK_MONOTONIC, 0);
	if (timerfd_settime(r->timerfd, 0, &its, NULL))
		_exit(7);
	r->signalfd = signalfd(-1, &mask, 0);
	r->inotifyfd = inotify_init1(0);
	r->inotify_wd = inotify_add_watch(r->inotifyfd, tmpdir, IN_CREATE | IN_DELETE);
	r->fanotifyfd = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY | O_LARGEFILE);
	if (r->fanotifyfd < 0)
		r->fanotify_error = errno;
	else if (fanotify_mark(r->fanotifyfd, FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE_WRITE, AT_FDCWD, tmpdir))
		_exit(8);
	r->regfd = open(kept_path, O_RDWR | O_APPEND);
	if (lseek(r->regfd, 1234, SEEK_SET) != 1234)
		_exit(9);

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (r->eventfd < 0 || r->epollfd < 0 || r->timerfd < 0 || r->signalfd < 0 || r->inotifyfd < 0 ||
	    r->inotify_wd < 0 || r->regfd < 0)
		_exit(11);
}

static struct child child;
static struct report rep;

static int start(void **state)
{
	char page[2 * PAGE];
	int fd;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/crtool-proc-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(kept_path, sizeof(kept_path), "%s/a file (deleted) x", tmpdir);
	snprintf(gone_path, sizeof(gone_path), "%s/gone file", tmpdir);
	memset(page, 'z', sizeof(page));
	fd = open(kept_path, O_CREAT | O_RDWR, 0600);
	assert_int_equal(write(fd, page, sizeof(page)), sizeof(page));
	close(fd);
	fd = open(gone_path, O_CREAT | O_RDWR, 0600);
	assert_int_equal(write(fd, page, sizeof(page)), sizeof(page));
	close(fd);
	child_start(&child, setup, &rep, sizeof(rep));
	return 0;
}

static int stop(void **state)
{
	child_stop(&child);
	unlink(kept_path);
	unlink(gone_path);
	rmdir(tmpdir);
	return 0;
}

static const struct proc_vma *find(const struct vmas *c, uint64_t start)
{
	int i;

	for (i = 0; i < c->nr; i++)
		if (c->v[i].start == start)
			return &c->v[i];
	fail_msg("no mapping at %#llx", (unsigned long long)start);
	return NULL;
}

static const struct proc_vma *find_kind(const struct vmas *c, enum proc_vma_kind kind)
{
	int i;

	for (i = 0; i < c->nr; i++)
		if (c->v[i].kind == kind)
			return &c->v[i];
	return NULL;
}

static void test_smaps(void **state)
{
	static struct vmas c, m;
	const struct proc_vma *v, *vvar, *vclock;
	struct stat st;
	int i;

	assert_int_equal(proc_smaps_read(child.pid, true, collect_vma, &c), 0);
	assert_true(c.nr > 10);
	for (i = 1; i < c.nr; i++)
		assert_true(c.v[i].start >= c.v[i - 1].end);

	v = find(&c, rep.shared_anon);
	assert_true(v->end - v->start == 3 * PAGE);
	assert_true(v->shared);
	assert_int_equal(v->prot, PROT_READ | PROT_WRITE);
	assert_string_equal(v->name, "/dev/zero");
	assert_true(v->deleted);
	assert_true(v->have_vmflags);
	assert_true(v->vmflags & PROC_VMF_SH);
	assert_int_equal(v->rss_kb, 4);

	assert_int_equal(stat(kept_path, &st), 0);
	v = find(&c, rep.file_map);
	assert_int_equal(v->kind, PROC_VMA_FILE);
	assert_string_equal(v->name, kept_path);
	assert_false(v->deleted);	/* the name itself ends in "(deleted) x" */
	assert_false(v->shared);
	assert_int_equal(v->prot, PROT_READ);
	assert_int_equal(v->pgoff, PAGE);
	assert_int_equal(v->inode, st.st_ino);
	assert_int_equal(makedev(v->dev_major, v->dev_minor), st.st_dev);

	v = find(&c, rep.deleted_map);
	assert_string_equal(v->name, gone_path);
	assert_true(v->deleted);
	assert_true(v->shared);

	v = find(&c, rep.guard);
	assert_int_equal(v->prot, 0);
	assert_int_equal(v->kind, PROC_VMA_ANON);
	assert_int_equal(v->vmflags & (PROC_VMF_RD | PROC_VMF_WR | PROC_VMF_EX), 0);

	v = find(&c, rep.dontfork);
	assert_int_equal(v->prot, PROT_READ | PROT_WRITE | PROT_EXEC);
	assert_true(v->vmflags & PROC_VMF_DC);
	assert_true(v->vmflags & PROC_VMF_EX);

	v = find(&c, rep.locked);
	assert_true(v->vmflags & PROC_VMF_LO);
	assert_int_equal(v->locked_kb, 4);
	assert_int_equal(v->anon_kb, 4);

	if (rep.named) {
		v = find(&c, rep.named);
		assert_int_equal(v->kind, PROC_VMA_ANON_NAMED);
		assert_string_equal(v->name, "crtool buf");
	} else {
		print_message("no CONFIG_ANON_VMA_NAME: [anon:NAME] not checked\n");
	}

	/* Linux 6.18: [vvar] (4 pages), [vvar_vclock] (2), [vdso] (2), side by side. */
	v = find(&c, rep.vdso);
	assert_int_equal(v->kind, PROC_VMA_VDSO);
	vvar = find_kind(&c, PROC_VMA_VVAR);
	vclock = find_kind(&c, PROC_VMA_VVAR_VCLOCK);
	assert_non_null(vvar);
	if (vclock) {
		assert_true(vvar->end == vclock->start && vclock->end == v->start);
	} else {
		assert_true(vvar->end == v->start);
	}
	assert_non_null(find_kind(&c, PROC_VMA_STACK));
	assert_non_null(find_kind(&c, PROC_VMA_HEAP));

	/* maps says the same as smaps, without the smaps part. */
	assert_int_equal(proc_smaps_read(child.pid, false, collect_vma, &m), 0);
	assert_int_equal(m.nr, c.nr);
	for (i = 0; i < c.nr; i++) {
		assert_true(m.v[i].start == c.v[i].start && m.v[i].end == c.v[i].end);
		assert_string_equal(m.v[i].name, c.v[i].name);
		assert_false(m.v[i].have_smaps);
	}
}

static void test_map_files(void **state)
{
	static struct vmas c;
	struct stat st;
	char buf[4];
	int fd;

	assert_int_equal(proc_smaps_read(child.pid, false, collect_vma, &c), 0);

	/* The unlinked file is still reachable, with its contents. */
	fd = proc_vma_open_file(child.pid, find(&c, rep.deleted_map), O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_nlink, 0);
	assert_int_equal(st.st_ino, find(&c, rep.deleted_map)->inode);
	assert_int_equal(read(fd, buf, 4), 4);
	assert_memory_equal(buf, "zzzz", 4);
	close(fd);

	/* Anonymous memory has no file behind it. */
	assert_int_equal(proc_vma_open_file(child.pid, find(&c, rep.guard), O_RDONLY), -ENOENT);
}

static void test_stat(void **state)
{
	static struct vmas c;
	struct proc_stat st, tst;

	assert_int_equal(proc_stat_read(child.pid, 0, &st), 0);
	assert_int_equal(st.pid, child.pid);
	assert_string_equal(st.comm, "a) (b c");
	assert_true(st.state == 'S' || st.state == 'R');
	assert_int_equal(st.ppid, getpid());
	assert_int_equal(st.pgid, getpgrp());
	assert_int_equal(st.sid, getsid(0));
	assert_int_equal(st.nice, 5);
	assert_int_equal(st.num_threads, 1);
	assert_int_equal(st.exit_signal, SIGCHLD);
	assert_true(st.arg_start == rep.arg_start);
	assert_true(st.arg_end > st.arg_start && st.env_start >= st.arg_end && st.env_end > st.env_start);
	assert_true(st.start_code <= rep.entry && rep.entry < st.end_code);
	assert_true(st.end_code <= st.start_data && st.start_data < st.end_data);

	/* The heap begins at start_brk. */
	assert_int_equal(proc_smaps_read(child.pid, false, collect_vma, &c), 0);
	assert_non_null(find_kind(&c, PROC_VMA_HEAP));
	assert_true(find_kind(&c, PROC_VMA_HEAP)->start == st.start_brk);

	/* The thread's own stat says the same. */
	assert_int_equal(proc_stat_read(child.pid, child.pid, &tst), 0);
	assert_string_equal(tst.comm, st.comm);
	assert_int_equal(tst.start_brk, st.start_brk);
}

static void test_stat_zombie(void **state)
{
	struct proc_stat st;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid)
		_exit(3);
	/* Wait until it is a zombie, without reaping it. */
	do {
		assert_int_equal(proc_stat_read(pid, 0, &st), 0);
		if (st.state != 'Z')
			usleep(1000);
	} while (st.state != 'Z');
	assert_int_equal(st.exit_code, 3 << 8);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_int_equal(proc_stat_read(pid, 0, &st), -ENOENT);
}

static void test_status(void **state)
{
	struct proc_status st;
	uint64_t usr = 1ULL << (SIGUSR1 - 1), usr2 = 1ULL << (SIGUSR2 - 1);

	assert_int_equal(proc_status_read(child.pid, 0, &st), 0);
	assert_int_equal(st.tgid, child.pid);
	assert_int_equal(st.pid, child.pid);
	assert_int_equal(st.ppid, getpid());
	assert_int_equal(st.tracer_pid, 0);
	assert_int_equal(st.umask, 027);
	assert_int_equal(st.uid[0], getuid());
	assert_int_equal(st.uid[1], geteuid());
	assert_int_equal(st.gid[0], getgid());
	assert_int_equal(st.no_new_privs, 1);
	assert_int_equal(st.seccomp, 0);
	assert_true(st.sig_pnd == usr);		/* raise(): the thread's */
	assert_true(st.shd_pnd == usr2);	/* kill(): the process's */
	assert_true(st.sig_blk == (usr | usr2));
	assert_true(st.sig_ign & (1ULL << (SIGPIPE - 1)));
	assert_true(st.sig_cgt & (1ULL << (SIGHUP - 1)));
	assert_true(st.sigq_queued >= 2);	/* counted per user */
	assert_true(st.have & PROC_STATUS_NS_PIDS);
	assert_int_equal(st.ns_pid.pid[0], child.pid);
	assert_int_equal(st.ns_tgid.pid[0], child.pid);
	assert_int_equal(st.ns_pgid.pid[0], getpgrp());
	assert_true(st.cap_bnd != 0);
	assert_true(st.have & PROC_STATUS_CAP_AMB);

	assert_int_equal(proc_status_read(child.pid, child.pid, &st), 0);
	assert_int_equal(st.pid, child.pid);
}

static void test_limits(void **state)
{
	struct proc_limits l;
	struct rlimit own;
	int i;

	assert_int_equal(proc_limits_read(child.pid, &l), 0);
	assert_true(l.lim[RLIMIT_NOFILE].rlim_cur == 100 && l.lim[RLIMIT_NOFILE].rlim_max == 200);
	assert_true(l.lim[RLIMIT_CORE].rlim_cur == 0 && l.lim[RLIMIT_CORE].rlim_max == 1 << 20);
	assert_true(l.lim[RLIMIT_RTTIME].rlim_cur == 7000 && l.lim[RLIMIT_RTTIME].rlim_max == RLIM_INFINITY);

	/* Our own limits, every one, against getrlimit(). */
	assert_int_equal(proc_limits_read(getpid(), &l), 0);
	for (i = 0; i < PROC_NR_LIMITS; i++) {
		assert_int_equal(getrlimit(i, &own), 0);
		assert_true(l.lim[i].rlim_cur == own.rlim_cur);
		assert_true(l.lim[i].rlim_max == own.rlim_max);
	}
}

static void test_auxv(void **state)
{
	struct proc_auxv a;
	uint64_t v;

	assert_int_equal(proc_auxv_read(child.pid, &a), 0);
	assert_true(a.nr > 5);
	assert_int_equal(a.type[a.nr - 1], AT_NULL);
	assert_int_equal(proc_auxv_get(&a, AT_SYSINFO_EHDR, &v), 0);
	assert_true(v == rep.vdso);
	assert_int_equal(proc_auxv_get(&a, AT_ENTRY, &v), 0);
	assert_true(v == rep.entry);
	assert_int_equal(proc_auxv_get(&a, AT_PAGESZ, &v), 0);
	assert_true(v == PAGE);
}

struct mount_search {
	int mnt_id;
	int found;
	int count;
	char mountpoint[256];
};

static int find_mount(const struct proc_mount *m, void *arg)
{
	struct mount_search *s = arg;

	s->count++;
	if (m->mnt_id == s->mnt_id) {
		s->found++;
		snprintf(s->mountpoint, sizeof(s->mountpoint), "%s", m->mountpoint);
	}
	return 0;
}

static void test_mountinfo(void **state)
{
	struct mount_search s = { 0 };
	struct proc_fdinfo fi;
	int fd = open("/proc", O_RDONLY | O_DIRECTORY);

	/* The mount of /proc, as fdinfo names it, is in mountinfo at /proc. */
	assert_true(fd >= 0);
	assert_int_equal(proc_fdinfo_read(getpid(), fd, &fi, NULL, NULL), 0);
	close(fd);
	s.mnt_id = fi.mnt_id;
	assert_int_equal(proc_mountinfo_read(child.pid, find_mount, &s), 0);
	assert_true(s.count > 1);
	assert_int_equal(s.found, 1);
	assert_string_equal(s.mountpoint, "/proc");
}

static void read_fdinfo(int fd, struct proc_fdinfo *fi, struct entries *c)
{
	memset(c, 0, sizeof(*c));
	assert_int_equal(proc_fdinfo_read(child.pid, fd, fi, collect_entry, c), 0);
}

static void test_fdinfo(void **state)
{
	struct proc_fdinfo fi;
	struct entries c;
	struct stat st;
	char path[64];

	read_fdinfo(rep.regfd, &fi, &c);
	assert_int_equal(fi.pos, 1234);
	assert_int_equal(fi.flags & (O_ACCMODE | O_APPEND), O_RDWR | O_APPEND);
	assert_int_equal(stat(kept_path, &st), 0);
	assert_int_equal(fi.ino, st.st_ino);

	read_fdinfo(rep.eventfd, &fi, &c);
	assert_true(fi.have & PROC_FDINFO_EVENTFD);
	assert_int_equal(fi.eventfd_count, 7);
	assert_true(fi.flags & O_NONBLOCK);
	if (fi.have & PROC_FDINFO_EVENTFD_SEM)
		assert_int_equal(fi.eventfd_semaphore, 1);

	read_fdinfo(rep.epollfd, &fi, &c);
	assert_true(fi.flags & O_CLOEXEC);
	assert_int_equal(c.nr, 1);
	assert_int_equal(c.e[0].kind, PROC_FDE_EPOLL_TFD);
	assert_int_equal(c.e[0].epoll.tfd, rep.eventfd);
	/* The kernel always adds EPOLLERR and EPOLLHUP. */
	assert_int_equal(c.e[0].epoll.events & ~(EPOLLERR | EPOLLHUP), EPOLLIN | EPOLLET);
	assert_true(c.e[0].epoll.data == 0xdeadbeefcafeULL);
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", child.pid, rep.eventfd);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(c.e[0].epoll.ino, st.st_ino);

	read_fdinfo(rep.timerfd, &fi, &c);
	assert_true(fi.have & PROC_FDINFO_TIMERFD);
	assert_int_equal(fi.timerfd_clockid, CLOCK_MONOTONIC);
	assert_int_equal(fi.timerfd_ticks, 0);
	assert_int_equal(fi.timerfd_settime_flags, 0);
	assert_int_equal(fi.timerfd_interval.sec, 5);
	assert_int_equal(fi.timerfd_interval.nsec, 250);
	assert_true(fi.timerfd_value.sec > 900 && fi.timerfd_value.sec < 1000);

	read_fdinfo(rep.signalfd, &fi, &c);
	assert_true(fi.have & PROC_FDINFO_SIGNALFD);
	assert_true(fi.sigmask == ((1ULL << (SIGUSR1 - 1)) | (1ULL << (SIGUSR2 - 1))));

	read_fdinfo(rep.inotifyfd, &fi, &c);
	assert_int_equal(c.nr, 1);
	assert_int_equal(c.e[0].kind, PROC_FDE_INOTIFY_WD);
	assert_int_equal(c.e[0].inotify.wd, rep.inotify_wd);
	assert_int_equal(stat(tmpdir, &st), 0);
	assert_int_equal(c.e[0].inotify.ino, st.st_ino);
	assert_int_equal(c.e[0].inotify.mask & (IN_CREATE | IN_DELETE), IN_CREATE | IN_DELETE);
	assert_true(c.e[0].inotify.fh.bytes > 0);

	if (rep.fanotifyfd < 0) {
		print_message("fanotify_init: %s: not checked\n", strerror(rep.fanotify_error));
		return;
	}
	read_fdinfo(rep.fanotifyfd, &fi, &c);
	assert_true(fi.have & PROC_FDINFO_FANOTIFY);
	assert_int_equal(fi.fanotify_flags & FAN_CLASS_NOTIF, FAN_CLASS_NOTIF);
	assert_int_equal(c.nr, 1);
	assert_int_equal(c.e[0].kind, PROC_FDE_FANOTIFY_INODE);
	assert_int_equal(c.e[0].fanotify.ino, st.st_ino);
	assert_int_equal(c.e[0].fanotify.mask, FAN_OPEN | FAN_CLOSE_WRITE);
}

static void test_fds_and_links(void **state)
{
	int want[] = { rep.eventfd, rep.epollfd, rep.timerfd, rep.signalfd, rep.inotifyfd, rep.regfd };
	char buf[PATH_MAX], own[PATH_MAX], name[32];
	size_t nr, i, j;
	int *fds;

	/* Every fd the child opened, in increasing order. */
	assert_int_equal(proc_dir_numbers(child.pid, "fd", PROC_FDS_MAX, &fds, &nr), 0);
	for (i = 1; i < nr; i++)
		assert_true(fds[i] > fds[i - 1]);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		for (j = 0; j < nr && fds[j] != want[i]; j++)
			;
		assert_true(j < nr);
	}
	free(fds);
	assert_int_equal(proc_dir_numbers(child.pid, "fd", 2, &fds, &nr), -E2BIG);

	snprintf(name, sizeof(name), "fd/%d", rep.regfd);
	assert_int_equal(proc_readlink(child.pid, name, buf, sizeof(buf)), strlen(kept_path));
	assert_string_equal(buf, kept_path);
	snprintf(name, sizeof(name), "fd/%d", rep.eventfd);
	assert_true(proc_readlink(child.pid, name, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "anon_inode:[eventfd]");
	assert_int_equal(proc_readlink(child.pid, name, buf, 8), -ENAMETOOLONG);

	assert_true(proc_readlink(child.pid, "cwd", buf, sizeof(buf)) > 0);
	assert_non_null(getcwd(own, sizeof(own)));
	assert_string_equal(buf, own);
	assert_true(proc_readlink(child.pid, "exe", buf, sizeof(buf)) > 0);
	assert_int_equal(proc_readlink(getpid(), "exe", own, sizeof(own)), strlen(buf));
	assert_string_equal(buf, own);
	assert_int_equal(proc_readlink(child.pid, "fd/9999", buf, sizeof(buf)), -ENOENT);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smaps),
		cmocka_unit_test(test_map_files),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_stat_zombie),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_auxv),
		cmocka_unit_test(test_mountinfo),
		cmocka_unit_test(test_fdinfo),
		cmocka_unit_test(test_fds_and_links),
	};

	test_argv = argv;
	return cmocka_run_group_tests(tests, start, stop);
}
