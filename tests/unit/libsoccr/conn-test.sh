#!/bin/bash
# Runs conn-test (a live connection saved and restored by libsoccr) between
# two fresh network namespaces. Usage: conn-test.sh CONN_TEST FAMILY STATE
set -u
. "$(dirname "$0")/netns.sh"
netns_setup || { echo "FAIL: can't set up the network namespaces"; exit 1; }
ip netns exec "$CLIENT_NS" "$1" "$SERVER_NS" "$HOLD_CMD" "$HOLD_OUT_CMD" "$RELEASE_CMD" "$2" "$3"
