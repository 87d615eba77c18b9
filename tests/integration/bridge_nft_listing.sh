#!/bin/bash
# burrow-bridge's table reads right in `nft list ruleset`: the interface sets
# print the bridge names they hold (not elements = { "" }), and the listing
# can be fed back to nft (nft -c -f parses it).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
ctr_ns a
NET=$(nv_net lnet bwl1 10.81.0.0/24 10.81.0.1 false '{"isolate":"true"}')
A=$(nv_opts aaaa '[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]' \
	"$(nv_att lnet eth0 '"10.81.0.2"')" "$NET")
on_exit "nv_teardown a '$A'"
out=$(nv_setup a "$A") || fail "setup: $out"
list=$(in_host nft list ruleset) || fail "nft list ruleset"
grep -q 'elements = { "" }' <<<"$list" && fail "a set prints an empty name: $(grep -n '""' <<<"$list")"
for set in bridges masq isolated; do
	body=$(in_host nft list set inet burrow "$set") || fail "nft list set $set"
	grep -q 'elements = { "bwl1" }' <<<"$body" || fail "set $set does not print bwl1: $body"
done
body=$(in_host nft list set inet burrow self) || fail "nft list set self"
grep -q 'elements = { "bwl1" . "bwl1" }' <<<"$body" || fail "set self does not print bwl1 . bwl1: $body"
in_host nft list table inet burrow >"$T_TMP/t.nft"
in_host nft -c -f "$T_TMP/t.nft" || fail "nft cannot read back its own listing of the table"
nv_teardown a "$A" >/dev/null || fail "teardown"
no_trace
pass
