#!/bin/bash
# Seeds for fuzz-cr-proc: this machine's own /proc files, each behind the
# byte that selects its parser. Usage: proc-seeds.sh DIR
set -eu
out=$1
mkdir -p "$out"
i=0
for f in smaps stat status limits auxv mountinfo fdinfo/0 task/$$/children; do
	{ printf "\\$(printf '%03o' "$i")"; cat "/proc/self/$f"; } > "$out/seed-$i" 2>/dev/null || true
	i=$((i + 1))
done
