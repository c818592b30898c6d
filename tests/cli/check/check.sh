#!/bin/bash
# crtool check on this machine: check.sh CRTOOL CASE
# Each case runs crtool check with one option and asserts its output and
# exit status. The truth here: category 1 all present, no soft-dirty, no
# CAP_SYS_RESOURCE for root, uffd and PAGEMAP_SCAN present.
set -u

crtool=$1
case_name=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL ($case_name): $*" >&2
	echo "--- stdout:" >&2
	cat "$tmp/out" >&2
	echo "--- stderr:" >&2
	cat "$tmp/err" >&2
	exit 1
}

# run ARGS...: crtool check ARGS, stdout in $tmp/out, stderr in $tmp/err, status in $rc
run() {
	"$crtool" check "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

expect_rc() {
	[ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1"
}

# the last N lines of stdout must be exactly the given text
expect_tail() {
	local n want
	n=$(printf '%s\n' "$1" | wc -l)
	want=$(printf '%s\n' "$1")
	[ "$(tail -n "$n" "$tmp/out")" = "$want" ] || fail "output does not end with: $1"
}

expect_out() {
	grep -qF -- "$1" "$tmp/out" || fail "stdout lacks: $1"
}

expect_no_out() {
	! grep -qF -- "$1" "$tmp/out" || fail "stdout has: $1"
}

expect_err() {
	grep -qF -- "$1" "$tmp/err" || fail "stderr lacks: $1"
}

maybe='Looks good but some kernel features are missing
which, depending on your process tree, may cause
dump or restore failure.'

# JSON on stdout: parse it, check every probe's fields, print "verdict categories names"
json_summary() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["probes"]:
    assert set(p) == {"name", "category", "result", "message"}, p
    assert p["result"] in ("supported", "missing", "not_permitted", "error"), p
    assert p["category"] in (1, 2, 3), p
    assert p["message"], p
res = {p["name"]: p["result"] for p in d["probes"]}
print(d["verdict"], ",".join(map(str, d["categories"])), " ".join(sorted(res)))
for name in sys.argv[2:]:
    print(name, res.get(name, "absent"))
' "$tmp/out" "$@" || fail "stdout is not the JSON report"
}

case $case_name in
default)
	run
	expect_rc 0
	[ "$(cat "$tmp/out")" = "Looks good." ] || fail "expected only 'Looks good.'"
	;;
extra)
	run --extra
	expect_rc 1
	expect_out "Warning: mem_dirty_track: missing: "
	expect_out "Warning: prctl_mm_fields: not permitted: "
	expect_out "(needs CAP_SYS_RESOURCE)"
	expect_no_out "Warning: uffd"
	expect_no_out "Warning: pagemap_scan"
	expect_no_out "Error:"
	expect_tail "$maybe"
	;;
experimental)
	run --experimental
	expect_rc 0
	[ "$(cat "$tmp/out")" = "Looks good." ] || fail "expected only 'Looks good.'"
	;;
all)
	run --all
	expect_rc 1
	expect_out "Warning: mem_dirty_track: missing: "
	expect_out "Warning: prctl_mm_fields: not permitted: "
	[ "$(grep -c '^Warning: ' "$tmp/out")" -eq 2 ] || fail "expected exactly two warnings"
	expect_tail "$maybe"
	;;
feature-mnt_id)
	run --feature mnt_id
	expect_rc 0
	[ "$(cat "$tmp/out")" = "mnt_id is supported" ] || fail "expected 'mnt_id is supported'"
	;;
feature-missing)
	run --feature mem_dirty_track
	expect_rc 1
	expect_out "Warning: mem_dirty_track: missing: "
	expect_no_out "is supported"
	;;
feature-not-permitted)
	run --feature prctl_mm_fields
	expect_rc 1
	expect_out "not permitted"
	expect_out "CAP_SYS_RESOURCE"
	;;
feature-alias)
	# criu spells the time namespace probe "timens"; "time_ns" also works.
	run --feature time_ns
	expect_rc 0
	[ "$(cat "$tmp/out")" = "time_ns is supported" ] || fail "expected 'time_ns is supported'"
	;;
feature-nosuch)
	run --feature nosuch
	expect_rc 1
	expect_err "Unknown feature nosuch"
	expect_out "mnt_id"
	expect_out "uffd-noncoop"
	;;
feature-list)
	run --feature list
	expect_rc 0
	[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "expected the names on one line"
	for name in map_files mnt_id aio_remap timerfd tun userns fdinfo_lock seccomp_suspend \
		seccomp_filters loginuid cgroupns mem_dirty_track uffd uffd-noncoop pagemap_scan timens; do
		grep -qw -- "$name" "$tmp/out" || fail "list lacks $name"
	done
	names=$(tr ' ' '\n' <"$tmp/out" | sort | tr '\n' ' ')
	run --feature list --json
	expect_rc 0
	[ "$(python3 -c 'import json,sys; print(" ".join(sorted(f["name"] for f in json.load(sys.stdin)["features"])) + " ")' <"$tmp/out")" = "$names" ] ||
		fail "JSON list and text list differ"
	;;
json)
	run --json
	expect_rc 0
	summary=$(json_summary)
	[ "$(echo "$summary" | head -1 | cut -d' ' -f1,2)" = "good 1" ] || fail "default JSON: $summary"
	run --all --json
	expect_rc 1
	summary=$(json_summary mem_dirty_track prctl_mm_fields uffd pagemap_scan map_files)
	[ "$(echo "$summary" | head -1 | cut -d' ' -f1,2)" = "incomplete 1,2,3" ] || fail "--all JSON: $summary"
	echo "$summary" | grep -qx "mem_dirty_track missing" || fail "$summary"
	echo "$summary" | grep -qx "prctl_mm_fields not_permitted" || fail "$summary"
	echo "$summary" | grep -qx "uffd supported" || fail "$summary"
	echo "$summary" | grep -qx "pagemap_scan supported" || fail "$summary"
	echo "$summary" | grep -qx "map_files supported" || fail "$summary"
	expect_no_out "Looks good"
	run --feature mem_dirty_track --json
	expect_rc 1
	summary=$(json_summary mem_dirty_track)
	echo "$summary" | grep -qx "mem_dirty_track missing" || fail "$summary"
	;;
ms)
	run --ms
	expect_rc 1
	expect_err "--ms is not supported"
	expect_err "--extra"
	expect_err "--feature"
	;;
help)
	run --help
	expect_rc 0
	for opt in --extra --experimental --all "--feature NAME" "--feature list" --json; do
		expect_out "$opt"
	done
	"$crtool" --help >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc 0
	expect_out "check"
	"$crtool" --version >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect_rc 0
	expect_out "Version: "
	;;
bad-option)
	run --nosuch
	expect_rc 1
	run extra
	expect_rc 1
	expect_err "takes no argument"
	;;
log-file)
	# Probe details go to the log at -v3; the user's words still to stdout.
	run -v3 -o "$tmp/log" --feature mnt_id
	expect_rc 0
	[ "$(cat "$tmp/out")" = "mnt_id is supported" ] || fail "stdout changed with a log file"
	grep -q "probe mnt_id: supported" "$tmp/log" || fail "log lacks the probe's result"
	;;
*)
	echo "unknown case $case_name" >&2
	exit 2
	;;
esac
echo "PASS ($case_name)"
