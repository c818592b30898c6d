// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Damaged images: each damage gives its own error, logged with the file name
 * and offset, and nothing crashes (these tests also run under ASan+UBSan).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "img/img.h"
#include "img-test.h"

static int decode_bytes(const char *data, size_t len)
{
	int in = memfd_with(data, len), out = open("/dev/null", O_WRONLY), ret;

	ret = img_json_decode(in, "damaged.img", out, IMG_JSON_PRETTY);
	close(in);
	close(out);
	return ret;
}

static bool known_error(int ret)
{
	return ret == -ENODATA || ret == -EOVERFLOW || ret == -EBADMSG || ret == -EINVAL ||
	       ret == -EFBIG || ret == -ENOTSUP;
}

/* Cut @name at every offset: a cut inside the magic or an entry is an error. */
static void cut_everywhere(const char *name)
{
	char *path = fixture_path(name), *data;
	size_t len, cut;
	int ret;

	data = slurp(path, &len);
	for (cut = 0; cut < len; cut++) {
		log_reset();
		ret = decode_bytes(data, cut);
		if (cut < 8) {
			assert_int_equal(ret, -ENODATA);
			assert_non_null(strstr(log_text(), "damaged.img"));
		}
		assert_true(ret == 0 || known_error(ret));
		if (ret)
			assert_non_null(strstr(log_text(), "offset"));
	}
	free(data);
	free(path);
}

static void test_truncated(void **state)
{
	cut_everywhere("fdzoo/pstree.img");
	cut_everywhere("fdzoo/pipes-data.img");
	cut_everywhere("fdzoo/sk-queues.img");
	cut_everywhere("fdzoo/pagemap-23897.img");
	cut_everywhere("fdzoo/core-23897.img");
	cut_everywhere("tcp/files.img");
	cut_everywhere("tcp/tcp-stream-2f626.img");
}

/* Cut inside the first entry: -EOVERFLOW from a file, -ENODATA from a pipe. */
static void test_truncated_entry(void **state)
{
	char *path = fixture_path("fdzoo/pstree.img"), *data;
	int p[2], out = open("/dev/null", O_WRONLY);
	size_t len;

	data = slurp(path, &len);
	log_reset();
	assert_int_equal(decode_bytes(data, 14), -EOVERFLOW);
	assert_non_null(strstr(log_text(), "damaged.img: entry at offset 8"));
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], data, 14), 14);
	close(p[1]);
	log_reset();
	assert_int_equal(img_json_decode(p[0], "piped.img", out, 0), -ENODATA);
	assert_non_null(strstr(log_text(), "piped.img: file ends inside the entry at offset 8"));
	close(p[0]);
	close(out);
	free(data);
	free(path);
}

static void test_bad_magic(void **state)
{
	char *path = fixture_path("fdzoo/pstree.img"), *data;
	size_t len;

	data = slurp(path, &len);
	data[5] ^= 0x40; /* the kind's magic: unknown */
	log_reset();
	assert_int_equal(decode_bytes(data, len), -EINVAL);
	assert_non_null(strstr(log_text(), "unknown magic"));
	data[5] ^= 0x40;
	data[0] ^= 0x01; /* the common magic */
	assert_int_equal(decode_bytes(data, len), -EINVAL);
	free(data);
	free(path);
}

static void test_wrong_kind(void **state)
{
	char *path = fixture_path("fdzoo/pstree.img");
	struct img_file *f;

	log_reset();
	f = img_file_open_fd(open(path, O_RDONLY), path, "CORE", IMG_READ);
	assert_null(f);
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(log_text(), "not CORE's"));
	free(path);
}

static void put_u32(char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void test_huge_lengths(void **state)
{
	char *path = fixture_path("fdzoo/pstree.img"), *data;
	size_t len;

	data = slurp(path, &len);
	put_u32(data + 8, 0xffffffff);
	log_reset();
	assert_int_equal(decode_bytes(data, len), -EFBIG);
	assert_non_null(strstr(log_text(), "more than the limit"));
	put_u32(data + 8, 4096);
	assert_int_equal(decode_bytes(data, len), -EOVERFLOW);
	free(data);
	free(path);

	/* A payload length far past the end of the file. */
	path = fixture_path("fdzoo/pipes-data.img");
	data = slurp(path, &len);
	log_reset();
	assert_int_equal(decode_bytes(data, len - 1), -EOVERFLOW);
	assert_non_null(strstr(log_text(), "payload of 10 bytes"));
	free(data);
	free(path);
}

static void test_bad_protobuf(void **state)
{
	/* common magic, pstree magic, a 3-byte entry: field 1 as a bad varint */
	static const char img[] = "\x19\x43\x56\x54\x30\x30\x27\x50\x03\x00\x00\x00\x08\xff\xff";

	log_reset();
	assert_int_equal(decode_bytes(img, sizeof(img) - 1), -EBADMSG);
	assert_non_null(strstr(log_text(), "entry at offset 8 (3 bytes) does not unpack"));
}

/* Prepends field 2 (length-delimited) around the @len bytes ending at @end. */
static size_t wrap(char *end, size_t len)
{
	char *p = end - len;
	size_t n = len;
	uint8_t v[10];
	int k = 0;

	do {
		v[k++] = (n & 0x7f) | (n > 0x7f ? 0x80 : 0);
		n >>= 7;
	} while (n);
	while (k)
		*--p = v[--k];
	*--p = 0x12;
	return end - p;
}

/* A cgroup directory nested 200000 deep: refused, not a stack overflow. */
static void test_deep_nesting(void **state)
{
	size_t cap = 4 << 20, len = 0, i;
	char *buf = malloc(cap), *end = buf + cap;
	uint32_t size;

	assert_non_null(buf);
	for (i = 0; i < 200000 + 2; i++)
		len = wrap(end, len);
	size = len;
	memcpy(end - len - 4, &size, 4);
	memcpy(end - len - 12, "\x19\x43\x56\x54\x30\x33\x38\x59", 8); /* CGROUP */
	log_reset();
	assert_int_equal(decode_bytes(end - len - 12, len + 12), -EBADMSG);
	assert_non_null(strstr(log_text(), "nests messages more than"));
	free(buf);
}

/* Every byte flipped in turn: any result but a crash. */
static void test_flipped_bytes(void **state)
{
	static const char *const names[] = { "fdzoo/pstree.img", "fdzoo/files.img",
					     "fdzoo/mm-23897.img" };
	size_t i, len, k;
	char *path, *data;
	int ret;

	for (k = 0; k < 3; k++) {
		path = fixture_path(names[k]);
		data = slurp(path, &len);
		for (i = 0; i < len; i++) {
			data[i] ^= 0xa5;
			ret = decode_bytes(data, len);
			assert_true(ret == 0 || known_error(ret));
			data[i] ^= 0xa5;
		}
		free(data);
		free(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_truncated_entry),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_wrong_kind),
		cmocka_unit_test(test_huge_lengths),
		cmocka_unit_test(test_bad_protobuf),
		cmocka_unit_test(test_flipped_bytes),
		cmocka_unit_test(test_deep_nesting),
	};

	log_capture();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
