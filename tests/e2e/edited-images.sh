#!/bin/bash
# Restores of edited images of one dump of an e2e victim (victim-sched, run
# as uid 65534):
#  1. cpuinfo.img is written, with this CPU's XSAVE features (XCR0).
#  2. cpuinfo.img edited to claim XSAVE features this CPU lacks (AVX-512,
#     or AMX where AVX-512 is on): the restore fails (exit 1) naming them,
#     in check-only mode too, and no process is left behind.
#  3. a thread's nice value edited to 40: refused as bad, nothing left.
#  4. crtool as uid 65534 with only the capabilities a restore needs (not
#     CAP_SYS_NICE), the main thread's nice edited to -5: refused naming
#     RLIMIT_NICE, nothing left.
#  5. crtool as in 4, anonymous areas edited to be mlocked (MAP_LOCKED)
#     beyond an RLIMIT_MEMLOCK edited to 4 KiB: refused naming it.
#  6. cpuinfo.img removed (as CRIU dumps by default), crtool as in 4: the
#     restore goes on (nice values and policies set without privileges),
#     and the victim finds its state whole.
# Needs root (exit 77 otherwise). Usage: edited-images.sh VICTIM --crtool CRTOOL. Runs itself under
# e2e-reaper, which reaps the orphaned trees at once (run-victim.sh says why).
set -u

[ $# -eq 3 ] && [ "$2" = --crtool ] && [ -x "$1" ] || {
	echo "Usage: $0 VICTIM --crtool CRTOOL" >&2
	exit 2
}
victim=$(realpath "$1")
crtool=$(realpath "$3")
if [ "$(id -u)" != 0 ]; then
	echo "SKIP $(basename "$victim") (edited images): needs root"
	exit 77
fi
if [ -z "${E2E_REAPER:-}" ]; then
	exec "$(dirname "$victim")/e2e-reaper" bash "$0" "$@"
fi
name=$(basename "$victim")

tmp=$(mktemp -d /tmp/crtool-edited.XXXXXX)
chmod 1777 "$tmp" # crtool as uid 65534 writes its logs here
work=$tmp/victim
mkdir -m 1777 "$work" "$tmp/images"
as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# what a restore of its own tree needs, CAP_SYS_NICE and CAP_IPC_LOCK left out
caps=+checkpoint_restore,+setpcap,+setgid,+setuid
restorer=("${as_user[@]}" --inh-caps "$caps" --ambient-caps "$caps" --)
pid=''

cleanup() {
	[ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$victim" ] &&
		kill -KILL "$pid"
	rm -rf "$tmp"
}
trap cleanup EXIT
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

fail() {
	echo "FAIL $name (edited images): $*"
	show_logs "$work/stderr" "$tmp"/*.out "$tmp"/*.log
	exit 1
}
gone() { [ ! -e "/proc/$pid" ]; }

# edit IMAGE PYTHON: decode IMAGE, run PYTHON on its JSON as `j`, encode it back.
edit() {
	"$crtool" decode -i "$1" -o "$tmp/edit.json" || fail "cannot decode $1"
	python3 - "$tmp/edit.json" "$2" <<'EOF' || fail "cannot edit $1"
import json, sys
with open(sys.argv[1]) as f:
    j = json.load(f)
exec(sys.argv[2])
with open(sys.argv[1], "w") as f:
    json.dump(j, f)
EOF
	"$crtool" encode -i "$tmp/edit.json" -o "$1.new" && mv "$1.new" "$1" ||
		fail "cannot encode $1"
}

# refused WHAT TEXT [OPTIONS]: a restore of $tmp/edited fails with exit 1,
# its log naming TEXT, and leaves no process. $as: the command crtool runs under.
as=()
refused() {
	chmod -R a+rX "$tmp/edited"
	crtool_as "$1" restore -D "$tmp/edited" -d "${@:3}"
	[ "$rc" = 1 ] || fail "the restore with $1 exited $rc, not 1"
	grep -qiF -- "$2" "$tmp/$1.log" || fail "the log of the restore with $1 lacks '$2'"
	gone || fail "the restore with $1 left pid $pid behind"
}

# crtool_as STEP ARGS...: run(), under "${as[@]}"
crtool_as() {
	local step=$1
	shift
	timeout -k 1 $((deadline - SECONDS)) "${as[@]}" "$crtool" "$@" -o "$tmp/$step.log" -v4 \
		>"$tmp/$step.out" 2>&1
	rc=$?
}

(
	cd "$work" || exit
	setsid "${as_user[@]}" -- "$victim" --pidfile "$work/pid" --outfile "$work/out" \
		</dev/null >"$work/stdout" 2>"$work/stderr" &
)
wait_for "the pidfile" test -s "$work/pid"
pid=$(cat "$work/pid")
run dump dump -t "$pid" -D "$tmp/images"
[ "$rc" = 0 ] || fail "crtool dump exited $rc"
wait_for "the dumped victim to be gone" gone

# 1. the dump's CPU
[ -f "$tmp/images/cpuinfo.img" ] || fail "the dump wrote no cpuinfo.img"
"$crtool" decode -i "$tmp/images/cpuinfo.img" -o "$tmp/cpuinfo.json" || fail "bad cpuinfo.img"
mask=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entries"][0]["x86_entry"][0]["xfeatures_mask"])' \
	"$tmp/cpuinfo.json") || fail "cpuinfo.img has no xfeatures_mask"
(((mask & 3) == 3)) || fail "cpuinfo.img: xfeatures_mask $mask lacks x87 and SSE"

# 2. XSAVE features this CPU lacks: the 3 of AVX-512, else the 2 of AMX
extra=$((0xe0)) feature=avx512
(((mask & extra) == extra)) && extra=$((0x60000)) feature=amx
cp -a "$tmp/images" "$tmp/edited"
edit "$tmp/edited/cpuinfo.img" "j['entries'][0]['x86_entry'][0]['xfeatures_mask'] |= $extra"
refused cpu-features "lacks the XSAVE features $feature"
refused cpu-features-check "lacks the XSAVE features $feature" --check-only

# 3. a nice value no thread can have
rm -rf "$tmp/edited" && cp -a "$tmp/images" "$tmp/edited"
edit "$tmp/edited/core-$pid.img" "j['entries'][0]['thread_core']['sched_nice'] = 40"
refused bad-nice "bad scheduling in the image"

# 4. a nice value only CAP_SYS_NICE or RLIMIT_NICE may give
as=("${restorer[@]}")
rm -rf "$tmp/edited" && cp -a "$tmp/images" "$tmp/edited"
edit "$tmp/edited/core-$pid.img" "j['entries'][0]['thread_core']['sched_nice'] = -5"
refused lower-nice "RLIMIT_NICE of 25 or more"

# 5. more locked memory than RLIMIT_MEMLOCK lets crtool lock
rm -rf "$tmp/edited" && cp -a "$tmp/images" "$tmp/edited"
# MAP_ANON 0x20, MAP_LOCKED 0x2000
edit "$tmp/edited/mm-$pid.img" "
for v in j['entries'][0]['vmas']:
    if v['flags'] & 0x20:
        v['flags'] |= 0x2000"
edit "$tmp/edited/core-$pid.img" "j['entries'][0]['tc']['rlimits']['rlimits'][8]['cur'] = 4096"
refused too-much-locked "an RLIMIT_MEMLOCK of that much (the task's is 4 KiB)"

# 6. no cpuinfo.img
rm "$tmp/images/cpuinfo.img"
chmod -R a+rX "$tmp/images"
# the victim's stdio, opened by this root shell, are the restored tree's to open
chmod a+rw "$work"/stdout "$work"/stderr
crtool_as restore restore -D "$tmp/images" -d
[ "$rc" = 0 ] || fail "the restore without cpuinfo.img as uid 65534 exited $rc"
kill -TERM "$pid" || fail "kill -TERM $pid"
verdict() { [ -e "$work/out" ] || gone; }
wait_for "the verdict" verdict
[ "$(head -n 1 "$work/out" 2>/dev/null)" = PASS ] ||
	fail "the victim says $(head -n 1 "$work/out" 2>/dev/null)"
wait_for "the victim to exit" gone
echo "PASS $name (edited images: CPU features, bad nice, nice and mlock limits as uid 65534," \
	"no cpuinfo.img)"
