#!/bin/bash
# Dry runs of one e2e victim (see victims/victim.h), started from a copy of
# its executable in a scratch folder:
#  1. dump --check-only: the tree keeps running, untouched; no page data;
#     inventory.img marked check_only.
#  2. restore of those images with the tree still alive: checking mode by
#     itself, every PID and TID of the tree reported taken, non-zero exit
#     (text and --json).
#  3. a full dump --leave-running, then SIGTERM: the victim checks its
#     state is whole after both dumps.
#  4. restore of the check-only images: exit 0, nothing left running; the
#     same failing at a step (-Dfault_injection=true): non-zero, named.
#  5. restore --check-only of the full images: exit 0, nothing left
#     running, the images folder byte for byte the same.
#  6. a memory cgroup limit below what the tree needs (when one can be
#     made): reported with the shortfall, non-zero exit.
#  7. the executable changed, then deleted: reported by path, non-zero.
# Usage: check-only.sh VICTIM --crtool CRTOOL. Runs itself under e2e-reaper,
# which reaps the orphaned trees at once (run-victim.sh says why).
set -u

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_start VICTIM "$@"
victim_src=$prog
name=$(basename "$victim_src")

tmp=$(mktemp -d /tmp/crtool-check.XXXXXX)
chmod 755 "$tmp"
work=$tmp/victim
mkdir -m 1777 "$work" "$tmp/bin"
victim=$tmp/bin/$name
cp "$victim_src" "$victim"
pids=() cgroup=''

cleanup() {
	local p
	for p in "${pids[@]}"; do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$victim" ] && kill -KILL "$p"
	done
	[ -n "$cgroup" ] && rmdir "$cgroup" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL $name (check-only): $*"
	show_logs "$tmp"/*.out "$tmp"/*.log
	exit 1
}

all_gone() {
	local p
	for p in "${pids[@]}" "${tids[@]}"; do
		[ -e "/proc/$p" ] && return 1
	done
	return 0
}
# Nothing runs the victim's executable but the tree itself (@pids, if alive).
none_but_tree() {
	local exe p
	for exe in /proc/[0-9]*/exe; do
		[ "$(readlink "$exe" 2>/dev/null)" = "$victim" ] || continue
		p=${exe#/proc/}
		p=${p%/exe}
		[[ " ${pids[*]} " = *" $p "* ]] || return 1
	done
}
folder_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

(
	cd "$work" || exit
	setsid "$victim" --pidfile "$work/pid" --outfile "$work/out" \
		</dev/null >"$work/stdout" 2>"$work/stderr" &
)
started() { [ -s "$work/pid" ] || [ -e "$work/out" ]; }
wait_for "the pidfile" started
pid=$(cat "$work/pid" 2>/dev/null) || fail "the victim stopped before writing its pidfile"
mapfile -t pids < <(tree_pids "$pid")
mapfile -t tids < <(for p in "${pids[@]}"; do ls "/proc/$p/task"; done)
maps_of_tree() { for p in "${pids[@]}"; do cat "/proc/$p/maps"; done; }
maps_of_tree >"$tmp/maps.before"

# 1
run dump-co dump --check-only -t "$pid" -D "$tmp/co"
((rc == 0)) || fail "dump --check-only exited $rc"
grep -qx "Only checking if requested operation will succeed" "$tmp/dump-co.out" ||
	fail "dump --check-only did not say it only checks"
for p in "${pids[@]}"; do
	alive "$p" || fail "pid $p is gone after dump --check-only"
	case $(awk '{print $3}' "/proc/$p/stat") in
	T | t) fail "pid $p is stopped after dump --check-only" ;;
	esac
done
maps_of_tree | cmp -s - "$tmp/maps.before" || fail "the maps changed after dump --check-only"
ls "$tmp"/co/pagemap-*.img >/dev/null 2>&1 || fail "dump --check-only wrote no pagemap"
for f in "$tmp"/co/pages-*.img; do
	[ ! -s "$f" ] || fail "dump --check-only wrote page data into $(basename "$f")"
done
"$crtool" show "$tmp/co/inventory.img" | grep -q '"check_only": true' ||
	fail "inventory.img is not marked check_only"

# 2
run taken restore -D "$tmp/co"
((rc != 0)) || fail "restore of a tree whose PIDs are taken exited 0"
grep -qx "Checking mode enabled" "$tmp/taken.out" || fail "no 'Checking mode enabled'"
for t in "${tids[@]}"; do
	grep -q "^pid: PID $t, needed by task [0-9]*, is already taken" "$tmp/taken.out" ||
		fail "PID $t is not reported taken"
done
run taken-json restore -D "$tmp/co" --json
((rc != 0)) || fail "restore --json of a tree whose PIDs are taken exited 0"
for t in "${tids[@]}"; do
	grep -q "{ \"kind\": \"pid\", \"subject\": \"$t\"," "$tmp/taken-json.out" ||
		fail "--json does not report PID $t taken"
done
grep -q '"ok": false,' "$tmp/taken-json.out" || fail "--json does not say the check failed"

# 3
run dump-full dump --leave-running -t "$pid" -D "$tmp/full"
((rc == 0)) || fail "dump --leave-running exited $rc"
kill -TERM "$pid"
verdict() { [ -e "$work/out" ] || ! alive "$pid"; }
wait_for "the verdict" verdict
[ "$(head -n 1 "$work/out" 2>/dev/null)" = PASS ] ||
	fail "the victim says $(head -n 1 "$work/out" 2>/dev/null) after the dumps"
wait_for "the tree to exit" all_gone
pids=()

# 4
run co restore -D "$tmp/co"
((rc == 0)) || fail "restore of the check-only images exited $rc"
grep -qx "Checking mode enabled" "$tmp/co.out" || fail "no 'Checking mode enabled'"
grep -q "every thread reached the last barrier" "$tmp/co.log" ||
	fail "the check-only restore did not reach the last barrier"
wait_for "nothing left of the check-only restore" all_gone
none_but_tree || fail "a process runs $victim after the check-only restore"

# 4b: a step failing in checking mode fails the check, naming why (test builds only)
CRTOOL_FAULT=restore-files run fault restore -D "$tmp/co"
if grep -q "injected failure at step restore-files" "$tmp/fault.log"; then
	((rc != 0)) || fail "a check-only restore failing at restore-files exited 0"
	grep -q "restore failed: .*restore-files" "$tmp/fault.out" ||
		fail "the failed step is not named: $(cat "$tmp/fault.out")"
	wait_for "nothing left of the failed check-only restore" all_gone
	none_but_tree || fail "a process runs $victim after a failed check-only restore"
fi

# 5
folder_sum "$tmp/full" >"$tmp/full.sum"
run full restore --check-only -D "$tmp/full"
((rc == 0)) || fail "restore --check-only of the full images exited $rc"
wait_for "nothing left of restore --check-only" all_gone
none_but_tree || fail "a process runs $victim after restore --check-only"
folder_sum "$tmp/full" | cmp -s - "$tmp/full.sum" || fail "restore --check-only changed the images"

# 6: half of what the tree needs, when that leaves crtool room to run
need=$(sed -n 's/.*the tree.s pages take \([0-9]*\) MiB/\1/p' "$tmp/co.log" | head -n 1)
mem=/sys/fs/cgroup/memory
if ((${need:-0} >= 8)) && [ -w "$mem" ] && mkdir "$mem/crtool-check-$$" 2>/dev/null; then
	cgroup=$mem/crtool-check-$$
	echo $((need / 2 * 1024 * 1024)) >"$cgroup/memory.limit_in_bytes"
	timeout -k 1 $((deadline - SECONDS)) bash -c 'echo $$ >"$1/cgroup.procs" && shift &&
		exec "$@"' - "$cgroup" "$crtool" restore -D "$tmp/co" -o "$tmp/cgroup.log" -v4 \
		>"$tmp/cgroup.out" 2>&1
	rc=$?
	((rc != 0)) || fail "restore under a memory limit of $((need / 2)) MiB exited 0"
	grep -q "^memory: the memory cgroup /crtool-check-$$ has [0-9]* MiB left .*short by [0-9]* MiB" \
		"$tmp/cgroup.out" || fail "the memory cgroup limit is not reported"
	rmdir "$cgroup" && cgroup=''
else
	echo "memory cgroup case skipped (needs ${need:-?} MiB, cgroup v1 memory: $mem)"
fi

# 7
echo >>"$victim"
run changed restore -D "$tmp/co"
((rc != 0)) || fail "restore with a changed executable exited 0"
grep -q "^file: $victim differs from the dumped file" "$tmp/changed.out" ||
	fail "the changed executable is not reported"
rm "$victim"
run deleted restore -D "$tmp/co" --json
((rc != 0)) || fail "restore with a deleted executable exited 0"
grep -q "{ \"kind\": \"file\", \"subject\": \"$victim\", " "$tmp/deleted.out" ||
	fail "the deleted executable is not reported"
echo "PASS $name (check-only)"
