#!/bin/bash
# Runs one end-to-end victim (see victims/victim.h): starts it in a session
# of its own, not a child of this shell nor of crtool; dumps it with crtool;
# waits until every pid of its tree is gone; restores it detached; checks the
# tree came back with the same pids; sends SIGTERM and reads its verdict.
#   --no-dump         start, SIGTERM and verdict only (checks the victim itself)
#   --leave-running   dump with --leave-running and check the original instead
#   --user UID        run the victim as uid and gid UID, no groups (needs root)
#   --keep            keep the scratch folder (images, logs) and print its path
#   --fault STEP      first make the dump (dump-*) or the restore (restore-*) fail
#                     at STEP (a crtool built with -Dfault_injection=true) and
#                     check that nothing was harmed or left behind; then go on
#   --refuse-dump TEXT the dump must fail (exit 1) logging TEXT, leaving the tree
#                     running unharmed; then SIGTERM and verdict as --no-dump
#   --stale FILE      after the dump, append to FILE (a glob in the victim's
#                     folder): the restore must fail (exit 1) naming it and
#                     leave no process behind; nothing more is checked
#   --stale-mtime FILE the same, but only FILE's mtime changes (size kept)
#   --touch FILE      after the dump, change only FILE's mtime (a glob as for
#                     --stale); the restore must go on as usual
#   --dump-opt OPT    pass OPT to every crtool dump (repeatable)
#   --restore-opt OPT pass OPT to every crtool restore (repeatable)
#   --vdso-proxy      after the dump, change the vDSO fingerprint in every mm
#                     image, as if dumped on another kernel build: the restore
#                     must put a proxy in the old vDSO's place
#   --restore-as UID  first restore as uid and gid UID, no groups nor
#                     capabilities (needs root), which must fail: exit 1, the
#                     reason in one line naming UID, nothing left; then go on
# Exits 0 only on PASS; 77 (skipped) for --user when not root.
# It runs itself under e2e-reaper (built next to the victims), which adopts
# and reaps the orphaned victim and restored tree at once: an init slow to
# reap orphans (this machine's takes seconds) keeps their pids taken.
set -u

usage() {
	echo "Usage: $0 VICTIM [--user UID] [--crtool PATH] [--keep]" \
		"[--leave-running|--no-dump] [--fault STEP] [--refuse-dump TEXT]" \
		"[--stale[-mtime] FILE] [--touch FILE] [--restore-as UID] [--dump-opt OPT]..." \
		"[--restore-opt OPT]..." \
		"[-- VICTIM ARGS]" >&2
	exit 2
}

if [ $# -lt 1 ] || [ ! -f "$1" ] || [ ! -x "$1" ]; then
	usage
fi
victim=$(realpath "$1")
if [ -z "${E2E_REAPER:-}" ]; then
	exec "$(dirname "$victim")/e2e-reaper" bash "$0" "$@"
fi
shift
user='' crtool=crtool keep='' mode=restore fault='' refuse='' stale='' restore_as=''
stale_how=append dump_opts=() restore_opts=() touch='' vdso_proxy=''
while [ $# -gt 0 ]; do
	case $1 in
	--user | --crtool | --fault | --refuse-dump | --stale | --stale-mtime | --restore-as | \
		--dump-opt | --restore-opt | --touch)
		[ $# -ge 2 ] || usage
		case $1 in
		--user) user=$2 ;;
		--crtool) crtool=$2 ;;
		--fault) fault=$2 ;;
		--refuse-dump) refuse=$2 ;;
		--stale) stale=$2 ;;
		--stale-mtime) stale=$2 stale_how=mtime ;;
		--restore-as) restore_as=$2 ;;
		--dump-opt) dump_opts+=("$2") ;;
		--restore-opt) restore_opts+=("$2") ;;
		--touch) touch=$2 ;;
		esac
		shift 2 ;;
	--keep) keep=1; shift ;;
	--vdso-proxy) vdso_proxy=1; shift ;;
	--leave-running | --no-dump) mode=${1#--}; shift ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
# crtool runs from other folders
if [ "$mode" != no-dump ]; then
	crtool=$(realpath "$(command -v "$crtool")") || usage
fi
name=$(basename "$victim")${user:+ as uid $user}
if [ -n "$user$restore_as" ] && [ "$(id -u)" != 0 ]; then
	echo "SKIP $name: --user and --restore-as need root"
	exit 77
fi

tmp=$(mktemp -d /tmp/crtool-e2e.XXXXXX)
chmod 755 "$tmp"
work=$tmp/victim	# the victim's cwd: pidfile, verdict, its own files
mkdir -m 1777 "$work" "$tmp/images"
pids=()

# Kills what is left of the tree: pids running the victim's program only,
# as a freed pid may have gone to another process.
cleanup() {
	local p
	for p in "${pids[@]}"; do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$victim" ] && kill -KILL "$p"
	done
	if [ -n "$keep" ]; then
		echo "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

fail() {
	echo "FAIL $name ($mode): $*"
	show_logs "$work/stderr" "$tmp"/dump.* "$tmp"/restore.*
	exit 1
}

# Runs crtool with what is left of the time.
run_crtool() {
	local left=$((deadline - SECONDS))
	((left > 0)) || fail "out of time before crtool $1"
	timeout -k 1 "$left" "$crtool" "$@"
}
status_text() { if [ "$1" = 124 ]; then echo "timed out"; else echo "exited $1"; fi; }

all_gone() {
	local p
	for p in "${pids[@]}"; do
		[ -e "/proc/$p" ] && return 1
	done
	return 0
}
# The tree's zombies when it started (ended, not reaped): they stay zombies.
zombies=()
is_zombie_of_tree() { [[ " ${zombies[*]} " == *" $1 "* ]]; }
check_all_alive() {
	local p
	for p in "${pids[@]}"; do
		if is_zombie_of_tree "$p"; then
			[ "$(state "$p")" = Z ] || fail "zombie $p of the tree is not a zombie $1"
			continue
		fi
		alive "$p" || fail "pid $p of the tree is not running $1"
		case $(state "$p") in
		T | t) fail "pid $p of the tree is stopped $1" ;;
		esac
	done
}

# setsid does not fork here (a background job is no group leader), so $! is
# the victim's pid; the subshell exits at once and the victim is orphaned.
start=(setsid)
[ -n "$user" ] && start+=(setpriv "--reuid=$user" "--regid=$user" --clear-groups --)
(
	cd "$work" || exit
	"${start[@]}" "$victim" --pidfile "$work/pid" --outfile "$work/out" "$@" \
		</dev/null >"$work/stdout" 2>"$work/stderr" &
	echo $! >"$tmp/started"
)
pids=("$(cat "$tmp/started")")
started_or_ended() { [ -s "$work/pid" ] || [ -e "$work/out" ] || ! alive "${pids[0]}"; }
wait_for "the pidfile" started_or_ended
[ -s "$work/pid" ] || fail "the victim stopped before writing its pidfile"
pid=$(cat "$work/pid")
pids+=("$pid")
[ "$pid" = "${pids[0]}" ] || fail "the pidfile says $pid, the started pid was ${pids[0]}"
mapfile -t pids < <(tree_pids "$pid")
for p in "${pids[@]}"; do
	[ "$(state "$p")" = Z ] && zombies+=("$p")
done

maps_of_tree() { for p in "${pids[@]}"; do cat "/proc/$p/maps"; done; }
# A dump that must fail ($1: why) with exit status 1, logging the text $2:
# the tree must go on as it was and no dump be left.
dump_must_fail() {
	local st
	maps_of_tree >"$tmp/maps.before"
	run_crtool dump -t "$pid" -D "$tmp/faulty" -o "$tmp/faulty.log" -v4 "${dump_opts[@]}" \
		>"$tmp/faulty.out" 2>&1
	st=$?
	[ "$st" = 1 ] || fail "crtool dump $(status_text "$st") $1, not 1"
	grep -qF -- "$2" "$tmp/faulty.log" || fail "the log of the dump failed $1 lacks '$2'"
	check_all_alive "after a dump failed $1"
	maps_of_tree | cmp -s - "$tmp/maps.before" || fail "the maps changed after a dump failed $1"
	[ ! -e "$tmp/faulty/inventory.img" ] || fail "a dump failed $1 left inventory.img"
}
if [ "${fault%%-*}" = dump ]; then
	CRTOOL_FAULT=$fault dump_must_fail "at $fault" "injected failure at step $fault"
fi
if [ -n "$refuse" ]; then
	dump_must_fail "on purpose" "$refuse"
	mode=no-dump
fi
if [ "$mode" != no-dump ]; then
	opts=("${dump_opts[@]}")
	[ "$mode" = leave-running ] && opts+=(--leave-running)
	run_crtool dump -t "$pid" -D "$tmp/images" -o "$tmp/dump.log" -v4 "${opts[@]}" \
		>"$tmp/dump.out" 2>&1 ||
		fail "crtool dump $(status_text $?)"
fi
if [ "$mode" = restore ]; then
	wait_for "the dumped tree (${pids[*]}) to be gone" all_gone
	if [ "${fault%%-*}" = restore ]; then
		CRTOOL_FAULT=$fault run_crtool restore -D "$tmp/images" -d -o "$tmp/faulty.log" -v4 \
			"${restore_opts[@]}" >"$tmp/faulty.out" 2>&1 && fail "crtool restore went through the fault $fault"
		grep -q "injected failure at step $fault" "$tmp/faulty.log" ||
			fail "the fault $fault was never reached"
		wait_for "the tree of a restore failed at $fault to be gone" all_gone
	fi
	if [ -n "$restore_as" ]; then
		# its images readable: what refuses the restore must be crtool
		chmod -R a+rX "$tmp/images"
		timeout -k 1 $((deadline - SECONDS)) setpriv "--reuid=$restore_as" \
			"--regid=$restore_as" --clear-groups "$crtool" restore -D "$tmp/images" -d \
			>"$tmp/as-user.out" 2>&1
		status=$?
		[ "$status" = 1 ] || fail "crtool restore as uid $restore_as exited $status, not 1"
		[ "$(grep -c "Error.*uid $restore_as" "$tmp/as-user.out")" = 1 ] ||
			fail "crtool restore as uid $restore_as gave no one-line reason: $(cat "$tmp/as-user.out")"
		all_gone || fail "crtool restore as uid $restore_as left a process"
	fi
	# Changes the mtime of file $1, not its size.
	touch_only() {
		local size
		size=$(stat -c %s "$1")
		touch -d '2001-02-03 04:05:06' "$1"
		[ "$(stat -c %s "$1")" = "$size" ] || fail "touch changed the size of $1"
	}
	if [ -n "$vdso_proxy" ]; then
		for mm in "$tmp"/images/mm-*.img; do
			"$crtool" decode -i "$mm" | python3 -c 'import json, sys
d = json.load(sys.stdin)
d["entries"][0]["vdso_sha256"] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
json.dump(d, sys.stdout)' >"$tmp/mm.json" && "$crtool" encode -i "$tmp/mm.json" -o "$mm" ||
				fail "cannot change the vdso fingerprint of $mm"
		done
	fi
	if [ -n "$touch" ]; then
		# shellcheck disable=SC2206 # the glob is meant to expand
		files=("$work"/$touch)
		[ -f "${files[0]}" ] || fail "no file $touch to touch"
		touch_only "${files[0]}"
	fi
	if [ -n "$stale" ]; then
		# shellcheck disable=SC2206 # the glob is meant to expand
		files=("$work"/$stale)
		[ -f "${files[0]}" ] || fail "no file $stale to change"
		if [ "$stale_how" = mtime ]; then
			touch_only "${files[0]}"
		else
			echo changed >>"${files[0]}"
		fi
		run_crtool restore -D "$tmp/images" -d -o "$tmp/restore.log" -v4 "${restore_opts[@]}" \
			>"$tmp/restore.out" 2>&1
		st=$?
		[ "$st" = 1 ] || fail "crtool restore $(status_text "$st") with ${files[0]} changed, not 1"
		grep -qF "${files[0]} has changed since the dump" "$tmp/restore.log" ||
			fail "the restore log does not name ${files[0]} as changed"
		wait_for "the tree of the refused restore to be gone" all_gone
		echo "PASS $name (restore refused: ${files[0]} changed, $stale_how)"
		exit 0
	fi
	# Core dumps allowed and crtool in a folder of its own: what the restore
	# does (a zombie killed by SIGABRT...) must leave no core file behind.
	mkdir "$tmp/cwd"
	(
		cd "$tmp/cwd" && ulimit -S -c unlimited 2>/dev/null
		run_crtool restore -D "$tmp/images" -d --pidfile "$tmp/rst.pid" -o "$tmp/restore.log" \
			-v4 "${restore_opts[@]}" >"$tmp/restore.out" 2>&1
	) || fail "crtool restore $(status_text $?)"
	[ -z "$(ls -A "$tmp/cwd")" ] || fail "the restore left $(ls -A "$tmp/cwd") in crtool's folder"
	[ "$(cat "$tmp/rst.pid" 2>/dev/null)" = "$pid" ] ||
		fail "the restored root is '$(cat "$tmp/rst.pid" 2>/dev/null)', not $pid"
fi
check_all_alive "before SIGTERM"

kill -TERM "$pid" || fail "kill -TERM $pid"
verdict_or_death() { [ -e "$work/out" ] || ! alive "$pid"; }
wait_for "the verdict" verdict_or_death
[ -e "$work/out" ] || fail "pid $pid ended on SIGTERM without a verdict"
verdict=$(head -n 1 "$work/out")
[ "$verdict" = PASS ] || fail "the victim says ${verdict:-nothing}"
wait_for "the tree to exit" all_gone
echo "PASS $name ($mode, processes: ${#pids[@]})"
