# shellcheck shell=bash
# Sourced by the e2e scripts (run-victim.sh, check-only.sh, inherit-fd.sh,
# edited-images.sh). Each defines fail() and, for run(), $crtool and $tmp,
# before calling these.

# e2e_start WHAT "$@": the start of a script run as "SCRIPT PROGRAM --crtool
# CRTOOL" (WHAT names PROGRAM in the usage line): sets $prog and $crtool to
# full paths and runs the script again under e2e-reaper, which reaps the
# orphaned trees at once (run-victim.sh says why).
e2e_start() {
	local what=$1
	shift
	[ $# -eq 3 ] && [ "$2" = --crtool ] && [ -x "$1" ] || {
		echo "Usage: $0 $what --crtool CRTOOL" >&2
		exit 2
	}
	prog=$(realpath "$1")
	crtool=$(realpath "$3")
	if [ -z "${E2E_REAPER:-}" ]; then
		exec "$(dirname "$prog")/e2e-reaper" bash "$0" "$@"
	fi
}

# Everything, crtool included, must be over in 50 s: meson gives up at 60,
# and the script must live to clean up.
deadline=$((SECONDS + 50))

# wait_for WHAT CMD...: poll CMD until it succeeds or the deadline passes.
wait_for() {
	local what=$1
	shift
	while ((SECONDS < deadline)); do
		"$@" && return 0
		sleep 0.1
	done
	fail "timed out waiting for $what"
}

# run STEP ARGS...: crtool ARGS, output in $tmp/STEP.out, log in $tmp/STEP.log;
# its status in $rc.
run() {
	local step=$1
	shift
	timeout -k 1 $((deadline - SECONDS)) "$crtool" "$@" -o "$tmp/$step.log" -v4 \
		>"$tmp/$step.out" 2>&1
	rc=$?
}

# The pids of a process and all its descendants, parents first.
tree_pids() {
	local c
	echo "$1"
	# shellcheck disable=SC2013 # the files hold pids separated by spaces
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		tree_pids "$c"
	done
}

state() { awk '{print $3}' "/proc/$1/stat" 2>/dev/null; }
alive() { [ -e "/proc/$1" ] && [ "$(state "$1")" != Z ]; }

# show_logs FILE...: the last lines of each non-empty FILE, for a failure.
show_logs() {
	local f
	for f in "$@"; do
		[ -s "$f" ] || continue
		echo "--- last lines of $(basename "$f")"
		tail -n 15 "$f"
	done
}
