// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Payloads the fixtures do not have: SysV message queues and semaphores,
 * chunked ghost files. JSON in, the expected bytes out, the same JSON back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "img/img.h"
#include "img-test.h"

/* Encode @json; its bytes must be @want; decoding gives @json again. */
static void round_trip(const char *json, const char *want, size_t want_len)
{
	int in = memfd_with(json, strlen(json)), img = memfd_create("img", 0), out = memfd_create("out", 0);
	char *bytes, *text;
	size_t len;

	log_reset();
	if (img_json_encode(in, "payload.json", img))
		fail_msg("encode failed: %s", log_text());
	bytes = fd_content(img, &len);
	assert_int_equal(len, want_len);
	assert_memory_equal(bytes, want, len);
	assert_int_equal(lseek(img, 0, SEEK_SET), 0);
	assert_int_equal(img_json_decode(img, "payload.img", out, 0), 0);
	text = fd_content(out, &len);
	assert_string_equal(text, json);
	free(bytes);
	free(text);
	close(in);
	close(img);
	close(out);
}

#define DESC "\"desc\": {\"key\": 1, \"uid\": 0, \"gid\": 0, \"cuid\": 0, \"cgid\": 0, \"mode\": 420, \"id\": 5}"
#define DESC_PB "\x0a\x0f\x08\x01\x10\x00\x18\x00\x20\x00\x28\x00\x30\xa4\x03\x38\x05"

static void test_msg_queue(void **state)
{
	static const char json[] =
		"{\"magic\": \"IPCNS_MSG\", \"entries\": [{" DESC ", \"qbytes\": 16384, \"qnum\": 2, "
		"\"extra\": [{\"mtype\": 1, \"msize\": 3}, \"YWJj\\n\", {\"mtype\": 2, \"msize\": 0}, \"\"]}]}";
	static const char want[] =
		"\x19\x43\x56\x54\x37\x37\x45\x55"           /* common magic, IPCNS_MSG */
		"\x17\x00\x00\x00" DESC_PB "\x10\x80\x80\x01\x18\x02"
		"\x04\x00\x00\x00\x08\x01\x10\x03" "abc\0\0\0\0\0" /* message, data padded to 8 */
		"\x04\x00\x00\x00\x08\x02\x10\x00";

	round_trip(json, want, sizeof(want) - 1);
}

static void test_semaphores(void **state)
{
	static const char json[] =
		"{\"magic\": \"IPCNS_SEM\", \"entries\": [{" DESC ", \"nsems\": 3, \"extra\": [1, 2, 65535]}]}";
	static const char want[] =
		"\x19\x43\x56\x54\x19\x30\x57\x59"
		"\x13\x00\x00\x00" DESC_PB "\x10\x03"
		"\x01\x00\x02\x00\xff\xff\x00\x00";

	round_trip(json, want, sizeof(want) - 1);
}

static void test_ghost_chunks(void **state)
{
	static const char json[] =
		"{\"magic\": \"GHOST_FILE\", \"entries\": [{\"uid\": 0, \"gid\": 0, \"mode\": 33188, "
		"\"chunks\": true}, {\"len\": 2, \"off\": 4096, \"extra\": \"aGk=\\n\"}, "
		"{\"len\": 1, \"off\": 8192, \"extra\": \"IQ==\\n\"}]}";
	/* The file's entry, then each chunk entry followed by its data. */
	static const char want[] =
		"\x19\x43\x56\x54\x05\x36\x58\x52"
		"\x0a\x00\x00\x00\x08\x00\x10\x00\x18\xa4\x83\x02\x48\x01"
		"\x05\x00\x00\x00\x08\x02\x10\x80\x20" "hi"
		"\x05\x00\x00\x00\x08\x01\x10\x80\x40" "!";

	round_trip(json, want, sizeof(want) - 1);
}

/* A payload whose length does not match its entry cannot be encoded. */
static void test_length_mismatch(void **state)
{
	static const char *const bad[] = {
		"{\"magic\": \"PIPES_DATA\", \"entries\": [{\"pipe_id\": 1, \"bytes\": 3, \"extra\": \"YQ==\\n\"}]}",
		"{\"magic\": \"PIPES_DATA\", \"entries\": [{\"pipe_id\": 1, \"bytes\": 3}]}",
		"{\"magic\": \"IPCNS_SEM\", \"entries\": [{" DESC ", \"nsems\": 2, \"extra\": [1]}]}",
		"{\"magic\": \"IPCNS_SEM\", \"entries\": [{" DESC ", \"nsems\": 1, \"extra\": [70000]}]}",
		("{\"magic\": \"TCP_STREAM\", \"entries\": [{\"inq_len\": 1, \"inq_seq\": 0, \"outq_len\": 0, "
		 "\"outq_seq\": 0, \"opt_mask\": 0, \"snd_wscale\": 0, \"mss_clamp\": 0, "
		 "\"extra\": {\"inq\": \"\", \"outq\": \"\"}}]}"),
	};
	size_t i;
	int in, img;

	log_capture();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in = memfd_with(bad[i], strlen(bad[i]));
		img = memfd_create("img", 0);
		if (img_json_encode(in, "bad.json", img) != -EINVAL)
			fail_msg("case %zu encoded: %s", i, bad[i]);
		close(in);
		close(img);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msg_queue),
		cmocka_unit_test(test_semaphores),
		cmocka_unit_test(test_ghost_chunks),
		cmocka_unit_test(test_length_mismatch),
	};

	log_capture();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
