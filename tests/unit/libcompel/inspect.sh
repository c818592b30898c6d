#!/bin/bash
# libcompel/examples/inspect.c: built here through pkg-config against
# libcompel alone; the same program as built by meson (with the build's
# sanitizer flags, if any) is then run against a sleeping process whose
# SIGUSR1 is ignored and whose fd 7 is a file we know.
set -u
build=$1
blob_dir=$2
src=$3
inspect=$4
# shellcheck source=sleeper.sh
source "$(dirname "$0")/sleeper.sh"

export PKG_CONFIG_PATH=$build/meson-uninstalled
# shellcheck disable=SC2046
cc -o "$tmp/compel-inspect" "$src/inspect.c" -I"$src" -I"$blob_dir" \
	$(pkg-config --cflags --libs libcompel) || fail "cannot build the example with pkg-config"
ldd "$tmp/compel-inspect" | grep -E "lib(cr|img|check|soccr)\.so" && fail "the example links more than libcompel"

echo hello > "$tmp/file"
(trap "" USR1; exec sleep 1000) 7<"$tmp/file" &
pid=$!
wait_sleeping "$pid"
cat "/proc/$pid/maps" > "$tmp/maps-before"
"$inspect" "$pid" 7 > "$tmp/out" || fail "compel-inspect failed"
cat "$tmp/out"
grep -qx "signal 10: ignored" "$tmp/out" || fail "SIGUSR1 not reported as ignored"
grep -qx "fd 7: $tmp/file" "$tmp/out" || fail "fd 7 not reported"
cat "/proc/$pid/maps" | cmp -s - "$tmp/maps-before" || fail "the task's maps changed"
[ "$(awk '{print $3}' "/proc/$pid/stat")" = S ] || fail "the task no longer sleeps"
echo PASS
