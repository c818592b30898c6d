#!/bin/bash
# Run one libFuzzer target for ~20 seconds over seed folders, with a fresh
# writable corpus folder in front of them. Usage: run-fuzzer.sh FUZZER SEED_DIR...
set -eu
fuzzer=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$fuzzer" -artifact_prefix="$PWD/" -max_total_time="${FUZZ_SECONDS:-20}" -rss_limit_mb=2048 -timeout=10 \
	-print_final_stats=1 "$work" "$@"
