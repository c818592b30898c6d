#!/bin/bash
# The README's demo: checkpoint a running counter with crtool, show it gone,
# restore it, and show it counting on from where it stopped, with the same
# pid. Builds nothing: run it after "meson setup build && meson compile -C
# build" (BUILD_DIR names another build folder). Exits non-zero if any step
# fails; the logs are kept then.
set -u
cd "$(dirname "$0")/.." || exit 1
build=${BUILD_DIR:-build}
crtool=$build/tools/crtool/crtool
counter=$build/demo/counter
for f in "$crtool" "$counter"; do
	[ -x "$f" ] || { echo "demo: $f is missing: build first (meson compile -C $build)"; exit 1; }
done

tmp=$(mktemp -d /tmp/crtool-demo.XXXXXX)
mkdir "$tmp/images"
out=$tmp/counter.out
pid=

step() { printf '\n== %s\n' "$*"; }
running() { [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
last_count() { tail -n 1 "$out" | awk '{print $2}'; }
show_output() { tail -n "$1" "$out" | sed 's/^/   | /'; }

fail() {
	echo "demo FAILED: $*"
	for f in "$tmp"/dump.log "$tmp"/restore.log; do
		[ -s "$f" ] && { echo "--- last lines of $f"; tail -n 10 "$f"; }
	done
	echo "(images and logs kept in $tmp)"
	[ -n "$pid" ] && running "$pid" && kill -KILL "$pid"
	exit 1
}

# Waits up to 5 s for a condition.
wait_until() {
	local i
	for ((i = 0; i < 50; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
gone() { ! running "$1"; }
counted_past() { [ "$(last_count)" -gt "$1" ]; }

step "Starting the counter (in a session of its own, output to $out)"
setsid "$counter" </dev/null >"$out" 2>&1 &
pid=$!
sleep 1
running "$pid" || fail "the counter did not start"
echo "   pid $pid is counting:"
show_output 3

step "Checkpointing it: crtool dump -t $pid -D $tmp/images"
timeout 60 "$crtool" dump -t "$pid" -D "$tmp/images" -o "$tmp/dump.log" -v4 || fail "crtool dump exited $?"
echo "   images written: $(find "$tmp/images" -type f | wc -l) files, $(du -sh "$tmp/images" | cut -f1)"
wait_until gone "$pid" || fail "pid $pid is still running after the dump"
wait "$pid" 2>/dev/null # reap it: the restore needs its pid free
stopped_at=$(last_count)
sleep 0.6
[ "$(last_count)" = "$stopped_at" ] || fail "the output still grows after the dump"
echo "   pid $pid is gone; the output stopped at count $stopped_at"

step "Restoring it: crtool restore -D $tmp/images -d"
timeout 60 "$crtool" restore -D "$tmp/images" -d --pidfile "$tmp/restored.pid" -o "$tmp/restore.log" -v4 ||
	fail "crtool restore exited $?"
restored=$(cat "$tmp/restored.pid" 2>/dev/null)
[ "$restored" = "$pid" ] || fail "the restored pid is '$restored', not $pid"
wait_until counted_past $((stopped_at + 3)) ||
	fail "the restored counter does not count"
next=$(grep -m 1 "^count $((stopped_at + 1)) " "$out")
[ "$next" = "count $((stopped_at + 1)) pid $pid" ] ||
	fail "after count $stopped_at came '$(grep -A1 "^count $stopped_at " "$out" | tail -n 1)'"
echo "   pid $pid is back and counts on from $stopped_at:"
grep -A 3 "^count $stopped_at " "$out" | sed 's/^/   | /'

step "Stopping it"
kill "$pid"
wait_until gone "$pid" || fail "pid $pid did not stop"
echo "   done: the counter ran, was checkpointed, vanished and came back where it left off."
rm -rf "$tmp"
