#!/bin/bash
# Installs the build into a staging folder, builds libsoccr/examples with
# nothing but the staged pkg-config file, and runs the hand-over between
# two fresh network namespaces (IPv4, then IPv6).
# Usage: example-test.sh BUILD_ROOT SOURCE_ROOT SANITIZERS
# (SANITIZERS: meson's b_sanitize; a sanitized libsoccr needs the example
# linked with the same runtime.)
set -u
build=$1 src=$2 san=$3
ldflags=
[ "$san" = none ] || ldflags=-fsanitize=$san
. "$(dirname "$0")/netns.sh"
stage=$(mktemp -d)
trap 'rm -rf "$stage"; netns_cleanup' EXIT

meson install -C "$build" --no-rebuild --quiet --destdir "$stage" >/dev/null ||
	{ echo "FAIL: meson install"; exit 1; }
pc=$(find "$stage" -name libsoccr.pc)
[ -n "$pc" ] || { echo "FAIL: no libsoccr.pc installed"; exit 1; }
# The .pc file names the final prefix (/usr/local/...); the sysroot makes
# pkg-config put the staging folder in front of its -I and -L paths.
cp "$src"/libsoccr/examples/{handover.c,Makefile} "$stage"/
PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$stage make -s -C "$stage" LDFLAGS="$ldflags" ||
	{ echo "FAIL: the example does not build against the installed libsoccr"; exit 1; }
needed=$(readelf -d "$stage/handover" | grep NEEDED)
echo "$needed"
grep -q 'libsoccr.so' <<<"$needed" || { echo "FAIL: not linked with libsoccr"; exit 1; }
if grep -qE 'lib(img|check|compel|cr)\.so' <<<"$needed"; then
	echo "FAIL: the example pulls in another crtool library"; exit 1
fi

netns_setup || { echo "FAIL: can't set up the network namespaces"; exit 1; }
export LD_LIBRARY_PATH=$(dirname "$(find "$stage" -name 'libsoccr.so' | head -1)")
for addr in 10.200.0.1 fd00:200::1; do
	echo "== hand-over on $addr"
	ip netns exec "$CLIENT_NS" "$stage/handover" "$addr" "$SERVER_NS" "$HOLD_CMD" "$RELEASE_CMD" ||
		{ echo "FAIL: hand-over on $addr"; exit 1; }
done
