// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdbool.h>
#include <string.h>

#include "text-codecs.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t base64_line(const uint8_t *in, size_t len, char *out)
{
	size_t i, o = 0;
	uint32_t v;

	for (i = 0; i + 2 < len; i += 3) {
		v = in[i] << 16 | in[i + 1] << 8 | in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = b64[v >> 6 & 63];
		out[o++] = b64[v & 63];
	}
	if (i < len) {
		v = in[i] << 16 | (i + 1 < len ? in[i + 1] << 8 : 0);
		out[o++] = b64[v >> 18];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	out[o++] = '\n';
	return o;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? p - b64 : -1;
}

long base64_decode(const char *in, size_t len, uint8_t *out)
{
	uint32_t acc = 0;
	size_t i, o = 0;
	int bits = 0, v, quantum = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '=') {
			/* Padding ends the data. */
			if (quantum == 0 || quantum == 1)
				return quantum ? -1 : (long)o;
			return o;
		}
		v = b64_value(in[i]);
		if (v < 0)
			continue;
		acc = acc << 6 | v;
		bits += 6;
		quantum = (quantum + 1) % 4;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = acc >> bits;
		}
	}
	return quantum == 0 ? (long)o : -1;
}

#define QP_LINE 76

static const char hex[] = "0123456789ABCDEF";

/*
 * Python's rules: '=', bytes above '~' and control bytes other than tab,
 * space and line ends are escaped; so are a tab or space that ends the data
 * or a line, and a '.' alone on a line. Lines break softly ("=\n") before
 * reaching 76 characters.
 */
static int qp_needs_escape(const uint8_t *in, size_t i, size_t len, size_t linelen)
{
	uint8_t c = in[i];
	bool last = i + 1 == len;

	if (c > '~' || c == '=')
		return 1;
	if (c == '.' && linelen == 0 && (last || in[i + 1] == '\n' || in[i + 1] == '\r' || !in[i + 1]))
		return 1;
	if ((c == '\t' || c == ' ') && last)
		return 1;
	return c < '!' && c != '\r' && c != '\n' && c != '\t' && c != ' ';
}

size_t qp_encode(const uint8_t *in, size_t len, char *out)
{
	size_t i, o = 0, linelen = 0;
	uint8_t c;

	for (i = 0; i < len; i++) {
		c = in[i];
		if (qp_needs_escape(in, i, len, linelen)) {
			if (linelen + 3 >= QP_LINE) {
				out[o++] = '=';
				out[o++] = '\n';
				linelen = 0;
			}
			out[o++] = '=';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
			linelen += 3;
			continue;
		}
		if (c == '\n' || (c == '\r' && i + 1 < len && in[i + 1] == '\n')) {
			/* A space or tab before a line end is escaped. */
			if (o && (out[o - 1] == ' ' || out[o - 1] == '\t')) {
				uint8_t sp = out[o - 1];

				out[o - 1] = '=';
				out[o++] = hex[sp >> 4];
				out[o++] = hex[sp & 15];
			}
			if (c == '\r')
				i++;
			out[o++] = '\n';
			linelen = 0;
			continue;
		}
		if (i + 1 != len && in[i + 1] != '\n' && linelen + 1 >= QP_LINE) {
			out[o++] = '=';
			out[o++] = '\n';
			linelen = 0;
		}
		out[o++] = c;
		linelen++;
	}
	out[o] = '\0';
	return o;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t qp_decode(const char *in, size_t len, uint8_t *out)
{
	size_t i = 0, o = 0;

	while (i < len) {
		if (in[i] != '=') {
			out[o++] = in[i++];
			continue;
		}
		if (i + 1 < len && in[i + 1] == '\n') {
			i += 2;
		} else if (i + 2 < len && in[i + 1] == '\r' && in[i + 2] == '\n') {
			i += 3;
		} else if (i + 2 < len && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
			out[o++] = hex_value(in[i + 1]) << 4 | hex_value(in[i + 2]);
			i += 3;
		} else {
			out[o++] = in[i++];
		}
	}
	return o;
}
