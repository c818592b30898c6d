#!/bin/bash
# Seeds for fuzz-cr-unix: the files.img and sk-queues.img of each fixture
# dump, joined behind the two bytes that say where files.img ends.
# Usage: unix-seeds.sh DIR FIXTURE_DUMP...
set -eu
out=$1
shift
mkdir -p "$out"
for d in "$@"; do
	[ -f "$d/files.img" ] || continue
	len=$(stat -c %s "$d/files.img")
	[ "$len" -lt 65536 ] || continue
	{
		printf "\\$(printf '%03o' $((len >> 8)))\\$(printf '%03o' $((len & 255)))"
		cat "$d/files.img"
		[ ! -f "$d/sk-queues.img" ] || cat "$d/sk-queues.img"
	} >"$out/seed-$(basename "$d")"
done
