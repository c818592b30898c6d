// SPDX-License-Identifier: LGPL-2.1-or-later
/* The text pieces of the JSON form: base64, quoted-printable, JSON itself. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "bufio.h"
#include "json-parse.h"
#include "json-write.h"
#include "text-codecs.h"
#include "img-test.h"

static void check_qp(const char *in, size_t len, const char *want)
{
	char out[256];
	uint8_t back[256];

	assert_int_equal(qp_encode((const uint8_t *)in, len, out), strlen(want));
	assert_string_equal(out, want);
	assert_int_equal(qp_decode(out, strlen(out), back), len);
	assert_memory_equal(back, in, len);
}

/* Expected texts are what Python's quopri.encodestring() gives. */
static void test_quoted_printable(void **state)
{
	char xs[80], zeros[30];

	check_qp("\0abc", 4, "=00abc");
	check_qp("a b ", 4, "a b=20");
	check_qp("=x", 2, "=3Dx");
	check_qp(".", 1, "=2E");
	check_qp("tab\t\nend", 8, "tab=09\nend");
	check_qp("", 0, "");
	memset(xs, 'x', sizeof(xs));
	check_qp(xs, sizeof(xs),
		 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=\n" "xxxxx");
	memset(zeros, 0, sizeof(zeros));
	check_qp(zeros, sizeof(zeros),
		 "=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=00=\n"
		 "=00=00=00=00=00");
}

/* Lines as Python's base64.encodebytes() writes them. */
static void test_base64(void **state)
{
	uint8_t in[60], back[100];
	char line[100];
	size_t n, i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = i;
	n = base64_line(in, B64_LINE_BYTES, line);
	assert_int_equal(n, 77);
	assert_memory_equal(line, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\n", n);
	n = base64_line(in + 57, 3, line);
	assert_memory_equal(line, "OTo7\n", n);
	assert_int_equal(base64_decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\nOTo7\n",
				       82, back), 60);
	assert_memory_equal(back, in, 60);
	assert_int_equal(base64_decode("ZmlmbyE=\n", 9, back), 5);
	assert_memory_equal(back, "fifo!", 5);
	assert_int_equal(base64_decode("Zm", 2, back), -1);
	assert_int_equal(base64_decode("", 0, back), 0);
}

static char *write_json(bool pretty, void (*fill)(struct jw *))
{
	int fd = memfd_with("", 0);
	struct wbuf w;
	struct jw j;
	size_t len;
	char *text;

	assert_int_equal(wbuf_init(&w, fd), 0);
	jw_init(&j, &w, pretty);
	fill(&j);
	assert_int_equal(jw_error(&j), 0);
	assert_int_equal(wbuf_fini(&w), 0);
	text = fd_content(fd, &len);
	close(fd);
	return text;
}

static void fill_sample(struct jw *j)
{
	jw_open(j, '{');
	jw_key(j, "a");
	jw_literal(j, "1");
	jw_key(j, "s");
	jw_string(j, "h\xc3\xa9\xf0\x9f\x98\x80\x01\"\\\x7f\xff", 12);
	jw_key(j, "l");
	jw_open(j, '[');
	jw_literal(j, "true");
	jw_open(j, '{');
	jw_close(j, '}');
	jw_close(j, ']');
	jw_key(j, "e");
	jw_open(j, '[');
	jw_close(j, ']');
	jw_close(j, '}');
}

/* Text as Python's json.dump() writes it, plain and with indent=4. */
static void test_json_writer(void **state)
{
	char *plain = write_json(false, fill_sample), *pretty = write_json(true, fill_sample);

	assert_string_equal(plain, "{\"a\": 1, \"s\": \"h\\u00e9\\ud83d\\ude00\\u0001\\\"\\\\\x7f\\udcff\", "
				   "\"l\": [true, {}], \"e\": []}");
	assert_string_equal(pretty, "{\n    \"a\": 1,\n    \"s\": \"h\\u00e9\\ud83d\\ude00\\u0001\\\"\\\\\x7f\\udcff\",\n"
				    "    \"l\": [\n        true,\n        {}\n    ],\n    \"e\": []\n}");
	free(plain);
	free(pretty);
}

static void test_json_parser(void **state)
{
	static const char text[] = " {\"a\": [1, -2, 3.5e1, \"x\\u00e9\\ud83d\\ude00\\udcff\"], \"b\": {\"c\": null, "
				   "\"d\": false}, \"n\": 18446744073709551615} ";
	struct arena a = { 0 };
	struct jnode *root, *n, *other;
	uint64_t u;
	int64_t i;

	log_capture();
	root = json_parse(&a, text, sizeof(text) - 1, "t");
	assert_non_null(root);
	n = json_get(root, "a");
	assert_int_equal(n->n, 4);
	assert_int_equal(json_int(n->first->next, &i), 0);
	assert_int_equal(i, -2);
	assert_int_equal(json_uint(n->first->next, &u), -EINVAL);
	assert_int_equal(json_int(n->first->next->next, &i), -EINVAL);
	assert_string_equal(n->first->next->next->next->s, "x\xc3\xa9\xf0\x9f\x98\x80\xff");
	assert_int_equal(json_uint(json_get(root, "n"), &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(json_get(json_get(root, "b"), "d")->type, J_BOOL);
	other = json_parse(&a, text, sizeof(text) - 1, "t");
	assert_true(json_equal(root, other));
	other = json_parse(&a, "{\"b\": 1, \"a\": 2}", 16, "t");
	assert_false(json_equal(other, json_parse(&a, "{\"a\": 2, \"b\": 1}", 16, "t")));

	assert_null(json_parse(&a, "{\"a\" 1}", 7, "bad.json"));
	assert_non_null(strstr(log_text(), "bad.json: bad JSON at offset 5"));
	assert_null(json_parse(&a, "[1,", 3, "t"));
	assert_null(json_parse(&a, "\"abc", 4, "t"));
	assert_null(json_parse(&a, "[1] x", 5, "t"));
	assert_null(json_parse(&a, "\"\\u12\"", 6, "t"));
	arena_free(&a);
}

static void test_json_depth_limit(void **state)
{
	static char deep[100000];
	struct arena a = { 0 };

	memset(deep, '[', sizeof(deep));
	assert_null(json_parse(&a, deep, sizeof(deep), "deep"));
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_json_parser),
		cmocka_unit_test(test_json_depth_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
