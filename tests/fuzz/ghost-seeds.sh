#!/bin/bash
# Seeds for fuzz-cr-ghost: each fixture dump's ghost-file-N.img behind the
# eight bytes of a size (that of its data, the rest of the image).
# Usage: ghost-seeds.sh DIR FIXTURE_DUMP...
set -eu
out=$1
shift
mkdir -p "$out"
for d in "$@"; do
	for g in "$d"/ghost-file-*.img; do
		[ -f "$g" ] || continue
		size=$(stat -c %s "$g")
		{
			printf '%016x' "$size" | sed 's/../&\n/g' | tac | while read -r b; do
				[ -n "$b" ] && printf "\\x$b"
			done
			cat "$g"
		} >"$out/seed-$(basename "$d")-$(basename "$g" .img)"
	done
done
