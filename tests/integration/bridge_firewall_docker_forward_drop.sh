#!/bin/bash
# burrow-bridge on a host where Docker set iptables' FORWARD policy to DROP
# (iptables-nft, IPv4 and IPv6): a container reaches the remote peer and the
# peer reaches its published port, through an accept rule burrow-bridge puts
# at the head of FORWARD; an iptables flush (a firewall reload) takes it away
# and `burrow-bridge reload` puts it back; the last teardown removes it.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a; ctr_ns b
in_host iptables-nft -P FORWARD DROP || fail "iptables-nft -P FORWARD DROP"
# Docker loads br_netfilter: traffic inside a bridge goes through FORWARD too
in_host sysctl -qw net.bridge.bridge-nf-call-iptables=1 || fail "bridge-nf-call-iptables"
in_host ip6tables-nft -P FORWARD DROP || fail "ip6tables-nft -P FORWARD DROP"
# what Docker leaves there besides the policy
in_host iptables-nft -N DOCKER-USER
in_host iptables-nft -A DOCKER-USER -j RETURN
in_host iptables-nft -A FORWARD -j DOCKER-USER
NET=$(nv_net dnet bwd1 10.83.0.0/24 10.83.0.1 false '{}' fd83::/64 fd83::1)
A=$(nv_opts aaaa '[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]' \
	"$(nv_att dnet eth0 '"10.83.0.2","fd83::2"')" "$NET")
B=$(nv_opts bbbb '[]' "$(nv_att dnet eth0 '"10.83.0.3","fd83::3"')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'"
serve remote tcp 7777
serve remote tcp 7778 ::
serve a tcp 80 ::
serve b tcp 90
ASK_CTR=a
works() {
	local got
	got=$(ask_until in_c tcp $REMOTE_IP4 7777) || fail "$1: container -> remote (IPv4) got nothing"
	expect_eq "$1: container -> remote" "remote $HOST_IP4" "${got%:*}"
	got=$(ask_until in_c tcp $REMOTE_IP6 7778) || fail "$1: container -> remote (IPv6) got nothing"
	got=$(ask_until in_remote tcp $HOST_IP4 8080) || fail "$1: remote -> published port got nothing"
	# the container answers on ::, so the peer shows as ::ffff:198.51.100.2
	[[ "$got" == "a "*"c633:6402]"* ]] || fail "$1: remote -> published port: '$got' (the peer is $REMOTE_IP4)"
	got=$(ask_until in_remote tcp $HOST_IP6 8080) || fail "$1: remote -> published port (IPv6) got nothing"
	got=$(ask_until in_c tcp 10.83.0.3 90) || fail "$1: container -> neighbour on the bridge got nothing"
	expect_eq "$1: container -> neighbour" "b 10.83.0.2" "${got%:*}"
}
blocked() {
	ask in_c tcp $REMOTE_IP4 7777 | grep -q . && fail "$1: container reached the remote peer"
	# (so br_netfilter does send bridged traffic through FORWARD here)
	ask in_c tcp 10.83.0.3 90 | grep -q . && fail "$1: container reached its neighbour"
	return 0
}

# a setup that fails at its last step leaves no rule behind
out=$(BURROW_BRIDGE_FAIL=state nv_setup a "$A") && fail "injected failure ignored: $out"
in_host iptables-nft -S FORWARD | grep -q burrow-bridge && fail "a failed setup left its rule in FORWARD"
out=$(nv_setup a "$A") || fail "setup: $out"
out=$(nv_setup b "$B") || fail "setup b: $out"
works "with FORWARD at DROP"
rules=$(in_host iptables-nft -S FORWARD)
[[ "$rules" == *"-A FORWARD -m mark --mark 0x800000/0x800000 -m comment --comment burrow-bridge -j ACCEPT"* ]] ||
	fail "no accept rule in iptables FORWARD: $rules"
[ "$(in_host iptables-nft -S FORWARD | grep -c burrow-bridge)" = 1 ] || fail "more than one rule: $rules"
in_host ip6tables-nft -S FORWARD | grep -q burrow-bridge || fail "no accept rule in ip6tables FORWARD"
# a repeated setup (podman network reload) adds no second rule
out=$(nv_setup a "$A") || fail "repeated setup: $out"
[ "$(in_host iptables-nft -S FORWARD | grep -c burrow-bridge)" = 1 ] || fail "repeated setup doubled the rule"

# the firewall is reloaded (Docker's chains put back, ours gone)
in_host iptables-nft -F FORWARD
in_host ip6tables-nft -F FORWARD
in_host iptables-nft -A FORWARD -j DOCKER-USER
blocked "after the iptables flush"
in_host "$BRIDGE" --config "$BR_CFG" reload || fail "reload"
works "after reload"
expect_eq "rules after reload" 1 "$(in_host iptables-nft -S FORWARD | grep -c burrow-bridge)"

nv_teardown a "$A" >/dev/null || fail "teardown"
in_host iptables-nft -S FORWARD | grep -q burrow-bridge || fail "accept rule gone while b is still set up"
nv_teardown b "$B" >/dev/null || fail "teardown b"
settle
in_host iptables-nft -S FORWARD | grep -q burrow-bridge && fail "accept rule left after the last teardown"
in_host ip6tables-nft -S FORWARD | grep -q burrow-bridge && fail "ip6tables accept rule left after the last teardown"
expect_eq "Docker's rules kept" "-P FORWARD DROP
-A FORWARD -j DOCKER-USER" "$(in_host iptables-nft -S FORWARD)"
no_trace
pass
