#!/bin/bash
# libimg page data: write then read back 1 GiB of pages through the
# pagemap writer and reader (img-pages-bench: add_data and add_pipe, runs of
# 4 MiB, checksum checked), next to dd writing and reading 1 GiB in the same
# tmpfs folder, ROUNDS times, alternating; prints the median of each and the
# time ratios. Target: libimg within 1.3x of dd's time. Prints figures;
# never fails on timing (only on a wrong checksum or a setup error).
#   bench/img-bench.sh [BUILD_DIR [ROUNDS [TMPFS_DIR]]]
# TMPFS_DIR defaults to /dev/shm; when that is not a tmpfs, one is mounted
# (needs root).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 1
rounds=${2:-5}
place=${3:-/dev/shm}
bin=$build/bench/img-pages-bench
[ -x "$bin" ] || { echo "no $bin: build first (meson compile -C $build)"; exit 1; }
export LC_ALL=C

mounted=
if [ "$(stat -f -c %T "$place" 2>/dev/null)" != tmpfs ]; then
	place=$(mktemp -d)
	mount -t tmpfs -o size=3g tmpfs "$place" || { echo "cannot mount a tmpfs"; exit 1; }
	mounted=$place
fi
work=$(mktemp -d "$place/img-bench.XXXXXX")
trap 'rm -rf "$work"; [ -n "$mounted" ] && umount "$mounted" && rmdir "$mounted"' EXIT
results=$work/results
: >"$results"

# dd_secs ARGS...: run dd, print the seconds it reports.
dd_secs() {
	dd "$@" 2>&1 >/dev/null | awk -F', ' '/copied/ { split($3, s, " "); print s[1] }'
}

echo "img-bench: $(nproc) cores, $(uname -r), 1 GiB into $place ($(stat -f -c %T "$place")), $rounds rounds"
# The first touch of fresh memory in a VM is slow: warm up once, untimed.
dd_secs if=/dev/zero of="$work/x" bs=1M count=1024 >/dev/null
rm -f "$work/x"
for ((r = 1; r <= rounds; r++)); do
	"$bin" "$work/img" 1024 >>"$results" || { echo "img-pages-bench failed"; exit 1; }
	echo "dd-write $(dd_secs if=/dev/zero of="$work/x" bs=1M count=1024)" >>"$results"
	echo "dd-read $(dd_secs if="$work/x" of=/dev/null bs=1M)" >>"$results"
	rm -f "$work/x"
done

median() {
	awk -v k="$1" '$1 == k { print $2 }' "$results" | sort -g |
		awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# line NAME OURS_KEY DD_KEY: median figures and the ratio of the times.
line() {
	local ours theirs
	ours=$(median "$2")
	theirs=$(median "$3")
	awk -v n="$1" -v o="$ours" -v d="$theirs" 'BEGIN {
		printf "%-22s %8.0f MB/s   dd %8.0f MB/s   time ours/dd %.2f\n",
			n, 1073.741824 / o, 1073.741824 / d, o / d }'
}

line "write (add_data)" write-data dd-write
line "write (add_pipe)" write-pipe dd-write
line "read (after add_data)" read-data dd-read
line "read (after add_pipe)" read-pipe dd-read
echo "(medians of $rounds rounds; MB = 10^6 bytes; target: time ours/dd <= 1.30)"
exit 0
