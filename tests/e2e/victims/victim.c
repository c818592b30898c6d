// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * main() of every victim: options, the pidfile, the wait for SIGTERM and
 * the verdict. See victim.h for the contract.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

volatile sig_atomic_t victim_terminated;
static char reason[512];

int victim_fail(const char *fmt, ...)
{
	static int taken;
	va_list ap;

	/* Threads may fail at once: the first one writes the reason. */
	if (!__atomic_exchange_n(&taken, 1, __ATOMIC_SEQ_CST)) {
		va_start(ap, fmt);
		vsnprintf(reason, sizeof(reason), fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void on_sigterm(int sig)
{
	victim_terminated = 1;
}

void victim_wait(void)
{
	sigset_t mask;

	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigdelset(&mask, SIGTERM);
	while (!victim_terminated)
		sigsuspend(&mask);
}

static unsigned char pattern_byte(size_t off, unsigned int seed)
{
	return (unsigned char)((off * 2654435761u + seed * 40503u) >> 7 ^ seed);
}

void victim_fill(void *buf, size_t len, unsigned int seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pattern_byte(i, seed);
}

int victim_check_pattern(const char *what, const void *buf, size_t len, unsigned int seed)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern_byte(i, seed))
			return victim_fail("%s differs at byte %zu", what, i);
	return 0;
}

int victim_check_perms(const char *what, const void *addr, const char *want)
{
	unsigned long start, end, a = (unsigned long)addr;
	char line[512], perms[5];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!f)
		return victim_fail("open /proc/self/maps: %m");
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 && a >= start &&
			a < end;
	fclose(f);
	if (!found)
		return victim_fail("%s is not mapped", what);
	return strcmp(perms, want) ? victim_fail("%s is %s, not %s", what, perms, want) : 0;
}

int victim_unix_path(struct sockaddr_un *sa, const char *name)
{
	char cwd[PATH_MAX];

	sa->sun_family = AF_UNIX;
	if (!getcwd(cwd, sizeof(cwd)) || snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s", cwd,
						  name) >= (int)sizeof(sa->sun_path))
		return -1;
	return 0;
}

int victim_reap(pid_t pid, char *why, size_t size)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return snprintf(why, size, "%d is no longer a child of %d", pid, getpid());
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return snprintf(why, size, "%d ended with status %#x", pid, status);
	return 0;
}

/* Writes text to path through a temporary name, so a reader never sees half of it. */
static int write_file(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fputs(text, f);
	if (fclose(f) || rename(tmp, path))
		return -1;
	return 0;
}

static int verdict(const char *outfile)
{
	char text[sizeof(reason) + 16];

	if (reason[0])
		snprintf(text, sizeof(text), "FAIL: %s\n", reason);
	else
		snprintf(text, sizeof(text), "PASS\n");
	if (write_file(outfile, text)) {
		fprintf(stderr, "cannot write %s: %m\n", outfile);
		return 2;
	}
	return reason[0] ? 1 : 0;
}

static int usage(const char *prog)
{
	fprintf(stderr, "Usage: %s --pidfile FILE --outfile FILE [--OPTION VALUE...]\n", prog);
	return 2;
}

int main(int argc, char **argv)
{
	const char *pidfile = NULL, *outfile = NULL;
	struct sigaction sa = {.sa_handler = on_sigterm};
	struct timespec ready, now;
	sigset_t term;
	char pid[32];
	pid_t self;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--pidfile"))
			pidfile = argv[i + 1];
		else if (!strcmp(argv[i], "--outfile"))
			outfile = argv[i + 1];
		else if (strncmp(argv[i], "--", 2) || !victim.option ||
			 victim.option(argv[i] + 2, argv[i + 1]))
			return usage(argv[0]);
	}
	if (i != argc || !pidfile || !outfile)
		return usage(argv[0]);

	/* Fds inherited beyond stdio (a test runner's pipes) are not the victim's state. */
	close_range(3, ~0U, 0);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (victim.setup() == 0) {
		self = getpid();
		snprintf(pid, sizeof(pid), "%d\n", self);
		if (write_file(pidfile, pid)) {
			victim_fail("write %s: %m", pidfile);
			return verdict(outfile);
		}
		clock_gettime(CLOCK_MONOTONIC, &ready);

		(victim.wait ? victim.wait : victim_wait)();

		/* The same process carried on: same pid, time went forward. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (getpid() != self)
			victim_fail("pid %d is now %d", self, getpid());
		else if (now.tv_sec < ready.tv_sec ||
			 (now.tv_sec == ready.tv_sec && now.tv_nsec < ready.tv_nsec))
			victim_fail("the monotonic clock went back");
		else
			victim.check();
	}
	return verdict(outfile);
}
