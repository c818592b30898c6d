#!/bin/bash
# libsoccr benchmark: save + restore of one connection with 1 MiB queued
# each way (median of REPEATS), and idle connections handed over per
# second. Needs root. Prints figures; never fails on timing.
#   bench/soccr-bench.sh [BUILD_DIR [REPEATS [IDLE_CONNS]]]
# SOCCR_BENCH_WRAP="strace -c -o FILE" counts the syscalls behind the figures.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd) || exit 1
repeats=${2:-21} conns=${3:-1000}
. "$root/tests/unit/libsoccr/netns.sh"
bin=$(mktemp -d)
trap 'rm -rf "$bin"; netns_cleanup' EXIT

cc -O2 -D_GNU_SOURCE -I"$root/libsoccr/include" -o "$bin/soccr-bench" "$root/bench/soccr-bench.c" \
	-L"$build" -Wl,-rpath,"$build" -lsoccr || exit 1
netns_setup || { echo "can't set up the network namespaces"; exit 1; }
echo "soccr-bench: $(nproc) cores, $(uname -r), repeats $repeats, idle connections $conns"
ip netns exec "$CLIENT_NS" ${SOCCR_BENCH_WRAP:-} "$bin/soccr-bench" "$SERVER_NS" "$HOLD_CMD" "$RELEASE_CMD" "$repeats" "$conns"
exit 0
