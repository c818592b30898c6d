#!/bin/bash
# The parasite runtime as an outside project sees it: install the build
# into a scratch root, build libcompel/examples (its parasite included)
# from the installed files only, through pkg-config (libcompel-pie for the
# parasite, compel-blobgen for its header, libcompel for the program),
# then let inspect.sh run that program against a real process.
set -u
build=$1
src=$2
prefix=$3
libdir=$4
# shellcheck source=sleeper.sh
source "$(dirname "$0")/sleeper.sh"

root=$tmp/root$prefix
meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null ||
	fail "meson install failed"
export PKG_CONFIG_PATH=$root/$libdir/pkgconfig
pc() {
	pkg-config --define-variable=prefix="$root" "$@"
}
piedir=$(pc --variable=piedir libcompel-pie) || fail "no libcompel-pie.pc installed"
# shellcheck disable=SC2046
cc -I"$src" -o "$tmp/inspect-parasite.elf" "$piedir/entry.S" "$piedir/runtime.c" \
	"$src/inspect-parasite.c" $(pc --cflags --libs libcompel-pie) ||
	fail "cannot build the parasite from the installed runtime"
"$(pc --variable=blobgen libcompel-pie)" "$tmp/inspect-parasite.elf" "$tmp/inspect-blob.h" \
	inspect_parasite || fail "the installed compel-blobgen failed"
# shellcheck disable=SC2046
cc -o "$tmp/compel-inspect" "$src/inspect.c" -I"$src" -I"$tmp" \
	$(pc --cflags --libs libcompel) -Wl,-rpath,"$root/$libdir" ||
	fail "cannot build the example against the installed libcompel"
bash "$(dirname "$0")/inspect.sh" "$build" "$tmp" "$src" "$tmp/compel-inspect"
