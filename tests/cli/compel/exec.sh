#!/bin/bash
# crtool exec against a real sleeping process: results printed, strings
# copied in, failures reported, and the process left exactly as it was.
set -u
crtool=$1
# shellcheck source=../../unit/libcompel/sleeper.sh
source "$(dirname "$0")/../../unit/libcompel/sleeper.sh"

sleep 1000 > "$tmp/out" &
pid=$!
wait_sleeping "$pid"
cat "/proc/$pid/maps" > "$tmp/maps-before"

out=$("$crtool" exec -t "$pid" getpid) || fail "getpid exited $?"
[ "$out" = "$pid" ] || fail "getpid printed '$out', not $pid"

out=$("$crtool" exec -t "$pid" 39) || fail "syscall 39 exited $?"
[ "$out" = "$pid" ] || fail "syscall 39 printed '$out', not $pid"

out=$("$crtool" exec -t "$pid" write 1 'hello\n') || fail "write exited $?"
[ "$out" = 6 ] || fail "write printed '$out', not 6"
printf 'hello\n' | cmp -s - "$tmp/out" || fail "the task wrote '$(cat "$tmp/out")'"

out=$("$crtool" exec -t "$pid" close 1000 2>"$tmp/err") && fail "close 1000 succeeded"
[ "$out" = -9 ] || fail "close 1000 printed '$out', not -9"
grep -q "Bad file descriptor" "$tmp/err" || fail "no error message for close 1000"

"$crtool" exec -t "$pid" no_such_call 2>"$tmp/err" && fail "an unknown syscall succeeded"
grep -q "unknown syscall" "$tmp/err" || fail "no message for an unknown syscall"

"$crtool" exec -t 4194304 getpid 2>"$tmp/err" && fail "a missing pid succeeded"
grep -q "No such process" "$tmp/err" || fail "no message for a missing pid"

"$crtool" exec getpid 2>/dev/null && fail "exec without -t succeeded"
"$crtool" exec --help | grep -q "Usage: crtool exec" || fail "exec --help"

# The task sleeps on, unchanged.
[ "$(awk '{print $3}' "/proc/$pid/stat")" = S ] || fail "the task no longer sleeps"
cat "/proc/$pid/maps" | cmp -s - "$tmp/maps-before" || fail "the task's maps changed"
echo PASS
