// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Conformance with CRIU 4.2: every fixture image decodes to JSON equal to the
 * reference its image tool printed, and encoding that JSON gives back the
 * very same bytes.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "img/img.h"
#include "arena.h"
#include "json-parse.h"
#include "img-test.h"

/* Decode fixture @name into a new memfd. */
static int decode(const char *name, unsigned int flags)
{
	char *path = fixture_path(name);
	int in = open(path, O_RDONLY), out = memfd_create("json", 0), ret;

	assert_true(in >= 0 && out >= 0);
	ret = img_json_decode(in, name, out, flags);
	if (ret)
		fprintf(stderr, "%s: decode failed: %d\n%s", name, ret, log_text());
	assert_int_equal(ret, 0);
	close(in);
	free(path);
	return out;
}

static void test_decode_matches_reference(void **state)
{
	size_t i, len, ref_len, same_text = 0, failed = 0;
	struct arena a = { 0 };
	char *path, *ref, *ours;
	struct jnode *x, *y;
	int fd;

	for (i = 0; i < nr_fixtures; i++) {
		fd = decode(fixture_names[i], IMG_JSON_PRETTY);
		ours = fd_content(fd, &len);
		close(fd);
		assert_true(asprintf(&path, "%s/%s.json", FIXTURES_DIR, fixture_names[i]) > 0);
		ref = slurp(path, &ref_len);
		x = json_parse(&a, ours, len, "ours");
		y = json_parse(&a, ref, ref_len, path);
		assert_non_null(x);
		assert_non_null(y);
		if (!json_equal(x, y)) {
			fprintf(stderr, "%s: JSON differs from the reference\n", fixture_names[i]);
			failed++;
		}
		/* CRIU's tool is matched to the byte, indentation included. */
		if (len != ref_len || memcmp(ours, ref, len)) {
			fprintf(stderr, "%s: JSON text differs from the reference\n", fixture_names[i]);
			failed++;
		} else {
			same_text++;
		}
		arena_free(&a);
		free(ours);
		free(ref);
		free(path);
	}
	printf("%zu fixtures, %zu decode to the reference's exact text\n", nr_fixtures, same_text);
	assert_int_equal(failed, 0);
}

static void round_trip(unsigned int flags)
{
	size_t i, len, orig_len, failed = 0;
	char *orig, *back, *path;
	int json, img;

	for (i = 0; i < nr_fixtures; i++) {
		json = decode(fixture_names[i], flags);
		assert_int_equal(lseek(json, 0, SEEK_SET), 0);
		img = memfd_create("img", 0);
		assert_int_equal(img_json_encode(json, fixture_names[i], img), 0);
		back = fd_content(img, &len);
		path = fixture_path(fixture_names[i]);
		orig = slurp(path, &orig_len);
		if (len != orig_len || memcmp(orig, back, len)) {
			fprintf(stderr, "%s: re-encoded bytes differ (%zu vs %zu)\n", fixture_names[i],
				len, orig_len);
			failed++;
		}
		free(orig);
		free(back);
		free(path);
		close(json);
		close(img);
	}
	assert_int_equal(failed, 0);
}

static void test_round_trip_pretty(void **state)
{
	round_trip(IMG_JSON_PRETTY);
}

static void test_round_trip_plain(void **state)
{
	round_trip(0);
}

/* The reference JSON itself encodes to the original image. */
static void test_reference_encodes(void **state)
{
	size_t i, len, orig_len, failed = 0;
	char *path, *orig, *back;
	int in, img, ret;

	for (i = 0; i < nr_fixtures; i++) {
		assert_true(asprintf(&path, "%s/%s.json", FIXTURES_DIR, fixture_names[i]) > 0);
		in = open(path, O_RDONLY);
		img = memfd_create("img", 0);
		ret = img_json_encode(in, path, img);
		back = fd_content(img, &len);
		free(path);
		path = fixture_path(fixture_names[i]);
		orig = slurp(path, &orig_len);
		if (ret || len != orig_len || memcmp(orig, back, len)) {
			fprintf(stderr, "%s: reference JSON encodes to other bytes\n", fixture_names[i]);
			failed++;
		}
		free(orig);
		free(back);
		free(path);
		close(in);
		close(img);
	}
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_matches_reference),
		cmocka_unit_test(test_round_trip_pretty),
		cmocka_unit_test(test_round_trip_plain),
		cmocka_unit_test(test_reference_encodes),
	};

	log_capture();
	fixtures_scan();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
