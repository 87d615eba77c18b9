#!/bin/bash
# burrow-slirp --outbound-addr / --outbound-addr6: the sandbox host gets a
# second address; the container's TCP connections, UDP datagrams and ICMP
# echo requests reach the remote peer from it (IPv4 and IPv6), also when the
# option names an interface; the gateway (host loopback) still works; without
# the option the host's primary address is used; a bad value is refused at
# start-up, and so is an address that is not this host's (before, it was
# accepted and every outbound connection then failed), naming the option.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

sandbox_net
SECOND4=198.51.100.5
SECOND6=2001:db8:1::5
in_host ip addr add "$SECOND4/24" dev eth0 || fail "second IPv4 address"
in_host ip addr add "$SECOND6/64" dev eth0 nodad || fail "second IPv6 address"
# an interface of its own whose only address is the second one
in_host ip link add out0 type veth peer name out0p || fail "veth out0"
in_host ip addr add 203.0.113.77/32 dev out0
in_host ip addr add 2001:db8:3::77/128 dev out0 nodad
in_host ip link set out0 up

peer_server() { # PROTO PORT: the remote peer answers with the source it sees
	local spec
	case $1 in
	tcp) spec="TCP4-LISTEN:$2,reuseaddr,fork" ;;
	tcp6) spec="TCP6-LISTEN:$2,reuseaddr,fork,ipv6only=1" ;;
	udp) spec="UDP4-RECVFROM:$2,fork" ;;
	udp6) spec="UDP6-RECVFROM:$2,fork,ipv6only=1" ;;
	esac
	nsenter --net="/run/netns/$REMOTE_NS" -- socat "$spec" SYSTEM:'echo peer=$SOCAT_PEERADDR' &
	local pid=$!
	on_exit "kill $pid"
	retry 100 _listening "$REMOTE_NS" "${1%6}" "$2" || fail "peer server $1/$2 did not start"
}
peer_seen() { # socat ADDRESS: the peer= line the remote peer answers (bounded retries)
	local i out
	for ((i = 0; i < 30; i++)); do
		out=$(echo hi | in_ctr socat -T3 - "$1" 2>/dev/null | grep -m1 '^peer=')
		[ -n "$out" ] && { echo "$out"; return 0; }
		sleep 0.2
	done
	return 1
}

peer_server tcp 9100
peer_server tcp6 9100
peer_server udp 9101
peer_server udp6 9101
# echo requests from the host's primary addresses are dropped by the remote
# peer: a ping from the container answers only from the outbound address
in_remote nft -f - <<EOF || fail "nft in the remote peer"
table inet outb {
	chain in {
		type filter hook input priority 0;
		ip saddr $HOST_IP4 icmp type echo-request drop
		ip6 saddr $HOST_IP6 icmpv6 type echo-request drop
	}
}
EOF
ping_ok() { in_ctr ping "$@" -c1 -W2 -q >/dev/null 2>&1; }
as_user socat TCP4-LISTEN:9102,bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo peer=$SOCAT_PEERADDR' &
lo_srv=$!
on_exit "kill $lo_srv"
retry 100 _listening "$HOST_NS" tcp 9102 || fail "host loopback server did not start"

slirp_container
slirp_start -6 --outbound-addr="$SECOND4" --outbound-addr6="$SECOND6"
expect_eq "TCP from the outbound address" "peer=$SECOND4" "$(peer_seen "TCP4:$REMOTE_IP4:9100")"
expect_eq "UDP from the outbound address" "peer=$SECOND4" "$(peer_seen "UDP4:$REMOTE_IP4:9101")"
expect_eq "TCP over IPv6 from the outbound address" \
	"peer=[2001:0db8:0001:0000:0000:0000:0000:0005]" "$(peer_seen "TCP6:[$REMOTE_IP6]:9100")"
expect_eq "UDP over IPv6 from the outbound address" \
	"peer=[2001:0db8:0001:0000:0000:0000:0000:0005]" "$(peer_seen "UDP6:[$REMOTE_IP6]:9101")"
retry 30 ping_ok "$REMOTE_IP4" || fail "ICMP echo not from the outbound address (or lost)"
retry 30 ping_ok -6 "$REMOTE_IP6" || fail "ICMPv6 echo not from the outbound address (or lost)"
expect_eq "the gateway still reaches the host's loopback" "peer=127.0.0.1" \
	"$(peer_seen "TCP4:10.0.2.2:9102")"
slirp_stop

# an interface name: its address (the remote peer answers via the default route)
in_remote ip route add 203.0.113.77/32 via "$HOST_IP4"
in_remote ip -6 route add 2001:db8:3::77/128 via "$HOST_IP6"
slirp_start -6 --outbound-addr=out0 --outbound-addr6=out0
expect_eq "TCP from the interface's address" "peer=203.0.113.77" "$(peer_seen "TCP4:$REMOTE_IP4:9100")"
expect_eq "TCP over IPv6 from the interface's address" \
	"peer=[2001:0db8:0003:0000:0000:0000:0000:0077]" "$(peer_seen "TCP6:[$REMOTE_IP6]:9100")"
slirp_stop

slirp_start
expect_eq "without the option: the primary address" "peer=$HOST_IP4" "$(peer_seen "TCP4:$REMOTE_IP4:9100")"
ping_ok "$REMOTE_IP4" && fail "the remote peer's echo filter lets the primary address through"
slirp_stop

out=$(as_user timeout 10 "$BIN/burrow-slirp" --outbound-addr=nosuchif0 "$CTR_PID" tap0 2>&1) &&
	fail "an unknown interface was accepted"
echo "$out" | grep -q "outbound-addr nosuchif0" || fail "bad --outbound-addr not named: $out"
# an address that is not this host's, a link-local one without its zone
out=$(as_user timeout 10 "$BIN/burrow-slirp" --outbound-addr=198.51.100.99 "$CTR_PID" tap0 2>&1) &&
	fail "a foreign --outbound-addr was accepted"
[[ $out == *"--outbound-addr: bind(198.51.100.99): Cannot assign requested address"* ]] ||
	fail "foreign --outbound-addr: $out"
out=$(as_user timeout 10 "$BIN/burrow-slirp" --outbound-addr6=2001:db8:1::99 "$CTR_PID" tap0 2>&1) &&
	fail "a foreign --outbound-addr6 was accepted"
[[ $out == *"--outbound-addr6: bind([2001:db8:1::99]): Cannot assign requested address"* ]] ||
	fail "foreign --outbound-addr6: $out"
out=$(as_user timeout 10 "$BIN/burrow-slirp" --outbound-addr6=fe80::1 "$CTR_PID" tap0 2>&1) &&
	fail "a link-local --outbound-addr6 without its zone was accepted"
[[ $out == *"--outbound-addr6: bind([fe80::1]): Invalid argument"* ]] ||
	fail "link-local --outbound-addr6: $out"
pass
