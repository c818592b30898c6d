/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How deep messages nest inside packed protobuf bytes, found without
 * unpacking them: protobuf-c unpacks nested messages by recursion, so an
 * entry of a self-nesting message (cgroup_dir_entry) could otherwise take
 * millions of levels and overflow the stack.
 */
#ifndef IMG_WIRE_DEPTH_H
#define IMG_WIRE_DEPTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>

#define WIRE_MAX_DEPTH 32

/* False when @len bytes of message @desc nest deeper than @max_depth. */
bool wire_depth_ok(const ProtobufCMessageDescriptor *desc, const uint8_t *buf, size_t len,
		   int max_depth);

#endif
