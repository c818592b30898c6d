# shellcheck shell=bash
# Sourced by img.sh and dump.sh: a scratch folder ($tmp, removed at exit),
# failures counted in $fails, and expect CODE CMD... (stdout in $tmp/out,
# stderr in $tmp/err).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# expect CODE CMD...: run CMD, check its exit code.
expect() {
	local want=$1 got
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" = "$want" ] || fail "'$*' exited $got, expected $want: $(head -c 300 "$tmp/err")"
}
