# Two network namespaces joined by a veth pair, for the libsoccr tests and
# benchmark. Source it; it sets CLIENT_NS, SERVER_NS, SERVER_IF and a trap
# that deletes both namespaces (and with them the veth pair) on exit.
# Client 10.200.0.1 / fd00:200::1, server 10.200.0.2 / fd00:200::2.
# Neighbours are static: HOLD_CMD points them at a MAC nobody has, so
# every packet leaves its socket and is dropped on the other side;
# HOLD_OUT_CMD does it for the client's packets only; RELEASE_CMD points
# them back.
CLIENT_NS=soccr-c-$$
SERVER_NS=soccr-s-$$
SERVER_IF=soccr-s$$
CLIENT_IF=soccr-c$$
CLIENT_MAC=02:00:0a:c8:00:01
SERVER_MAC=02:00:0a:c8:00:02
NOBODY_MAC=02:00:0a:c8:00:ff

netns_cleanup() {
	ip netns del "$CLIENT_NS" 2>/dev/null
	ip netns del "$SERVER_NS" 2>/dev/null
}
trap netns_cleanup EXIT

netns_setup() {
	ip netns add "$CLIENT_NS" && ip netns add "$SERVER_NS" &&
	ip link add "$CLIENT_IF" netns "$CLIENT_NS" type veth peer name "$SERVER_IF" netns "$SERVER_NS" || return 1
	local side
	for side in "$CLIENT_NS 10.200.0.1 fd00:200::1 $CLIENT_IF $CLIENT_MAC" \
		    "$SERVER_NS 10.200.0.2 fd00:200::2 $SERVER_IF $SERVER_MAC"; do
		set -- $side
		ip -n "$1" link set lo up &&
		ip -n "$1" link set "$4" address "$5" &&
		ip -n "$1" addr add "$2/24" dev "$4" &&
		ip -n "$1" addr add "$3/64" dev "$4" nodad &&
		ip -n "$1" link set "$4" up || return 1
	done
	RELEASE_CMD=$(neigh_cmds "$SERVER_MAC" "$CLIENT_MAC")
	HOLD_CMD=$(neigh_cmds "$NOBODY_MAC" "$NOBODY_MAC")
	HOLD_OUT_CMD=$(neigh_cmds "$NOBODY_MAC" "$CLIENT_MAC")
	eval "$RELEASE_CMD"
}

# Commands that set the client's neighbour entry for the server to $1 and
# the server's for the client to $2, for IPv4 and IPv6.
neigh_cmds() {
	local v4 v6
	for v4 in "$CLIENT_NS 10.200.0.2 fd00:200::2 $CLIENT_IF $1" "$SERVER_NS 10.200.0.1 fd00:200::1 $SERVER_IF $2"; do
		set -- $v4
		for v6 in "$2" "$3"; do
			printf 'ip -n %s neigh replace %s lladdr %s dev %s nud permanent && ' "$1" "$v6" "$5" "$4"
		done
	done
	echo true
}
