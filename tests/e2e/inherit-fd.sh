#!/bin/bash
# Files handed in at restore (--inherit-fd). A child writes "tick N" lines
# to its stdout (inherit-writer.c); this shell, its parent in spirit, reads
# them, dumps the child with its stdout marked external, then restores it
# with a new stdout and checks the very next tick arrives there: nothing
# of the old file was dumped, nothing is lost or repeated.
#  1. malformed --inherit-fd arguments and an fd crtool lacks: exit 1, said why.
#  2. a pipe: dump --inherit-fd pipe:[N] (no pipe data dumped, an EXT
#     entry); restore without it fails naming pipe:[N], leaving nothing;
#     restore --inherit-fd fd[3]:pipe:[N] with a new pipe read here.
#  3. a regular file as stdout (marked by its path relative to /), restored
#     into a new file: the old one is left alone.
#  4. a FIFO as stdout, restored into another FIFO read here.
#  5. the fd-number conflict: the child also holds a file at fd 3 and
#     crtool gets the new pipe as fd 3: both end up where they belong.
# Usage: inherit-fd.sh WRITER --crtool CRTOOL. Runs itself under e2e-reaper
# (run-victim.sh says why).
set -u

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_start WRITER "$@"
writer=$prog

tmp=$(mktemp -d /tmp/crtool-inherit.XXXXXX)
pid=''
cleanup() {
	[ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$writer" ] &&
		kill -KILL "$pid"
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL inherit-fd: $*"
	show_logs "$tmp"/*.out "$tmp"/*.log
	exit 1
}

gone() { [ ! -e "/proc/$pid" ]; }
# The number of the last "tick N" line of file $1.
last_tick() { tail -n 1 "$1" | sed -n 's/^tick \([0-9]*\)$/\1/p'; }
# Read the writer's first line, "pid P", from fd $1: P in $pid.
read_pid() {
	local w
	read -r -t 10 -u "$1" w pid && [ "$w" = pid ]
}
# Read from fd $1 up to "tick $2" or later; the last number read in $tick.
read_ticks() {
	local w
	tick=0
	while ((tick < $2)); do
		read -r -t 10 -u "$1" w tick || fail "no tick $2 from the writer (read $tick)"
		[ "$w" = tick ] || fail "the writer wrote '$w $tick'"
	done
}
# Read fd $1 to its end: the writer is gone; the last tick in $tick.
drain() {
	local w n
	while read -r -t 10 -u "$1" w n; do tick=$n; done
}
# dump STEP KEY: dump the writer with KEY external; it must be gone after.
dump() {
	run "$1" dump -t "$pid" -D "$tmp/$1" --inherit-fd "$2"
	((rc == 0)) || fail "dump --inherit-fd $2 exited $rc"
	grep -q "is external" "$tmp/$1.log" || fail "the dump marked nothing external for $2"
	wait_for "the dumped writer to be gone" gone
}
# After a restore (the rest of the arguments): the restored writer is $pid again.
restored() {
	((rc == 0)) || fail "restore $* exited $rc"
	[ "$(cat "$tmp/rst.pid" 2>/dev/null)" = "$pid" ] || fail "the restored writer is not $pid"
}

# 1
for arg in 'fd[-1]:x' 'fd[3]' 'fd[x]:y' 'fd[3]:' 'fd[]:x'; do
	run bad restore -D "$tmp" --inherit-fd "$arg"
	((rc == 1)) || fail "restore --inherit-fd $arg exited $rc, not 1"
	grep -qF -- "--inherit-fd $arg: expected fd[N]:ID" "$tmp/bad.out" ||
		fail "restore --inherit-fd $arg does not say why: $(cat "$tmp/bad.out")"
done
run bad restore -D "$tmp" --inherit-fd 'fd[42]:pipe:[1]'
((rc == 1)) || fail "restore --inherit-fd fd[42] (not open) exited $rc, not 1"
grep -qF "fd 42 is not open" "$tmp/bad.out" || fail "fd 42 not open is not said: $(cat "$tmp/bad.out")"
run bad dump -t 1 -D "$tmp/bad" --inherit-fd ''
((rc == 1)) || fail "dump --inherit-fd '' exited $rc, not 1"

# 2: the writer is an orphan in a session of its own, its stdout a pipe to here.
exec {old}< <(setsid "$writer" </dev/null 2>/dev/null &)
read_pid "$old" || fail "the writer did not start"
read_ticks "$old" 5
key=$(readlink "/proc/$pid/fd/1")
[[ $key = pipe:\[*\] ]] || fail "the writer's stdout is $key, not a pipe"
dump pipe "$key"
[ ! -e "$tmp/pipe/pipes-data.img" ] || fail "the data of the external pipe was dumped"
"$crtool" show "$tmp/pipe/files.img" >"$tmp/files.out" || fail "crtool show files.img failed"
grep -qF "\"inherit_key\": \"$key\"" "$tmp/files.out" || fail "files.img has no EXT entry for $key"
drain "$old"
exec {old}<&-
last=$tick

run missing restore -D "$tmp/pipe" -d
((rc == 1)) || fail "restore without --inherit-fd exited $rc, not 1"
grep -qF "$key was external at dump" "$tmp/missing.out" ||
	fail "restore without --inherit-fd does not name $key: $(cat "$tmp/missing.out")"
wait_for "nothing left of the refused restore" gone

# The new pipe: this shell keeps its read end; crtool gets a write end as fd 3
# by opening it again through /dev/fd (a pipe opens like a FIFO).
exec {new}< <(:)
run pipe-rst restore -D "$tmp/pipe" -d --pidfile "$tmp/rst.pid" --inherit-fd "fd[3]:$key" \
	3>"/dev/fd/$new"
restored "--inherit-fd fd[3]:$key"
read -r -t 10 -u "$new" w n || fail "nothing came through the new pipe"
[ "$w $n" = "tick $((last + 1))" ] || fail "the new pipe got '$w $n' first, not tick $((last + 1))"
read_ticks "$new" $((last + 5))
kill -KILL "$pid"
wait_for "the restored writer to be gone" gone
exec {new}<&-

# 3: stdout a regular file, marked by its path relative to the root.
(setsid "$writer" </dev/null >"$tmp/old.txt" 2>/dev/null &)
wait_for "the writer's first ticks" grep -q "^tick 5$" "$tmp/old.txt"
pid=$(sed -n 's/^pid //p' "$tmp/old.txt")
dump file "${tmp#/}/old.txt"
last=$(last_tick "$tmp/old.txt")
cp "$tmp/old.txt" "$tmp/old.copy"
run file-rst restore -D "$tmp/file" -d --pidfile "$tmp/rst.pid" \
	--inherit-fd "fd[7]:$tmp/old.txt" 7>"$tmp/new.txt"
restored "--inherit-fd fd[7]:$tmp/old.txt"
has_ticks() { (($(wc -l <"$tmp/new.txt") >= 5)); }
wait_for "ticks in the new file" has_ticks
[ "$(head -n 1 "$tmp/new.txt")" = "tick $((last + 1))" ] ||
	fail "the new file starts with '$(head -n 1 "$tmp/new.txt")', not tick $((last + 1))"
[ "$(readlink "/proc/$pid/fd/1")" = "$tmp/new.txt" ] || fail "the writer's stdout is not new.txt"
kill -KILL "$pid"
wait_for "the restored writer to be gone" gone
cmp -s "$tmp/old.txt" "$tmp/old.copy" || fail "the old file changed after the restore"

# 4: stdout a FIFO opened read-write; the new one is read here.
mkfifo "$tmp/old.fifo" "$tmp/new.fifo"
(setsid "$writer" </dev/null 1<>"$tmp/old.fifo" 2>/dev/null &)
exec {old}<"$tmp/old.fifo"
read_pid "$old" || fail "the writer did not start on the FIFO"
read_ticks "$old" 5
dump fifo "$tmp/old.fifo"
# The FIFO lives on, empty of writers: read what is queued without blocking.
last=$tick
while read -r -t 0.5 -u "$old" w n; do last=$n; done
exec {old}<&-
exec {new}<>"$tmp/new.fifo"
run fifo-rst restore -D "$tmp/fifo" -d --pidfile "$tmp/rst.pid" \
	--inherit-fd "fd[5]:$tmp/old.fifo" 5>"$tmp/new.fifo"
restored "--inherit-fd fd[5]:$tmp/old.fifo"
read -r -t 10 -u "$new" w n || fail "nothing came through the new FIFO"
[ "$w $n" = "tick $((last + 1))" ] || fail "the new FIFO got '$w $n' first, not tick $((last + 1))"
kill -KILL "$pid"
wait_for "the restored writer to be gone" gone
exec {new}<&-

# 5: the writer holds held.txt at fd 3; crtool is handed the new pipe as fd 3.
echo held >"$tmp/held.txt"
exec {old}< <(setsid "$writer" --hold "$tmp/held.txt" </dev/null 2>/dev/null &)
read_pid "$old" || fail "the holding writer did not start"
read_ticks "$old" 5
key=$(readlink "/proc/$pid/fd/1")
dump conflict "$key"
drain "$old"
exec {old}<&-
last=$tick
exec {new}< <(:)
run conflict-rst restore -D "$tmp/conflict" -d --pidfile "$tmp/rst.pid" \
	--inherit-fd "fd[3]:$key" 3>"/dev/fd/$new"
restored "--inherit-fd fd[3]:$key with fd 3 restored too"
read -r -t 10 -u "$new" w n || fail "nothing came through the new pipe (fd 3 conflict)"
[ "$w $n" = "tick $((last + 1))" ] || fail "the new pipe got '$w $n' first, not tick $((last + 1))"
[ "$(readlink "/proc/$pid/fd/3")" = "$tmp/held.txt" ] ||
	fail "the writer's fd 3 is $(readlink "/proc/$pid/fd/3"), not held.txt"
[ "$(readlink "/proc/$pid/fd/1")" = "$(readlink "/proc/self/fd/$new")" ] ||
	fail "the writer's stdout is $(readlink "/proc/$pid/fd/1"), not the new pipe"
kill -KILL "$pid"
wait_for "the restored writer to be gone" gone
exec {new}<&-

echo "PASS inherit-fd (pipe, regular file, FIFO, fd-number conflict, refusals)"
