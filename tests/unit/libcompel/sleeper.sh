# Sourced by libcompel's shell tests: a temporary folder and the process in
# $pid are cleaned up on exit whatever happens; fail() ends the test.
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	exit 1
}

# Wait until process $1 sleeps (a sleep(1) that sleeps has its final maps).
wait_sleeping() {
	for _ in $(seq 100); do
		[ "$(awk '{print $3}' "/proc/$1/stat")" = S ] && return 0
		sleep 0.05
	done
	fail "process $1 never went to sleep"
}
