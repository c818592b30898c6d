#!/bin/bash
# crtool ($CRTOOL) with --ext-unix-sk added to every dump: run-victim.sh
# takes it as its --crtool to dump a victim with that option.
set -u
if [ "${1:-}" = dump ]; then
	shift
	exec "$CRTOOL" dump --ext-unix-sk "$@"
fi
exec "$CRTOOL" "$@"
