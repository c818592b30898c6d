// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Restore of a real process: a victim sets up memory, registers and
 * signal state, is dumped with dump_core()/dump_mm() and killed; a process made
 * with its PID goes through restore_task_switch() and restore_finalize(),
 * and the restored victim checks its own state and reports it in its
 * exit status. Its maps must be the dumped ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <inttypes.h>
#include <time.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/rseq.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "compel/compel.h"
#include "dump.h"
#include "file-ids.h"
#include "img/pagemap.h"
#include "images.h"
#include "lib-log.h"
#include "restore-files.h"
#include "restore.h"

#define ANON_LEN (16 * 4096)
#define HEAP_LEN (24 * 1024)
#define FILE_LEN (3 * 4096)

/* Victim state, at the same addresses in the victim (a fork of the test). */
static uint8_t *anon, *heap, *fmap, *fshared;
static volatile int spinning, got_usr1, thread_spins;
static int ptimer_id;

/* What the victim tells the test before it is dumped. */
struct victim_report {
	uint64_t spin_at; /* where the test sees when we spin: our layout is not the test's */
	int32_t ptimer_id;
	int32_t pad;
	struct itimerspec ptimer; /* a moment before the dump */
};
static uint8_t ymm_in[32] __attribute__((aligned(32))), ymm_out[32] __attribute__((aligned(32)));
static char file_path[64];

#define RT_SIG 40 /* queued to the main thread with a value, blocked */
#define RT_VALUE 42
#define NOFILE_CUR 777
#define TIMER_SEC 1000
#define PTIMER_SIG 41 /* the POSIX timer's signal, blocked */
#define PTIMER_INTERVAL 7
#define RESULT_FD 100

enum {
	BAD_YMM = 1,
	BAD_ANON = 2,
	BAD_HEAP = 4,
	BAD_FILE = 8,
	BAD_MASK = 16,
	BAD_SIG = 32,
	BAD_THREAD = 64,
	BAD_COMM = 128,
	BAD_RLIMIT = 256,
	BAD_TIMER = 512,
	BAD_PENDING = 1024,
	BAD_RSEQ = 2048,
	BAD_SHARED_FILE = 4096,
	BAD_VDSO = 8192,
	BAD_POSIX_TIMER = 16384
};

static void on_usr1(int sig)
{
	got_usr1 = 1;
}

static void log_to_stderr(int level, const char *file, int line, const char *msg, void *ctx)
{
	fprintf(stderr, "[%d] %s:%d: %s\n", level, file, line, msg);
}

static void pattern(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seed);
}

static int check_pattern(const uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (uint8_t)(i * 7 + seed))
			return 0;
	return 1;
}

static void *second_thread(void *arg)
{
	/* parked in a loop it leaves once the main thread saw SIGUSR1 */
	__atomic_add_fetch(&thread_spins, 1, __ATOMIC_SEQ_CST);
	while (!got_usr1)
		__asm__ volatile("pause" ::: "memory");
	__atomic_add_fetch(&thread_spins, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Kernel state the restorer sets from inside: name, limits, timers, queues, rseq. */
static int check_task_state(void)
{
	struct itimerspec pt;
	struct timespec zero = {0, 0};
	struct itimerval it;
	struct rlimit rl;
	siginfo_t si;
	sigset_t set;
	char comm[16];
	int bad = 0;

	prctl(PR_GET_NAME, comm);
	if (strcmp(comm, "rst-victim"))
		bad |= BAD_COMM;
	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur != NOFILE_CUR)
		bad |= BAD_RLIMIT;
	if (syscall(SYS_timer_gettime, ptimer_id, &pt) ||
	    pt.it_interval.tv_sec != PTIMER_INTERVAL || pt.it_value.tv_sec <= TIMER_SEC - 100 ||
	    pt.it_value.tv_sec > TIMER_SEC)
		bad |= BAD_POSIX_TIMER;
	if (getitimer(ITIMER_REAL, &it) || it.it_value.tv_sec <= TIMER_SEC - 100 ||
	    it.it_value.tv_sec > TIMER_SEC)
		bad |= BAD_TIMER;
	sigemptyset(&set);
	sigaddset(&set, RT_SIG);
	if (sigtimedwait(&set, &si, &zero) != RT_SIG || si.si_value.sival_int != RT_VALUE)
		bad |= BAD_PENDING;
	sigpending(&set);
	if (!sigismember(&set, SIGUSR2))
		bad |= BAD_PENDING;
	/* registered again at the dumped address: a second registration is busy */
	if (syscall(SYS_rseq, (char *)__builtin_thread_pointer() + __rseq_offset, 32, 0,
		    RSEQ_SIG) != -1 ||
	    errno != EBUSY)
		bad |= BAD_RSEQ;
	return bad;
}

/* The victim's life after its setup: spin with ymm0 loaded, then check. */
static void __attribute__((noreturn)) victim_run(int with_thread, pthread_t th)
{
	struct timespec vdso_now, sys_now;
	sigset_t cur;
	struct sigaction sa;
	int bad = 0, fd;
	char c;

	__asm__ volatile("vmovdqu %[in], %%ymm0\n\t"
			 "movl $1, %[spin]\n\t"
			 "1: pause\n\t"
			 "cmpl $0, %[got]\n\t"
			 "je 1b\n\t"
			 "vmovdqu %%ymm0, %[out]\n\t"
			 : [out] "=m"(ymm_out), [spin] "=m"(spinning)
			 : [in] "m"(ymm_in), [got] "m"(got_usr1)
			 : "xmm0", "memory");
	if (memcmp(ymm_in, ymm_out, 32))
		bad |= BAD_YMM;
	if (!check_pattern(anon, ANON_LEN, 1))
		bad |= BAD_ANON;
	if (!check_pattern(heap, HEAP_LEN, 2))
		bad |= BAD_HEAP;
	/* the shared mapping is the file again: what was written is there, and goes on going there
	 */
	if (fshared[0] != 'S' || fshared[4096] != 'f')
		bad |= BAD_SHARED_FILE;
	fshared[1] = 'T';
	fd = open(file_path, O_RDONLY);
	if (pread(fd, &c, 1, 1) != 1 || c != 'T')
		bad |= BAD_SHARED_FILE;
	close(fd);
	/* the vDSO sits where glibc found it at start, and reads the clock right */
	clock_gettime(CLOCK_REALTIME, &vdso_now);
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &sys_now);
	if (sys_now.tv_sec - vdso_now.tv_sec > 5 || vdso_now.tv_sec - sys_now.tv_sec > 5)
		bad |= BAD_VDSO;
	if (!check_pattern(fmap, 4096, 3) || fmap[4096] != 'f' || fmap[2 * 4096 + 5] != 'f')
		bad |= BAD_FILE;
	sigprocmask(SIG_SETMASK, NULL, &cur);
	if (!sigismember(&cur, SIGUSR2) || sigismember(&cur, SIGUSR1))
		bad |= BAD_MASK;
	sigaction(SIGUSR1, NULL, &sa);
	if (sa.sa_handler != on_usr1)
		bad |= BAD_SIG;
	if (with_thread && (pthread_join(th, NULL) || thread_spins != 2))
		bad |= BAD_THREAD;
	bad |= check_task_state();
	/* the verdict is wider than an exit status: RESULT_FD is the restorer's, inherited */
	if (write(RESULT_FD, &bad, sizeof(bad)) != sizeof(bad))
		_exit(1);
	_exit(0);
}

static void __attribute__((noreturn)) victim(int report, int with_thread)
{
	struct victim_report rep = {.spin_at = (uint64_t)(uintptr_t)&spinning};
	pthread_t th = 0;
	sigset_t set;
	int fd;

	pattern(ymm_in, 32, 9);
	anon = mmap(NULL, ANON_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	heap = malloc(HEAP_LEN);
	fd = open(file_path, O_RDONLY);
	fmap = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	fd = open(file_path, O_RDWR);
	fshared = mmap(NULL, FILE_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (fshared == MAP_FAILED)
		_exit(104);
	fshared[0] = 'S';
	if (anon == MAP_FAILED || !heap || fmap == MAP_FAILED)
		_exit(100);
	pattern(anon, ANON_LEN, 1);
	pattern(heap, HEAP_LEN, 2);
	pattern(fmap, 4096, 3);
	signal(SIGUSR1, on_usr1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, RT_SIG);
	sigprocmask(SIG_BLOCK, &set, NULL);
	prctl(PR_SET_NAME, "rst-victim");
	{
		struct rlimit rl;
		struct itimerval it = {{0, 0}, {TIMER_SEC, 0}};

		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = NOFILE_CUR;
		if (setrlimit(RLIMIT_NOFILE, &rl) || setitimer(ITIMER_REAL, &it, NULL))
			_exit(103);
	}
	{
		struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = PTIMER_SIG};
		struct itimerspec its = {{PTIMER_INTERVAL, 0}, {TIMER_SEC, 0}};

		sigaddset(&set, PTIMER_SIG);
		sigprocmask(SIG_BLOCK, &set, NULL);
		if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &sev, &ptimer_id) ||
		    syscall(SYS_timer_settime, ptimer_id, 0, &its, NULL))
			_exit(106);
	}
	if (with_thread) {
		if (pthread_create(&th, NULL, second_thread, NULL))
			_exit(101);
		while (!thread_spins)
			;
	}

	rep.ptimer_id = ptimer_id;
	syscall(SYS_timer_gettime, ptimer_id, &rep.ptimer);
	if (write(report, &rep, sizeof(rep)) != sizeof(rep))
		_exit(102);
	victim_run(with_thread, th);
}

/*
 * Move this process's [vvar], [vvar_vclock] and [vdso] together to another
 * place, as they are in crtool (another process): the restore must put
 * them back where the victim had them. Nothing here may use the vDSO after.
 */
static void move_vdso_away(void)
{
	uint64_t start[3], end[3], lo = UINT64_MAX, hi = 0;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512], *to;
	int n = 0, i;

	while (f && fgets(line, sizeof(line), f) && n < 3) {
		if (!strstr(line, "[vvar") && !strstr(line, "[vdso]"))
			continue;
		if (sscanf(line, "%" SCNx64 "-%" SCNx64, &start[n], &end[n]) != 2)
			_exit(110);
		lo = start[n] < lo ? start[n] : lo;
		hi = end[n] > hi ? end[n] : hi;
		n++;
	}
	if (f)
		fclose(f);
	to = mmap(NULL, hi - lo + 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!n || to == MAP_FAILED)
		_exit(111);
	for (i = 0; i < n; i++)
		if (mremap((void *)start[i], end[i] - start[i], end[i] - start[i],
			   MREMAP_MAYMOVE | MREMAP_FIXED,
			   to + 4096 + (start[i] - lo)) == MAP_FAILED)
			_exit(112);
}

static pid_t clone_with_pid(pid_t pid)
{
	struct clone_args ca = {
		.exit_signal = SIGCHLD, .set_tid = (uint64_t)(uintptr_t)&pid, .set_tid_size = 1};

	return (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
}

static void wait_ready(struct rst_shared *sh, uint32_t want, pid_t child)
{
	uint32_t n;

	while ((n = __atomic_load_n(&sh->nr_ready, __ATOMIC_SEQ_CST)) < want && !sh->error) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		int status;

		if (waitpid(child, &status, WNOHANG) == child)
			fail_msg("the restoring process died: status %#x, error %d in %d", status,
				 sh->error, sh->error_pid);
		syscall(SYS_futex, &sh->nr_ready, FUTEX_WAIT, n, &ts, NULL, 0);
	}
	if (sh->error)
		fail_msg("restorer failed in %d: %d", sh->error_pid, sh->error);
}

/* The dumped layout: start, end and protection of each area. */
static int read_dumped_vmas(struct img_dir *dir, pid_t pid, uint64_t (*out)[3], int max)
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

static void maps_equal_dump(struct img_dir *dir, pid_t pid)
{
	uint64_t want[256][3];
	char path[64], line[512];
	int n = read_dumped_vmas(dir, pid, want, 256), i = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		char perms[5];

		assert_int_equal(sscanf(line, "%lx-%lx %4s", &s, &e, perms), 3);
		if (i >= n)
			fail_msg("extra area after restore: %s", line);
		if (s != want[i][0] || e != want[i][1])
			fail_msg("area %d: %lx-%lx after restore, %lx-%lx dumped", i, s, e,
				 (unsigned long)want[i][0], (unsigned long)want[i][1]);
		assert_int_equal((perms[0] == 'r' ? PROT_READ : 0) |
					 (perms[1] == 'w' ? PROT_WRITE : 0) |
					 (perms[2] == 'x' ? PROT_EXEC : 0),
				 want[i][2]);
		i++;
	}
	fclose(f);
	assert_int_equal(i, n);
}

/* dump_core() and dump_mm() through libcompel, as cr_dump() runs them. */
/* dump_core() wrote the victim's POSIX timer, with the id it had. */
static void check_posix_timer_dumped(struct img_dir *dir, pid_t pid, const struct victim_report *rep)
{
	CoreEntry *core;

	assert_int_equal(cr_img_read_one(dir, "CORE", pid, &core_entry__descriptor,
					 (ProtobufCMessage **)&core),
			 0);
	assert_int_equal(core->tc->timers->n_posix, 1);
	assert_int_equal(core->tc->timers->posix[0]->it_id, rep->ptimer_id);
	assert_int_equal(core->tc->timers->posix[0]->si_signo, PTIMER_SIG);
	protobuf_c_message_free_unpacked(&core->base, NULL);
}

static void dump(struct img_dir *dir, pid_t pid, pid_t *tids, int nr,
		 const struct victim_report *rep, CoreEntry **cores)
{
	struct dump_ctx ctx = {.dir = dir, .next_pages_id = 1};
	struct pstree_task pt = {.pid = pid, .nr_threads = nr, .threads = tids};
	struct dump_task t = {.pt = &pt};
	int i;

	ctx.files = img_file_open(dir, "FILES", 0, IMG_WRITE);
	assert_non_null(ctx.files);
	ctx.file_ids = file_ids_new();
	assert_non_null(ctx.file_ids);
	t.ct = compel_task_seize(pid);
	assert_non_null(t.ct);
	assert_int_equal(compel_task_nr_threads(t.ct), nr);
	for (i = 0; i < nr; i++)
		tids[i] = compel_task_thread_id(t.ct, i);
	assert_int_equal(dump_core(&ctx, &t), 0);
	assert_int_equal(compel_task_map_shared(t.ct, 4096), 0);
	assert_int_equal(dump_mm(&ctx, &t), 0);
	assert_int_equal(compel_task_release(t.ct), 0);
	assert_int_equal(img_file_close(ctx.files), 0);
	file_ids_free(ctx.file_ids);
	check_posix_timer_dumped(dir, pid, rep);
	for (i = 0; i < nr; i++)
		assert_int_equal(cr_img_read_one(dir, "CORE", tids[i], &core_entry__descriptor,
						 (ProtobufCMessage **)&cores[i]),
				 0);
}

/*
 * The victim runs from a copy of this program: its exe link and its
 * layout differ from those of the process that restores it, as they do
 * from crtool's.
 */
static void copy_self(char path[PATH_MAX])
{
	char buf[65536];
	ssize_t n;
	int in, out;

	/* next to this program, so that its $ORIGIN library path still holds */
	n = readlink("/proc/self/exe", path, PATH_MAX - 16);
	assert_true(n > 0);
	strcpy(path + n, "-victim-XXXXXX");
	out = mkstemp(path);
	in = open("/proc/self/exe", O_RDONLY);
	assert_true(in >= 0 && out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		assert_int_equal(write(out, buf, n), n);
	assert_int_equal(n, 0);
	assert_int_equal(fchmod(out, 0700), 0);
	close(in);
	close(out);
}

static void exe_is(pid_t pid, const char *path)
{
	char link[64], target[256];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", pid);
	n = readlink(link, target, sizeof(target) - 1);
	assert_true(n > 0);
	target[n] = 0;
	assert_string_equal(target, path);
}

static void run(int with_thread, int abort)
{
	char dirpath[] = "/tmp/crtool-rst-img-XXXXXX";
	struct rst_shared *sh;
	struct rst_ctx ctx = { .log_rd = -1, .log_wr = -1 };
	CoreEntry *cores[2];
	PstreeEntry pe = PSTREE_ENTRY__INIT;
	struct rst_task task = {.pe = &pe, .cores = cores};
	uint32_t tids[2];
	pid_t pid, child, ptids[2];
	int rep[2], res[2], status, fd, i, bad;
	char exe_path[PATH_MAX];
	struct victim_report vrep;
	char fbuf[FILE_LEN];

	cr_logger.fn = log_to_stderr;
	strcpy(file_path, "/tmp/crtool-restore-XXXXXX");
	fd = mkstemp(file_path);
	assert_true(fd >= 0);
	memset(fbuf, 'f', sizeof(fbuf));
	assert_int_equal(write(fd, fbuf, sizeof(fbuf)), sizeof(fbuf));
	close(fd);
	assert_int_equal(pipe(rep), 0);
	copy_self(exe_path);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char fdarg[16], thrarg[16];

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		snprintf(fdarg, sizeof(fdarg), "%d", rep[1]);
		snprintf(thrarg, sizeof(thrarg), "%d", with_thread);
		execl(exe_path, exe_path, "victim", file_path, fdarg, thrarg, (char *)NULL);
		_exit(105);
	}
	close(rep[1]);
	assert_int_equal(read(rep[0], &vrep, sizeof(vrep)), sizeof(vrep));
	close(rep[0]);
	/* wait until the victim spins with ymm0 loaded */
	for (;;) {
		int spin = 0;
		struct iovec l = {&spin, sizeof(spin)},
			     r = {(void *)(uintptr_t)vrep.spin_at, sizeof(spin)};

		assert_int_equal(process_vm_readv(pid, &l, 1, &r, 1, 0), sizeof(spin));
		if (spin)
			break;
		usleep(1000);
	}
	/* pending: SIGUSR2 for the process, RT_SIG with a value for the main thread */
	{
		siginfo_t si = {.si_signo = RT_SIG, .si_code = SI_QUEUE, .si_pid = getpid()};

		si.si_value.sival_int = RT_VALUE;
		assert_int_equal(kill(pid, SIGUSR2), 0);
		assert_int_equal(syscall(SYS_rt_tgsigqueueinfo, pid, pid, RT_SIG, &si), 0);
	}
	assert_non_null(mkdtemp(dirpath));
	ctx.dir = img_dir_open(dirpath, 0);
	assert_non_null(ctx.dir);
	dump(ctx.dir, pid, ptids, 1 + with_thread, &vrep, cores);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);

	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(sh != MAP_FAILED);
	ctx.shared = sh;
	ctx.shared_size = 4096;
	assert_int_equal(rst_files_load(&ctx), 0);
	for (i = 0; i <= with_thread; i++)
		tids[i] = (uint32_t)ptids[i];
	pe.pid = pid;
	pe.n_threads = 1 + with_thread;
	pe.threads = tids;

	assert_int_equal(pipe(res), 0);
	assert_int_equal(dup2(res[1], RESULT_FD), RESULT_FD);
	close(res[1]);
	child = clone_with_pid(pid);
	assert_true(child >= 0);
	if (!child) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		move_vdso_away();
		_exit(-restore_task_switch(&ctx, &task));
	}
	assert_int_equal(child, pid);
	close(RESULT_FD);
	wait_ready(sh, 1 + with_thread, child);
	if (abort) {
		/* go = 2: every thread leaves at the barrier, the dumped code never runs */
		__atomic_store_n(&sh->go, 2, __ATOMIC_SEQ_CST);
		syscall(SYS_futex, &sh->go, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
		assert_int_equal(read(res[0], &bad, sizeof(bad)), 0);
	} else {
		assert_int_equal(restore_finalize(&ctx, &task, 1), 0);
		maps_equal_dump(ctx.dir, pid);
		exe_is(pid, exe_path);
		kill(pid, SIGUSR1);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail_msg("restored victim: status %#x (exit %d)", status,
				 WEXITSTATUS(status));
		assert_int_equal(read(res[0], &bad, sizeof(bad)), sizeof(bad));
		if (bad)
			fail_msg("restored victim found its state wrong: %#x", bad);
	}
	close(res[0]);

	for (i = 0; i <= with_thread; i++)
		protobuf_c_message_free_unpacked(&cores[i]->base, NULL);
	munmap(sh, 4096);
	rst_files_free(&ctx);
	img_dir_close(ctx.dir);
	unlink(file_path);
	unlink(exe_path);
}

static void test_restore_one_thread(void **state)
{
	run(0, 0);
}

static void test_restore_two_threads(void **state)
{
	run(1, 0);
}

static void test_restore_abort(void **state)
{
	run(1, 1);
}

/* Areas of this process, but the heap, which malloc may create on the way. */
static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	while (fgets(line, sizeof(line), f))
		n += !strstr(line, "[heap]");
	fclose(f);
	return n;
}

/*
 * restore_task_switch() on the mm image @vmas (and one page of data at
 * @page_at when non-zero) must fail with @err before the switch and leave
 * nothing mapped behind.
 */
static void expect_rejected(VmaEntry *vmas, size_t n, uint64_t page_at, int err)
{
	char dirpath[] = "/tmp/crtool-rst-bad-XXXXXX";
	VmaEntry *vp[8];
	MmEntry mm = MM_ENTRY__INIT;
	PstreeEntry pe = PSTREE_ENTRY__INIT;
	uint32_t tid = 4242;
	struct rst_task task = {.pe = &pe};
	struct rst_ctx ctx = { .log_rd = -1, .log_wr = -1 };
	int status, before;
	size_t i;
	pid_t child;

	cr_logger.fn = log_to_stderr;
	assert_non_null(mkdtemp(dirpath));
	ctx.dir = img_dir_open(dirpath, 0);
	assert_non_null(ctx.dir);
	for (i = 0; i < n; i++)
		vp[i] = &vmas[i];
	mm.n_vmas = n;
	mm.vmas = vp;
	assert_int_equal(cr_img_write_one(ctx.dir, "MM", tid, &mm.base), 0);
	if (page_at) {
		struct img_pagemap_writer *w = img_pagemap_writer_open(ctx.dir, tid, 1);
		static uint8_t page[4096];

		assert_non_null(w);
		assert_int_equal(img_pagemap_writer_add_data(w, page_at, 1, IMG_PE_PRESENT, page),
				 0);
		assert_int_equal(img_pagemap_writer_close(w), 0);
	}
	ctx.shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ctx.shared_size = 4096;
	assert_int_equal(rst_files_load(&ctx), 0);
	pe.pid = tid;
	pe.n_threads = 1;
	pe.threads = &tid;
	child = fork();
	assert_true(child >= 0);
	if (!child) {
		int ret;

		before = count_maps();
		ret = restore_task_switch(&ctx, &task);
		_exit(count_maps() != before ? 200 : -ret);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), err);
	munmap(ctx.shared, 4096);
	rst_files_free(&ctx);
	img_dir_close(ctx.dir);
}

static VmaEntry anon_vma(uint64_t start, uint64_t end)
{
	VmaEntry v = VMA_ENTRY__INIT;

	v.start = start;
	v.end = end;
	v.prot = PROT_READ | PROT_WRITE;
	v.flags = MAP_PRIVATE | MAP_ANONYMOUS;
	v.status = 1u << 0 | 1u << 9;
	v.fd = -1;
	return v;
}

static void test_restore_rejects_bad_images(void **state)
{
	VmaEntry v[3];

	/* overlapping, unaligned, inverted areas */
	v[0] = anon_vma(0x10000000, 0x10003000);
	v[1] = anon_vma(0x10002000, 0x10004000);
	expect_rejected(v, 2, 0, EINVAL);
	v[1] = anon_vma(0x10003800, 0x10004000);
	expect_rejected(v, 2, 0, EINVAL);
	v[1] = anon_vma(0x10008000, 0x10004000);
	expect_rejected(v, 2, 0, EINVAL);
	/* beyond the user address space */
	v[1] = anon_vma(0x7ffffffff000, 0x800000001000);
	expect_rejected(v, 2, 0, EINVAL);
	/* advice that would drop the restored pages */
	v[1] = anon_vma(0x10008000, 0x10009000);
	v[1].has_madv = 1;
	v[1].madv = 1ULL << MADV_DONTNEED;
	expect_rejected(v, 2, 0, EINVAL);
	/* a kind not restored yet (SysV shared memory) */
	v[1] = anon_vma(0x10008000, 0x10009000);
	v[1].status = 1u << 0 | 1u << 10;
	expect_rejected(v, 2, 0, EOPNOTSUPP);
	/* a vdso of another size than this kernel's */
	v[1] = anon_vma(0x10008000, 0x10009000);
	v[1].status = 1u << 0 | 1u << 3 | 1u << 9;
	expect_rejected(v, 2, 0, EOPNOTSUPP);
	/* a file mapping whose file is not in files.img */
	v[1] = anon_vma(0x10008000, 0x10009000);
	v[1].status = 1u << 0 | 1u << 6;
	v[1].flags = MAP_PRIVATE;
	v[1].shmid = 7;
	expect_rejected(v, 2, 0, ENOENT);
	/* pages that belong to no area, pages out of the user address space */
	expect_rejected(v, 1, 0x20000000, EINVAL);
	expect_rejected(v, 1, 0xfffffffffffff000, EINVAL);
	/* no pagemap at all */
	expect_rejected(v, 1, 0, ENOENT);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restore_rejects_bad_images),
		cmocka_unit_test(test_restore_one_thread),
		cmocka_unit_test(test_restore_two_threads),
		cmocka_unit_test(test_restore_abort),
	};

	if (argc == 5 && !strcmp(argv[1], "victim")) {
		strcpy(file_path, argv[2]);
		victim(atoi(argv[3]), atoi(argv[4]));
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
