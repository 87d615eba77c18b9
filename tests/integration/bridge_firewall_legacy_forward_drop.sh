#!/bin/bash
# burrow-bridge on a host where Docker runs on iptables-legacy (x_tables, out
# of nftables' reach) and set FORWARD's policy to DROP, IPv4 and IPv6: a
# container reaches the remote peer and the peer reaches its published port,
# through an accept rule burrow-bridge puts at the head of FORWARD with
# iptables-legacy; an iptables flush (a firewall reload) takes it away and
# `burrow-bridge reload` puts it back; the last teardown removes it.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a
in_host iptables-legacy -S >/dev/null 2>&1 || skip "no x_tables in this kernel (iptables-legacy -S fails)"
in_host iptables-legacy -P FORWARD DROP || fail "iptables-legacy -P FORWARD DROP"
in_host ip6tables-legacy -P FORWARD DROP || fail "ip6tables-legacy -P FORWARD DROP"
# what Docker leaves there besides the policy
in_host iptables-legacy -N DOCKER-USER
in_host iptables-legacy -A DOCKER-USER -j RETURN
in_host iptables-legacy -A FORWARD -j DOCKER-USER
NET=$(nv_net dnet bwd1 10.83.0.0/24 10.83.0.1 false '{}' fd83::/64 fd83::1)
A=$(nv_opts aaaa '[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]' \
	"$(nv_att dnet eth0 '"10.83.0.2","fd83::2"')" "$NET")
on_exit "nv_teardown a '$A'"
serve remote tcp 7777
serve remote tcp 7778 ::
serve a tcp 80 ::
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
}
blocked() { ask in_c tcp $REMOTE_IP4 7777 | grep -q . && fail "$1: container reached the remote peer"; return 0; }

out=$(nv_setup a "$A") || fail "setup: $out"
works "with FORWARD at DROP"
rules=$(in_host iptables-legacy -S FORWARD)
[[ "$rules" == *"-A FORWARD -m mark --mark 0x800000/0x800000 -m comment --comment burrow-bridge -j ACCEPT"* ]] ||
	fail "no accept rule in iptables FORWARD: $rules"
[ "$(in_host iptables-legacy -S FORWARD | grep -c burrow-bridge)" = 1 ] || fail "more than one rule: $rules"
in_host ip6tables-legacy -S FORWARD | grep -q burrow-bridge || fail "no accept rule in ip6tables FORWARD"
# a repeated setup (podman network reload) adds no second rule
out=$(nv_setup a "$A") || fail "repeated setup: $out"
[ "$(in_host iptables-legacy -S FORWARD | grep -c burrow-bridge)" = 1 ] || fail "repeated setup doubled the rule"

# the firewall is reloaded (Docker's chains put back, ours gone)
in_host iptables-legacy -F FORWARD
in_host ip6tables-legacy -F FORWARD
in_host iptables-legacy -A FORWARD -j DOCKER-USER
blocked "after the iptables flush"
in_host "$BRIDGE" --config "$BR_CFG" reload || fail "reload"
works "after reload"
expect_eq "rules after reload" 1 "$(in_host iptables-legacy -S FORWARD | grep -c burrow-bridge)"

nv_teardown a "$A" >/dev/null || fail "teardown"
settle
in_host iptables-legacy -S FORWARD | grep -q burrow-bridge && fail "accept rule left after the last teardown"
in_host ip6tables-legacy -S FORWARD | grep -q burrow-bridge && fail "ip6tables accept rule left after the last teardown"
expect_eq "Docker's rules kept" "-P FORWARD DROP
-A FORWARD -j DOCKER-USER" "$(in_host iptables-legacy -S FORWARD)"
no_trace
pass
