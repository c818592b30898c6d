#!/bin/bash
# crtool dump and restore of a process with 1 GiB (MIB MiB) of touched
# anonymous memory, images in a tmpfs, REPEATS rounds: each round starts the
# victim (bench/cr-bench-victim) in a session of its own, times
# `crtool dump`, waits until its pid is gone, times `crtool restore -d`,
# checks every byte of the memory came back (the victim's verdict after
# SIGTERM), and deletes the images; then the same with a small
# single-threaded process (--mib 0), then `dd` writing as much to the same
# tmpfs. Prints medians, MB/s, time ratios to dd, crtool's peak RSS, against
# the targets: dump <= 1.3x dd, restore <= 1.5x dd, peak RSS < 64 MiB, the
# small process dumped and restored in < 20 ms each. With a working criu
# (`criu check` exits 0), runs it side by side and prints the ratios.
# Needs root and a build. Prints figures; never fails on timing (only on a
# failed dump or restore, a wrong verdict or a setup error).
#   bench/cr-bench.sh [BUILD_DIR [REPEATS [MIB]]]
# Like tests/e2e/run-victim.sh, it runs itself under e2e-reaper, which reaps
# the orphaned victims at once (an init slow to reap keeps their pids taken).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 1
repeats=${2:-5}
mib=${3:-1024}
crtool=$build/tools/crtool/crtool
victim=$build/bench/cr-bench-victim
peak_rss=$build/bench/peak-rss
reaper=$build/tests/e2e/e2e-reaper
for f in "$crtool" "$victim" "$peak_rss" "$reaper"; do
	[ -x "$f" ] || { echo "no $f: build first (meson compile -C $build)"; exit 1; }
done
if [ -z "${E2E_REAPER:-}" ]; then
	exec "$reaper" bash "$0" "$@"
fi
export LC_ALL=C

place=/dev/shm mounted=
if [ "$(stat -f -c %T "$place" 2>/dev/null)" != tmpfs ]; then
	place=$(mktemp -d)
	mount -t tmpfs tmpfs "$place" || { echo "cannot mount a tmpfs"; exit 1; }
	mounted=$place
fi
work=$(mktemp -d "$place/cr-bench.XXXXXX")
vdir=$work/victim	# the victim's cwd: pidfile, verdict, stdio
images=$work/images
results=$work/results
mkdir "$vdir"
: >"$results"
pid=

# Kills the victim if it still runs (only if the pid still runs the victim).
cleanup() {
	[ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$victim" ] &&
		kill -KILL "$pid"
	rm -rf "$work"
	[ -n "$mounted" ] && umount "$mounted" && rmdir "$mounted"
}
trap cleanup EXIT

fail() {
	local f
	echo "FAIL: $*"
	for f in "$vdir/stderr" "$work"/*.log "$work"/*.out; do
		[ -s "$f" ] || continue
		echo "--- last lines of $(basename "$f")"
		tail -n 20 "$f"
	done
	exit 1
}

# wait_for WHAT COMMAND...: polls COMMAND for up to 60 s.
wait_for() {
	local what=$1 end=$((SECONDS + 60))
	shift
	until "$@"; do
		((SECONDS < end)) || fail "timed out waiting for $what"
		sleep 0.005
	done
}
alive() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
gone() { [ ! -e "/proc/$1" ]; }
started() { [ -s "$vdir/pid" ] || [ -e "$vdir/out" ] || ! alive "$1"; }
ended() { [ -e "$vdir/out" ] || ! alive "$pid"; }

# measure KEY COMMAND...: runs COMMAND under peak-rss, records
# "KEY SECONDS PEAK_RSS_KIB" in the results; returns COMMAND's status.
measure() {
	local key=$1 rc secs rss
	shift
	rm -f "$work/last"
	"$peak_rss" "$work/last" "$@"
	rc=$?
	read -r secs rss <"$work/last" || fail "no measure of $*"
	echo "$key $secs $rss" >>"$results"
	return "$rc"
}

# round TOOL MIB KEY: one dump, wait, restore and verdict of a fresh victim
# with MIB MiB, by TOOL (crtool or criu); records KEY-dump and KEY-restore.
round() {
	local tool=${bin[$1]} size=$2 key=$3 first
	rm -f "$vdir/pid" "$vdir/out"
	rm -rf "$images" "$work"/*.log "$work"/*.out
	mkdir "$images"
	# setsid does not fork here (a background job is no group leader), so
	# $! is the victim's pid; the subshell exits and the victim is orphaned.
	(
		cd "$vdir" || exit
		setsid "$victim" --pidfile "$vdir/pid" --outfile "$vdir/out" --mib "$size" \
			</dev/null >"$vdir/stdout" 2>"$vdir/stderr" &
		echo $! >"$work/started"
	)
	first=$(cat "$work/started")
	pid=$first
	wait_for "the victim's pidfile" started "$first"
	[ -s "$vdir/pid" ] || fail "the victim stopped before writing its pidfile"
	pid=$(cat "$vdir/pid")
	[ "$pid" = "$first" ] || fail "the pidfile says $pid, the started pid was $first"

	measure "$key-dump" "$tool" dump -t "$pid" -D "$images" -o "$work/dump.log" \
		>"$work/dump.out" 2>&1 || fail "$tool dump exited $?"
	[ -s "$work/image-bytes" ] || du -sb "$images" | cut -f1 >"$work/image-bytes"
	wait_for "the dumped pid $pid to be gone" gone "$pid"
	measure "$key-restore" "$tool" restore -D "$images" -d --pidfile "$work/restored.pid" \
		-o "$work/restore.log" >"$work/restore.out" 2>&1 || fail "$tool restore exited $?"
	[ "$(cat "$work/restored.pid" 2>/dev/null)" = "$pid" ] ||
		fail "the restored pid is '$(cat "$work/restored.pid" 2>/dev/null)', not $pid"

	kill -TERM "$pid" || fail "kill -TERM $pid"
	wait_for "the victim's verdict" ended
	[ "$(head -n 1 "$vdir/out" 2>/dev/null)" = PASS ] ||
		fail "$tool, $size MiB: the victim says '$(head -n 1 "$vdir/out" 2>/dev/null)'"
	wait_for "the restored pid $pid to be gone" gone "$pid"
	pid=
	rm -rf "$images"
}

tools=(crtool)
declare -A bin=([crtool]=$crtool [criu]=criu)
if command -v criu >/dev/null && criu check >/dev/null 2>&1; then
	tools+=(criu)
fi

echo "cr-bench: $(nproc) cores, $(uname -r), $mib MiB victim, images in $place" \
	"($(stat -f -c %T "$place")), $repeats rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
# The first touch of fresh memory in a VM is slow (the host backs it on
# demand): warm up once, untimed, as much as a round holds at once (the
# victim, its images and the restored copy), so no timed step pays for it.
dd if=/dev/zero of="$work/x" bs=1M count="$((3 * mib))" conv=fsync status=none
rm -f "$work/x"
for ((r = 1; r <= repeats; r++)); do
	for tool in "${tools[@]}"; do
		round "$tool" "$mib" "$tool"
		round "$tool" 0 "$tool-small"
	done
	measure dd dd if=/dev/zero of="$work/x" bs=1M count="$mib" conv=fsync status=none ||
		fail "dd exited $?"
	rm -f "$work/x"
done

# stats KEY: "MEDIAN MIN MAX" of KEY's seconds.
stats() {
	awk -v k="$1" '$1 == k { print $2 }' "$results" | sort -g | awk '{ v[NR] = $1 } END {
		print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'
}
median() { stats "$1" | cut -d' ' -f1; }
# max_rss KEY: the largest peak RSS of KEY's rounds, in MiB.
max_rss() { awk -v k="$1" '$1 == k && $3 > m { m = $3 } END { print m / 1024 }' "$results"; }

bytes=$((mib * 1048576))
dd_s=$(median dd)
# line NAME KEY BYTES [TARGET]: median time and spread of KEY, MB/s for
# BYTES (none for 0); with TARGET "dd [RATIO]", the time ratio to dd's
# median (against RATIO); with "ms LIMIT", the median against LIMIT ms.
line() {
	local med lo hi
	read -r med lo hi < <(stats "$2")
	awk -v n="$1" -v s="$med" -v lo="$lo" -v hi="$hi" -v b="$3" -v d="$dd_s" -v t="${4:-}" 'BEGIN {
		split(t, tg, " ")
		printf "%-30s %8.1f ms (%.1f-%.1f)", n, s * 1000, lo * 1000, hi * 1000
		if (b > 0)
			printf " %6.0f MB/s", b / 1e6 / s
		if (tg[1] == "dd")
			printf "   time/dd %.2f", s / d
		if (tg[1] == "dd" && tg[2])
			printf ", target <= %.2f: %s", tg[2], s / d <= tg[2] ? "ok" : "OVER"
		else if (tg[1] == "ms")
			printf "   target < %d ms: %s", tg[2], s * 1000 < tg[2] ? "ok" : "OVER"
		print "" }'
}

echo "images: $(cat "$work/image-bytes") bytes for $bytes bytes of memory"
echo "median (min-max) of $repeats rounds; MB = 10^6 bytes"
line "dd write" dd "$bytes"
line "crtool dump" crtool-dump "$bytes" "dd 1.30"
line "crtool restore" crtool-restore "$bytes" "dd 1.50"
line "crtool dump, small process" crtool-small-dump 0 "ms 20"
line "crtool restore, small process" crtool-small-restore 0 "ms 20"
for step in dump restore; do
	rss=$(max_rss "crtool-$step")
	awk -v n="crtool $step peak RSS" -v r="$rss" 'BEGIN {
		printf "%-30s %8.1f MiB (max of rounds)   target < 64 MiB: %s\n", n, r, r < 64 ? "ok" : "OVER" }'
done
if [ "${#tools[@]}" -gt 1 ]; then
	line "criu dump" criu-dump "$bytes" dd
	line "criu restore" criu-restore "$bytes" dd
	line "criu dump, small process" criu-small-dump 0
	line "criu restore, small process" criu-small-restore 0
	for key in dump restore small-dump small-restore; do
		awk -v n="$key" -v o="$(median "crtool-$key")" -v c="$(median "criu-$key")" 'BEGIN {
			printf "%-30s time crtool/criu %.2f\n", n, o / c }'
	done
	for step in dump restore; do
		printf '%-30s crtool %.1f MiB, criu %.1f MiB\n' "$step peak RSS" \
			"$(max_rss "crtool-$step")" "$(max_rss "criu-$step")"
	done
else
	echo "criu: not available"
fi
