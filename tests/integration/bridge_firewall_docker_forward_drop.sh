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
docker_forward_drop nft
# Docker loads br_netfilter: traffic inside a bridge goes through FORWARD too
in_host sysctl -qw net.bridge.bridge-nf-call-iptables=1 || fail "bridge-nf-call-iptables"
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
	forwards_work "$1"
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
expect_forward_accept nft
# a repeated setup (podman network reload) adds no second rule
out=$(nv_setup a "$A") || fail "repeated setup: $out"
expect_forward_accept nft

# the firewall is reloaded (Docker's chains put back, ours gone)
docker_firewall_reload nft
blocked "after the iptables flush"
in_host "$BRIDGE" --config "$BR_CFG" reload || fail "reload"
works "after reload"
expect_forward_accept nft

nv_teardown a "$A" >/dev/null || fail "teardown"
in_host iptables-nft -S FORWARD | grep -q burrow-bridge || fail "accept rule gone while b is still set up"
nv_teardown b "$B" >/dev/null || fail "teardown b"
settle
expect_no_forward_accept nft
no_trace
pass
