// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unix sockets from handmade images (restore-unix.c): a pair comes back
 * connected with each end's queued messages, boundaries and shutdown; bad
 * entries (a peer that is nowhere, names too long or relative, unknown
 * types, repeated inodes) and bad sk-queues.img records (an unknown
 * socket, file descriptors, missing bytes) are refused with -EINVAL or
 * -ENODATA, never crash.
 */
#include <errno.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "cr/cr.h"
#include "restore-unix.h"
#include "sk-packet.pb-c.h"

/* Two entries of a datagram pair, inodes 100 and 101, file ids 1 and 2. */
struct pair {
	FileEntry fe[2];
	UnixSkEntry e[2];
	SkOptsEntry opts;
	FownEntry fown;
	ProtobufCMessage *entries[2];
};

static void pair_init(struct pair *p, unsigned int type)
{
	*p = (struct pair){.opts = SK_OPTS_ENTRY__INIT, .fown = FOWN_ENTRY__INIT};
	p->opts.so_sndbuf = p->opts.so_rcvbuf = 65536;
	for (int i = 0; i < 2; i++) {
		p->fe[i] = (FileEntry)FILE_ENTRY__INIT;
		p->e[i] = (UnixSkEntry)UNIX_SK_ENTRY__INIT;
		p->fe[i].type = FD_TYPES__UNIXSK;
		p->fe[i].id = p->e[i].id = i + 1;
		p->fe[i].usk = &p->e[i];
		p->e[i].ino = 100 + i;
		p->e[i].peer = 101 - i;
		p->e[i].type = type;
		p->e[i].state = TCP_ESTABLISHED;
		p->e[i].opts = &p->opts;
		p->e[i].fown = &p->fown;
		p->entries[i] = &p->fe[i].base;
	}
}

static char dir_path[64];
static char last_error[512];

static void log_keep(int level, const char *file, int line, const char *msg, void *ctx)
{
	snprintf(last_error, sizeof(last_error), "%s", msg);
}

/*
 * A fresh images folder (its path in dir_path), with sk-queues.img holding
 * @nr packets when given, the bytes of each @short_by short.
 */
static struct img_dir *images(const SkPacketEntry *pk, const char *const *data, size_t nr,
			      size_t short_by)
{
	char path[] = "/tmp/test-restore-unix.XXXXXX";
	struct img_dir *dir;
	struct img_file *f;

	assert_non_null(mkdtemp(path));
	dir = img_dir_open(path, 0);
	assert_non_null(dir);
	if (nr) {
		f = img_file_open(dir, "SK_QUEUES", 0, IMG_WRITE);
		assert_non_null(f);
		for (size_t i = 0; i < nr; i++) {
			assert_int_equal(img_file_write_entry(f, &pk[i].base), 0);
			if (pk[i].length)
				assert_int_equal(
					img_file_write_blob(f, data[i], pk[i].length - short_by),
					0);
		}
		assert_int_equal(img_file_close(f), 0);
	}
	strcpy(dir_path, path);
	return dir;
}

/* rst_unix_load() on @dir, which is then removed. */
static int load(struct pair *p, size_t nr_entries, struct img_dir *dir, struct rst_unix *ru)
{
	int ret = rst_unix_load(dir, p->entries, nr_entries, ru);

	unlinkat(img_dir_fd(dir), "sk-queues.img", 0);
	img_dir_close(dir);
	rmdir(dir_path);
	return ret;
}

static void test_pair_with_queues(void **state)
{
	static const char *const data[] = {"to the first", "", "back"};
	SkPacketEntry pk[3] = {SK_PACKET_ENTRY__INIT, SK_PACKET_ENTRY__INIT, SK_PACKET_ENTRY__INIT};
	struct rst_unix ru = {0};
	struct pair p;
	char buf[64];
	int a, b;

	pair_init(&p, SOCK_DGRAM);
	p.e[1].has_shutdown = true;
	p.e[1].shutdown = SK_SHUTDOWN__WRITE;
	pk[0].id_for = pk[1].id_for = 1;
	pk[2].id_for = 2;
	for (int i = 0; i < 3; i++)
		pk[i].length = strlen(data[i]);
	assert_int_equal(load(&p, 2, images(pk, data, 3, 0), &ru), 0);
	a = rst_unix_open(&ru, &p.e[0]);
	b = rst_unix_open(&ru, &p.e[1]);
	rst_unix_close_kept(&ru);
	assert_true(a >= 0 && b >= 0);
	assert_int_equal(recv(a, buf, sizeof(buf), MSG_DONTWAIT), 12);
	assert_memory_equal(buf, "to the first", 12);
	assert_int_equal(recv(a, buf, sizeof(buf), MSG_DONTWAIT), 0);
	assert_int_equal(recv(a, buf, sizeof(buf), MSG_DONTWAIT), -1);
	assert_int_equal(recv(b, buf, sizeof(buf), MSG_DONTWAIT), 4);
	assert_memory_equal(buf, "back", 4);
	/* Connected to each other, the second shut down for sending. */
	assert_int_equal(send(a, "x", 1, 0), 1);
	assert_int_equal(recv(b, buf, sizeof(buf), MSG_DONTWAIT), 1);
	assert_int_equal(send(b, "y", 1, MSG_NOSIGNAL), -1);
	close(a);
	close(b);
	rst_unix_free(&ru);
}

/* Load @p's two entries (with no queues): the result. */
static int load_pair(struct pair *p)
{
	struct rst_unix ru = {0};
	int ret = load(p, 2, images(NULL, NULL, 0, 0), &ru);

	rst_unix_free(&ru);
	return ret;
}

static void test_bad_entries(void **state)
{
	struct pair p;

	pair_init(&p, SOCK_STREAM);
	assert_int_equal(load_pair(&p), 0);
	p.e[0].peer = 999;
	assert_int_equal(load_pair(&p), -EINVAL);
	assert_string_equal(last_error, "files.img: unix socket 100 (file 1): its peer 999 is "
					"nowhere in files.img");

	pair_init(&p, SOCK_STREAM);
	p.e[1].ino = 100;
	assert_int_equal(load_pair(&p), -EINVAL);

	pair_init(&p, 7);
	assert_int_equal(load_pair(&p), -EINVAL);

	pair_init(&p, SOCK_DGRAM);
	p.e[0].name.data = (uint8_t *)calloc(1, 200);
	p.e[0].name.len = 109;
	assert_int_equal(load_pair(&p), -EINVAL);
	assert_string_equal(last_error, "files.img: unix socket file 1: its name is too long");
	p.e[0].name.data[0] = '/';
	p.e[0].name.len = 108;
	memset(p.e[0].name.data + 1, 'a', 107);
	assert_int_equal(load_pair(&p), -EINVAL);
	memcpy(p.e[0].name.data, "relative", 8);
	p.e[0].name.len = 8;
	assert_int_equal(load_pair(&p), -EINVAL);
	free(p.e[0].name.data);

	pair_init(&p, SOCK_DGRAM);
	p.e[0].state = TCP_LISTEN;
	assert_int_equal(load_pair(&p), -EINVAL);

	pair_init(&p, SOCK_STREAM);
	p.fe[0].usk = NULL;
	assert_int_equal(load_pair(&p), -EINVAL);
}

/*
 * @n bound datagram sockets, each connected to the next (the last to the
 * first when @loop), created when the first one is opened: 0 or the error.
 */
static int open_chain(size_t n, bool loop)
{
	FileEntry *fe = calloc(n, sizeof(*fe));
	UnixSkEntry *e = calloc(n, sizeof(*e));
	char(*names)[32] = calloc(n, sizeof(*names));
	ProtobufCMessage **entries = calloc(n, sizeof(*entries));
	SkOptsEntry opts = SK_OPTS_ENTRY__INIT;
	FownEntry fown = FOWN_ENTRY__INIT;
	struct rst_unix ru = {0};
	struct img_dir *dir;
	int ret;

	assert_true(fe && e && names && entries);
	opts.so_sndbuf = opts.so_rcvbuf = 65536;
	for (size_t i = 0; i < n; i++) {
		fe[i] = (FileEntry)FILE_ENTRY__INIT;
		e[i] = (UnixSkEntry)UNIX_SK_ENTRY__INIT;
		fe[i].type = FD_TYPES__UNIXSK;
		fe[i].id = e[i].id = i + 1;
		fe[i].usk = &e[i];
		e[i].ino = 1000 + i;
		e[i].peer = i + 1 < n ? 1001 + i : loop ? 1000 : 0;
		e[i].type = SOCK_DGRAM;
		e[i].state = TCP_ESTABLISHED;
		e[i].opts = &opts;
		e[i].fown = &fown;
		e[i].name.data = (uint8_t *)names[i];
		e[i].name.len = 1 + snprintf(names[i] + 1, sizeof(names[i]) - 1,
					     "crtool-test-%d-%zu", getpid(), i);
		entries[i] = &fe[i].base;
	}
	dir = images(NULL, NULL, 0, 0);
	ret = rst_unix_load(dir, entries, n, &ru);
	img_dir_close(dir);
	rmdir(dir_path);
	assert_int_equal(ret, 0);
	ret = rst_unix_open(&ru, &e[0]);
	if (ret >= 0)
		close(ret);
	rst_unix_free(&ru);
	free(fe);
	free(e);
	free(names);
	free(entries);
	return ret < 0 ? ret : 0;
}

static void test_peer_chains(void **state)
{
	/* Each connects before the one it connects to connects on. */
	assert_int_equal(open_chain(300, false), 0);
	assert_int_equal(open_chain(3, true), -EINVAL);
	assert_string_equal(last_error, "files.img: 3 unix sockets are connected in a loop");
}

static void test_bad_queues(void **state)
{
	static const char *const data[] = {"abc"};
	SkPacketEntry pk = SK_PACKET_ENTRY__INIT;
	ScmEntry scm = SCM_ENTRY__INIT, *scms[] = {&scm};
	struct rst_unix ru = {0};
	struct pair p;

	pair_init(&p, SOCK_STREAM);
	pk.id_for = 3;
	pk.length = 3;
	assert_int_equal(load(&p, 2, images(&pk, data, 1, 0), &ru), -EINVAL);
	rst_unix_free(&ru);

	pk.id_for = 1;
	pk.n_scm = 1;
	pk.scm = scms;
	assert_int_equal(load(&p, 2, images(&pk, data, 1, 0), &ru), -EINVAL);
	rst_unix_free(&ru);

	pk.n_scm = 0;
	assert_int_equal(load(&p, 2, images(&pk, data, 1, 1), &ru), -ENODATA);
	rst_unix_free(&ru);

	pk.length = 100u << 20;
	assert_int_equal(load(&p, 2, images(&pk, data, 1, (100u << 20) - 3), &ru), -EINVAL);
	rst_unix_free(&ru);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_with_queues),
		cmocka_unit_test(test_bad_entries),
		cmocka_unit_test(test_bad_queues),
		cmocka_unit_test(test_peer_chains),
	};

	cr_set_log(log_keep, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
