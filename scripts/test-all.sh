#!/bin/sh
# Build crtool and run every test: the plain build with warnings as errors
# and fault injection (for the e2e fault tests), then the unit tests again
# under ASan+UBSan, then each fuzz target briefly.
set -e
cd "$(dirname "$0")/.."

meson setup build --wipe -Dwerror=true -Dfault_injection=true >/dev/null 2>&1 ||
	meson setup build -Dwerror=true -Dfault_injection=true
meson compile -C build
meson test -C build --print-errorlogs --num-processes 2

meson setup build-asan --wipe -Dwerror=true -Db_sanitize=address,undefined \
	-Db_lundef=false >/dev/null 2>&1 ||
	meson setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C build-asan
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-asan --print-errorlogs --suite unit

if [ -n "$(ls tests/fuzz/*.c 2>/dev/null)" ]; then
	CC=clang meson setup build-fuzz --wipe -Dfuzz=true >/dev/null 2>&1 ||
		CC=clang meson setup build-fuzz -Dfuzz=true
	meson compile -C build-fuzz
	meson test -C build-fuzz --print-errorlogs --suite fuzz
fi
