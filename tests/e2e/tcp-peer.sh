#!/bin/bash
# A TCP connection between a victim and a peer outside its tree:
#   tcp-peer.sh VICTIM [run-victim.sh options]
# starts tcp-peer.py, runs run-victim.sh VICTIM with the options given and
# -- --peer PORT --go FILE, then checks the peer got every byte in order,
# without a reset (its verdict file).
set -u
[ $# -ge 1 ] || { echo "Usage: $0 VICTIM [run-victim.sh options]" >&2; exit 2; }
here=$(dirname "$0")
victim=$1
shift
tmp=$(mktemp -d /tmp/crtool-tcp-peer.XXXXXX)
# the victim may run as another user: it creates the go file here
chmod 1777 "$tmp"
python3 "$here/tcp-peer.py" "$tmp/port" "$tmp/go" "$tmp/verdict" &
peer=$!
trap 'kill "$peer" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
	[ -s "$tmp/port" ] && break
	sleep 0.1
done
[ -s "$tmp/port" ] || { echo "FAIL: the peer wrote no port"; exit 1; }
bash "$here/run-victim.sh" "$victim" "$@" -- --peer "$(cat "$tmp/port")" --go "$tmp/go"
status=$?
wait "$peer"
verdict=$(cat "$tmp/verdict" 2>/dev/null)
echo "peer: ${verdict:-no verdict}"
[ "$status" = 0 ] || exit "$status"
case $verdict in
PASS*) exit 0 ;;
*) exit 1 ;;
esac
