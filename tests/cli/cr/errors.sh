#!/bin/bash
# crtool dump and restore refuse bad input with one line on stderr and exit
# 1, and leave what they were pointed at as it was.
set -u
crtool=$1
# shellcheck source=../../unit/libcompel/sleeper.sh
source "$(dirname "$0")/../../unit/libcompel/sleeper.sh"

# Expect "$@" to exit 1 with $pattern on stderr.
refused() {
	local pattern=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	[ $rc = 1 ] || fail "'$*' exited $rc, not 1"
	grep -q -- "$pattern" "$tmp/err" || fail "'$*' did not say '$pattern': $(cat "$tmp/err")"
}

refused "is missing\|Usage" "$crtool" dump -D "$tmp/d"
refused "not a PID" "$crtool" dump -t abc -D "$tmp/d"
refused "images folder is missing" "$crtool" dump -t 1
refused "not supported by this build" "$crtool" dump -t 1 -D "$tmp/d" --file-locks
refused "not supported by this build" "$crtool" restore -D "$tmp/d" --file-locks
for size in 0 -1 1X 1MB 1.5M '' 17179869184G; do
	refused "ghost-limit" "$crtool" dump -t 1 -D "$tmp/d" --ghost-limit "$size"
done
[ ! -e "$tmp/d" ] || fail "a refused --ghost-limit made the images folder"
"$crtool" dump --help | grep -q -- "--ghost-limit SIZE" || fail "dump --help has no --ghost-limit"
"$crtool" dump --help | grep -q -- "--link-remap" || fail "dump --help has no --link-remap"
refused "expected fd\[N\]:ID" "$crtool" restore -D "$tmp/d" --inherit-fd 'fd[3]'
refused "fd 99 is not open" "$crtool" restore -D "$tmp/d" --inherit-fd 'fd[99]:pipe:[1]'
refused "failed" "$crtool" dump -t 999999999 -D "$tmp/d"
refused "cannot open the images folder" "$crtool" restore -D "$tmp/none"
mkdir "$tmp/empty"
refused "failed" "$crtool" restore -D "$tmp/empty" -o log
grep -q "inventory.img" "$tmp/empty/log" || fail "the log does not name inventory.img"

# A task whose session leader is outside the tree needs --shell-job; the
# refused dump leaves it running as it was.
sleep 1000 &
pid=$!
wait_sleeping "$pid"
cat "/proc/$pid/maps" >"$tmp/maps-before"
refused "failed" "$crtool" dump -t "$pid" -D "$tmp/job" -o dump.log
grep -q "shell-job" "$tmp/job/dump.log" || fail "the log does not suggest --shell-job"
[ ! -e "$tmp/job/inventory.img" ] || fail "a failed dump left inventory.img"
cat "/proc/$pid/maps" | cmp -s - "$tmp/maps-before" || fail "the maps changed"
[ "$(awk '{print $3}' "/proc/$pid/stat")" = S ] || fail "the task is not sleeping as before"

# With -j it is dumped (and killed); its PID taken again makes the restore
# fail, naming the PID, with nothing left of the restore.
"$crtool" dump -j -t "$pid" -D "$tmp/job" -o dump2.log || fail "dump -j exited $?"
wait "$pid" 2>/dev/null
stat -c %a "$tmp/job" | grep -qx 700 || fail "the images folder is not 0700"
for f in "$tmp/job"/*.img; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f is not 0600"
done
"$crtool" restore -j -D "$tmp/job" -d --pidfile "$tmp/rpid" -o restore.log || fail "restore -j exited $?"
[ "$(cat "$tmp/rpid")" = "$pid" ] || fail "restored as $(cat "$tmp/rpid"), not $pid"
refused "already taken" "$crtool" restore -j -D "$tmp/job" -o restore2.log
grep -q "PID $pid" "$tmp/err" "$tmp/job/restore2.log" || fail "the refusal does not name PID $pid"
refused "goes with --check-only" "$crtool" restore -j -D "$tmp/job" --json
for cmd in dump restore; do
	"$crtool" $cmd --help | grep -q -- "--check-only" || fail "$cmd --help has no --check-only"
	"$crtool" $cmd --help | grep -q -- "--inherit-fd" || fail "$cmd --help has no --inherit-fd"
done
kill -9 "$pid"
for _ in $(seq 100); do [ -e "/proc/$pid" ] || break; sleep 0.1; done

# Images of a task that ran with another vdso (another kernel build), with
# no copy of it for a proxy (tests/e2e has the proxy), are refused before
# anything is created; as dumped, they restore.
cp "$tmp/job/mm-$pid.img" "$tmp/mm.img"
"$crtool" decode -i "$tmp/mm.img" |
	python3 -c 'import json, sys; d = json.load(sys.stdin)
d["entries"][0]["vdso_sha256"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
del d["entries"][0]["vdso"]
json.dump(d, sys.stdout)' >"$tmp/mm.json" || fail "cannot edit the mm image"
"$crtool" encode -i "$tmp/mm.json" -o "$tmp/job/mm-$pid.img" || fail "encode of the edited mm"
refused "another vdso" "$crtool" restore -j -D "$tmp/job" -d -o restore3.log
[ ! -e "/proc/$pid" ] || fail "the refused restore left task $pid"
cp "$tmp/mm.img" "$tmp/job/mm-$pid.img"
"$crtool" restore -j -D "$tmp/job" -d -o restore4.log || fail "restore with the real vdso exited $?"
kill -9 "$pid"

# Without -d, restore waits for the root and exits with its status: a shell
# with a sleeping child that exits 3 once the sleep is over.
setsid sh -c 'sleep 1; exit 3' </dev/null >/dev/null 2>&1 &
pid=$!
wait_sleeping "$pid"
read -r child <"/proc/$pid/task/$pid/children"
"$crtool" dump -t "$pid" -D "$tmp/exit" -o dump.log || fail "dump of the shell exited $?"
wait "$pid" 2>/dev/null
# The orphaned sleep is reaped by PID 1, which takes its time here.
for _ in $(seq 100); do [ -e "/proc/$child" ] || break; sleep 0.1; done
"$crtool" restore -D "$tmp/exit" -o restore.log -v4 2>"$tmp/err"
rc=$?
[ $rc = 3 ] || fail "restore without -d exited $rc, not the root's 3: $(cat "$tmp/err")"
pid=
echo PASS
