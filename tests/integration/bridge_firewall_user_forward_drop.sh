#!/bin/bash
# burrow-bridge beside a user's own nftables forward chain at policy drop:
# burrow-bridge marks what it lets through (meta mark 0x00800000), and the one
# rule the man page documents, `meta mark & 0x00800000 != 0 accept`, is all
# the user adds for containers to reach out and published ports to be reached;
# the user's ruleset reloaded with `flush ruleset` kills both until
# `burrow-bridge reload`.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a
user_rules() {
	in_host nft -f - <<-'NFT'
	table inet mine {
		chain forward {
			type filter hook forward priority filter; policy drop;
			meta mark & 0x00800000 != 0 accept
		}
	}
	NFT
}
NET=$(nv_net unet bwu1 10.84.0.0/24 10.84.0.1)
A=$(nv_opts aaaa '[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]' \
	"$(nv_att unet eth0 '"10.84.0.2"')" "$NET")
on_exit "nv_teardown a '$A'"
serve remote tcp 7777
serve a tcp 80
ASK_CTR=a
works() {
	local got
	got=$(ask_until in_c tcp $REMOTE_IP4 7777) || fail "$1: container -> remote got nothing"
	expect_eq "$1: container -> remote" "remote $HOST_IP4" "${got%:*}"
	got=$(ask_until in_remote tcp $HOST_IP4 8080) || fail "$1: remote -> published port got nothing"
	expect_eq "$1: remote -> published port" "a $REMOTE_IP4" "${got%:*}"
}
blocked() {
	ask in_c tcp $REMOTE_IP4 7777 | grep -q . && fail "$1: container reached the remote peer"
	ask in_remote tcp $HOST_IP4 8080 | grep -q . && fail "$1: the published port answered"
	return 0
}

out=$(nv_setup a "$A") || fail "setup: $out"
works "no other firewall"
# the user's chain without the rule drops everything (the test is meaningful)
in_host nft add table inet mine
in_host nft add chain inet mine forward '{ type filter hook forward priority filter; policy drop; }'
blocked "user's chain without the mark rule"
in_host nft delete table inet mine
user_rules || fail "load the user's rules"
works "user's chain with the mark rule"

# the user reloads their ruleset (nftables.conf starts with flush ruleset)
in_host nft flush ruleset
user_rules || fail "reload the user's rules"
blocked "our table flushed"
in_host "$BRIDGE" --config "$BR_CFG" reload || fail "reload"
works "after burrow-bridge reload"

nv_teardown a "$A" >/dev/null || fail "teardown"
in_host nft list table inet mine >/dev/null || fail "the user's table was touched"
in_host nft delete table inet mine
no_trace
pass
