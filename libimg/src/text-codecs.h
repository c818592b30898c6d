/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bytes as text, as CRIU's image tool writes them: base64 in lines of 76
 * characters each ending with a newline (Python's base64.encodebytes), and
 * quoted-printable for unix socket names (Python's quopri.encodestring).
 */
#ifndef IMG_TEXT_CODECS_H
#define IMG_TEXT_CODECS_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of input per base64 line. */
#define B64_LINE_BYTES 57

/*
 * Encode @len bytes (at most B64_LINE_BYTES; a whole line unless it is the
 * last) as one line into @out, ending with "\n". Returns the text length;
 * @out needs 4 * B64_LINE_BYTES / 3 + 2 bytes.
 */
size_t base64_line(const uint8_t *in, size_t len, char *out);

/*
 * Decode base64 text, skipping characters outside the alphabet (newlines).
 * @out needs len * 3 / 4 + 3 bytes. Returns the byte count, or -1 when the
 * text stops inside a quantum.
 */
long base64_decode(const char *in, size_t len, uint8_t *out);

/* Quoted-printable. @out needs 4 * len + 4 bytes. */
size_t qp_encode(const uint8_t *in, size_t len, char *out);
/* @out needs len bytes. Returns the byte count. */
size_t qp_decode(const char *in, size_t len, uint8_t *out);

#endif
