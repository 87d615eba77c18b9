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
docker_forward_drop legacy
NET=$(nv_net dnet bwd1 10.83.0.0/24 10.83.0.1 false '{}' fd83::/64 fd83::1)
A=$(nv_opts aaaa '[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]' \
	"$(nv_att dnet eth0 '"10.83.0.2","fd83::2"')" "$NET")
on_exit "nv_teardown a '$A'"
serve remote tcp 7777
serve remote tcp 7778 ::
serve a tcp 80 ::
ASK_CTR=a
blocked() { ask in_c tcp $REMOTE_IP4 7777 | grep -q . && fail "$1: container reached the remote peer"; return 0; }

out=$(nv_setup a "$A") || fail "setup: $out"
forwards_work "with FORWARD at DROP"
expect_forward_accept legacy
# a repeated setup (podman network reload) adds no second rule
out=$(nv_setup a "$A") || fail "repeated setup: $out"
expect_forward_accept legacy

# the firewall is reloaded (Docker's chains put back, ours gone)
docker_firewall_reload legacy
blocked "after the iptables flush"
in_host "$BRIDGE" --config "$BR_CFG" reload || fail "reload"
forwards_work "after reload"
expect_forward_accept legacy

nv_teardown a "$A" >/dev/null || fail "teardown"
settle
expect_no_forward_accept legacy
no_trace
pass
