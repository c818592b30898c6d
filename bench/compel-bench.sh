#!/bin/bash
# libcompel benchmark: seize + infect + one parasite command + cure, one
# parasite command, and one remote syscall (getpid), each REPEATS times
# against a sleeping task (median and spread). Run twice: the task and the
# bench on different CPUs, then both pinned to the same CPU. Needs root
# (ptrace) and a build. Prints figures; never fails on timing.
#   bench/compel-bench.sh [BUILD_DIR [REPEATS]]
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 1
repeats=${2:-200}
bench=$build/bench/compel-bench
[ -x "$bench" ] || { echo "no $bench: build first (meson compile -C $build)"; exit 1; }
export LD_LIBRARY_PATH=$build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null' EXIT

# run LABEL TASK_CPU BENCH_CPU: a fresh sleeping task on one CPU, the bench on the other.
run() {
	taskset -c "$2" sleep 1000 &
	pid=$!
	until [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = S ]; do sleep 0.01; done
	echo "== $1 (task on CPU $2, bench on CPU $3)"
	taskset -c "$3" "$bench" "$pid" "$repeats" || echo "compel-bench failed"
	kill "$pid"
	wait "$pid" 2>/dev/null
	pid=
}

echo "compel-bench: $(nproc) cores, $(uname -r), repeats $repeats"
if [ "$(nproc)" -ge 2 ]; then
	run "different CPUs" 1 0
else
	echo "== different CPUs: skipped, one core only"
fi
run "same CPU" 0 0
exit 0
