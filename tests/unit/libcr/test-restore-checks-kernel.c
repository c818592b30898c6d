// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cr_restore() refuses, before it creates anything, a real dump it cannot
 * restore: the images of a real child (cr_dump), altered the way a dump
 * from another CPU would be, or restored by a caller with fewer privileges
 * than the dumped task, must fail with nothing forked and the dumped PID
 * still free. The same dump restores as root, unaltered. Seccomp state,
 * strict or filters, comes back, and bad filters are refused.
 */
#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cr/cr.h"
#include "images.h"

/* XSAVE features of AMX (tile config and data), which the test needs this CPU to lack. */
#define XFEATURE_AMX (1ULL << 17 | 1ULL << 18)

static char log_text[16384];

static void log_keep(int level, const char *file, int line, const char *msg, void *ctx)
{
	size_t used = strlen(log_text);

	if (level <= CR_LOG_WARN)
		fprintf(stderr, "%s\n", msg);
	snprintf(log_text + used, sizeof(log_text) - used, "%s\n", msg);
}

/* The Seccomp: line of /proc/PID/status: SECCOMP_MODE_*. */
static int seccomp_mode_of(pid_t pid)
{
	char path[64], line[128];
	int mode = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		sscanf(line, "Seccomp: %d", &mode);
	fclose(f);
	return mode;
}

static bool no_seccomp(pid_t pid)
{
	return seccomp_mode_of(pid) == SECCOMP_MODE_DISABLED;
}

/*
 * A child alone in its session, doing nothing (or @life, after which
 * @settled holds); dumped by cr_dump(), which ends it.
 */
static pid_t dump_child(int dirfd, void (*life)(void), bool (*settled)(pid_t))
{
	struct cr_dump_opts opts = {.sz = sizeof(opts), .images_dirfd = dirfd};
	int ready[2], status;
	pid_t pid;
	char c;

	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		setsid();
		for (int fd = 0; fd < 3; fd++)
			dup2(null, fd);
		close(null);
		close(ready[0]);
		close(ready[1]);
		if (life)
			life();
		for (;;)
			pause();
	}
	close(ready[1]);
	/* the child closed its end: it is alone in its session with its fds in place */
	assert_int_equal(read(ready[0], &c, 1), 0);
	close(ready[0]);
	while (!settled(pid))
		usleep(1000);
	opts.pid = pid;
	assert_int_equal(cr_dump(&opts), 0);
	/* the dump ended the child; it may have reaped it too */
	if (waitpid(pid, &status, 0) != pid)
		assert_int_equal(errno, ECHILD);
	return pid;
}

/* Add @bits to the XSAVE features thread @tid of the dump uses. */
static void use_xfeatures(struct img_dir *dir, pid_t tid, uint64_t bits)
{
	CoreEntry *core;

	assert_int_equal(cr_img_read_one(dir, "CORE", tid, &core_entry__descriptor,
					 (ProtobufCMessage **)&core),
			 0);
	assert_non_null(core->thread_info->fpregs->xsave);
	core->thread_info->fpregs->xsave->xstate_bv ^= bits;
	assert_int_equal(cr_img_write_one(dir, "CORE", tid, &core->base), 0);
	protobuf_c_message_free_unpacked(&core->base, NULL);
}

static void remove_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			assert_int_equal(unlinkat(dirfd(d), e->d_name, 0), 0);
	closedir(d);
	assert_int_equal(rmdir(path), 0);
}

static int restore(int dirfd, pid_t *root)
{
	struct cr_restore_opts opts = {
		.sz = sizeof(opts), .images_dirfd = dirfd, .flags = CR_RESTORE_DETACHED};

	log_text[0] = 0;
	return cr_restore(&opts, root);
}

/* Nothing was created: crtool has no child, and @pid is free. */
static void nothing_forked(pid_t pid)
{
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	assert_int_equal(kill(pid, 0), -1);
	assert_int_equal(errno, ESRCH);
}

static void test_refuses_xsave_features_missing_here(void **state)
{
	char path[] = "/tmp/crtool-rst-checks-XXXXXX";
	struct img_dir *dir;
	pid_t pid, root = 0;
	unsigned int xcr0_lo, b, c, d;
	int dirfd, status;

	/* CPUID 0xD.0 EAX: the low XCR0 bits this CPU supports */
	__cpuid_count(0xd, 0, xcr0_lo, b, c, d);
	if (xcr0_lo & XFEATURE_AMX)
		skip();
	assert_non_null(mkdtemp(path));
	dirfd = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(dirfd >= 0);
	pid = dump_child(dirfd, NULL, no_seccomp);
	dir = img_dir_open(path, 0);
	assert_non_null(dir);

	use_xfeatures(dir, pid, XFEATURE_AMX);
	assert_int_equal(restore(dirfd, &root), -EOPNOTSUPP);
	assert_non_null(strstr(log_text, "lacks the XSAVE features amx-tilecfg amx-tiledata"));
	nothing_forked(pid);

	/* the same dump, as it was taken, runs here */
	use_xfeatures(dir, pid, XFEATURE_AMX);
	assert_int_equal(restore(dirfd, &root), 0);
	assert_int_equal(root, pid);
	assert_int_equal(kill(root, SIGKILL), 0);
	assert_int_equal(waitpid(root, &status, 0), root);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	img_dir_close(dir);
	close(dirfd);
	remove_dir(path);
}

/*
 * In a child: become uid and gid @uid with no group and only the
 * capabilities @caps, restore the dump in @dirfd, and exit 0 if that failed
 * with -EPERM, a log line holding @why and no child created.
 */
static void restore_as(int dirfd, uid_t uid, uint64_t caps, const char *why)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2] = {{(uint32_t)caps, (uint32_t)caps, 0},
					      {(uint32_t)(caps >> 32), (uint32_t)(caps >> 32), 0}};
	pid_t child, root = 0;
	int status, ret;

	child = fork();
	assert_true(child >= 0);
	if (!child) {
		if (prctl(PR_SET_KEEPCAPS, 1) || setgroups(0, NULL) || setresgid(uid, uid, uid) ||
		    setresuid(uid, uid, uid) || syscall(SYS_capset, &hdr, d))
			_exit(10);
		ret = restore(dirfd, &root);
		if (ret != -EPERM)
			_exit(11);
		if (!strstr(log_text, why))
			_exit(12);
		_exit(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD ? 0 : 13);
	}
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Make every image of the dump in @path readable by anyone. */
static void share_images(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			assert_int_equal(fchmodat(dirfd(d), e->d_name, 0644, 0), 0);
	closedir(d);
	assert_int_equal(chmod(path, 0755), 0);
}

static void nobody_life(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		_exit(1);
}

static bool runs_as_nobody(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d", pid);
	return !stat(path, &st) && st.st_uid == 65534;
}

/*
 * A caller of the tree's own uid, allowed to choose PIDs, is refused a
 * tree whose credentials it cannot set (the restorer needs CAP_SETPCAP and
 * CAP_SETGID for any).
 */
static void test_same_uid_caller_needs_setpcap_setgid(void **state)
{
	char path[] = "/tmp/crtool-rst-checks-XXXXXX";
	pid_t pid;
	int dirfd;

	if (geteuid())
		skip();
	assert_non_null(mkdtemp(path));
	dirfd = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(dirfd >= 0);
	pid = dump_child(dirfd, nobody_life, runs_as_nobody);
	share_images(path);
	restore_as(dirfd, 65534, 1ULL << CAP_CHECKPOINT_RESTORE,
		   "restoring credentials needs CAP_SETPCAP and CAP_SETGID, which crtool (uid "
		   "65534) lacks");
	nothing_forked(pid);
	close(dirfd);
	remove_dir(path);
}

static void test_unprivileged_caller_refused(void **state)
{
	char path[] = "/tmp/crtool-rst-checks-XXXXXX";
	pid_t pid, root = 0;
	int dirfd, status;

	if (geteuid())
		skip();
	assert_non_null(mkdtemp(path));
	dirfd = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(dirfd >= 0);
	pid = dump_child(dirfd, NULL, no_seccomp);
	/* so that what refuses the restore is not the files' modes */
	share_images(path);

	restore_as(dirfd, 65534, 0, "needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE");
	nothing_forked(pid);
	/* allowed to choose PIDs, not to become root */
	restore_as(dirfd, 65534, 1ULL << CAP_CHECKPOINT_RESTORE,
		   "runs as uid 0: crtool, as uid 65534 without CAP_SETUID");
	nothing_forked(pid);

	/* root restores it */
	assert_int_equal(restore(dirfd, &root), 0);
	assert_int_equal(root, pid);
	assert_int_equal(kill(root, SIGKILL), 0);
	assert_int_equal(waitpid(root, &status, 0), root);
	close(dirfd);
	remove_dir(path);
}

/* In strict mode, a handler's getpid kills the task; outside, it exits 0. */
static void on_usr1(int sig)
{
	syscall(SYS_getpid);
	syscall(SYS_exit, 0);
}

static void strict_life(void)
{
	signal(SIGUSR1, on_usr1);
	prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT);
	for (;;)
		__asm__ volatile("pause");
}

static bool in_strict_mode(pid_t pid)
{
	return seccomp_mode_of(pid) == SECCOMP_MODE_STRICT;
}

/* A task in seccomp strict mode is still in it after the restore. */
static void test_restores_seccomp_strict(void **state)
{
	char path[] = "/tmp/crtool-rst-checks-XXXXXX";
	pid_t pid, root = 0;
	int dirfd, status;

	assert_non_null(mkdtemp(path));
	dirfd = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(dirfd >= 0);
	pid = dump_child(dirfd, strict_life, in_strict_mode);
	assert_int_equal(restore(dirfd, &root), 0);
	assert_int_equal(root, pid);
	assert_int_equal(seccomp_mode_of(root), SECCOMP_MODE_STRICT);
	assert_int_equal(kill(root, SIGUSR1), 0);
	assert_int_equal(waitpid(root, &status, 0), root);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	close(dirfd);
	remove_dir(path);
}

/* One filter that allows everything, after no_new_privs. */
static void filter_life(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = {1, &allow};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		_exit(1);
}

static bool in_filter_mode(pid_t pid)
{
	return seccomp_mode_of(pid) == SECCOMP_MODE_FILTER;
}

/* Drop the no_new_privs and the capabilities of thread @tid in the dump (or give them back). */
static void toggle_privs(struct img_dir *dir, pid_t tid)
{
	CoreEntry *core;
	CredsEntry *cr;

	assert_int_equal(cr_img_read_one(dir, "CORE", tid, &core_entry__descriptor,
					 (ProtobufCMessage **)&core),
			 0);
	cr = core->thread_core->creds;
	cr->no_new_privs = !cr->no_new_privs;
	cr->cap_eff[0] = ~cr->cap_eff[0];
	assert_int_equal(cr_img_write_one(dir, "CORE", tid, &core->base), 0);
	protobuf_c_message_free_unpacked(&core->base, NULL);
}

/* Make filter 0 of seccomp.img follow itself (or not any more). */
static void toggle_loop(struct img_dir *dir)
{
	SeccompEntry *e;

	assert_int_equal(cr_img_read_one(dir, "SECCOMP", 0, &seccomp_entry__descriptor,
					 (ProtobufCMessage **)&e),
			 0);
	assert_int_equal(e->n_seccomp_filters, 1);
	e->seccomp_filters[0]->has_prev = !e->seccomp_filters[0]->has_prev;
	assert_int_equal(cr_img_write_one(dir, "SECCOMP", 0, &e->base), 0);
	protobuf_c_message_free_unpacked(&e->base, NULL);
}

/*
 * A filter restores; the restore of one that loops, or that the task could
 * not have installed, is refused with nothing forked.
 */
static void test_seccomp_filters_checked(void **state)
{
	char path[] = "/tmp/crtool-rst-checks-XXXXXX";
	struct img_dir *dir;
	pid_t pid, root = 0;
	int dirfd, status;

	assert_non_null(mkdtemp(path));
	dirfd = open(path, O_RDONLY | O_DIRECTORY);
	assert_true(dirfd >= 0);
	pid = dump_child(dirfd, filter_life, in_filter_mode);
	dir = img_dir_open(path, 0);
	assert_non_null(dir);

	toggle_loop(dir);
	assert_int_equal(restore(dirfd, &root), -EINVAL);
	assert_non_null(strstr(log_text, "its seccomp filters in seccomp.img loop"));
	nothing_forked(pid);
	toggle_loop(dir);

	toggle_privs(dir, pid);
	assert_int_equal(restore(dirfd, &root), -EOPNOTSUPP);
	assert_non_null(strstr(log_text, "need no_new_privs or CAP_SYS_ADMIN"));
	nothing_forked(pid);
	toggle_privs(dir, pid);

	assert_int_equal(restore(dirfd, &root), 0);
	assert_int_equal(root, pid);
	assert_int_equal(seccomp_mode_of(root), SECCOMP_MODE_FILTER);
	assert_int_equal(kill(root, SIGKILL), 0);
	assert_int_equal(waitpid(root, &status, 0), root);
	img_dir_close(dir);
	close(dirfd);
	remove_dir(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refuses_xsave_features_missing_here),
		cmocka_unit_test(test_unprivileged_caller_refused),
		cmocka_unit_test(test_same_uid_caller_needs_setpcap_setgid),
		cmocka_unit_test(test_restores_seccomp_strict),
		cmocka_unit_test(test_seccomp_filters_checked),
	};

	cr_set_log(log_keep, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
