# shellcheck shell=bash
# slirp_fwd.sh - helpers for burrow-slirp's port forwarding tests (source
# after sandbox.sh and slirp.sh)
#
#   ctr_peer_server tcp|tcp6|udp PORT  a server in the container that answers
#                                      every connection/datagram with
#                                      "peer=ADDR" (the source it sees)
#   peer_of CMD...                     run a client CMD until it prints a
#                                      "peer=" line (bounded); prints it

_ctr_listening() {
	local opt=-Hltn
	[ "$1" = udp ] && opt=-Hlun
	in_ctr ss $opt "sport = :$2" | grep -q .
}

ctr_peer_server() {
	local spec
	case $1 in
	tcp) spec="TCP4-LISTEN:$2,reuseaddr,fork" ;;
	tcp6) spec="TCP6-LISTEN:$2,reuseaddr,fork,ipv6only=1" ;;
	udp) spec="UDP4-RECVFROM:$2,fork" ;;
	esac
	in_ctr socat "$spec" SYSTEM:'echo peer=$SOCAT_PEERADDR' &
	local pid=$!
	# nsenter forks for the user namespace: its child, then itself
	on_exit "pkill -P $pid; kill $pid"
	retry 100 _ctr_listening "${1%6}" "$2" || fail "container server $1/$2 did not start"
}

_peer_try() {
	local out
	out=$("$@" 2>/dev/null </dev/null | grep -m1 '^peer=')
	[ -n "$out" ] && echo "$out"
}

peer_of() {
	local i
	for ((i = 0; i < 30; i++)); do
		_peer_try "$@" && return 0
		sleep 0.2
	done
	return 1
}
