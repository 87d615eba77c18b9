#!/bin/bash
# 50 concurrent burrow-bridge setups on one network never hand out the same
# address; 50 concurrent teardowns leave no link, rule or lease.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
sandbox_net
N=50
NET=$(nv_net cnet bw10 10.87.0.0/24 10.87.0.1)
PORT='[{"host_ip":"","container_port":80,"host_port":%d,"range":1,"protocol":"tcp"}]'
for ((i = 0; i < N; i++)); do
	ctr_ns "c$i"
	# shellcheck disable=SC2059
	printf '%s' "$(nv_opts "ctr$i" "$(printf "$PORT" $((10000 + i)))" "$(nv_att cnet eth0 '')" "$NET")" > "$T_TMP/o$i"
done
on_exit "for ((_bw = 0; _bw < $N; _bw++)); do in_host '$BRIDGE' --config '$BR_CFG' teardown x < '$T_TMP/o'\$_bw; done"
for ((i = 0; i < N; i++)); do
	in_host "$BRIDGE" --config "$BR_CFG" setup "$(ctr_path "c$i")" < "$T_TMP/o$i" > "$T_TMP/s$i" &
done
wait
for ((i = 0; i < N; i++)); do
	grep -q '"ipnet":"10.87.0.' "$T_TMP/s$i" || fail "setup $i: $(cat "$T_TMP/s$i")"
done
dups=$(cat "$T_TMP"/s* | grep -o '"ipnet":"[^"]*"' | sort | uniq -d)
[ -z "$dups" ] || fail "addresses handed out twice: $dups"
expect_eq "leases" "$N" "$(ls "$BR_CFG/burrow-bridge/ipam/cnet" | wc -l)"
ip=$(grep -o '"ipnet":"[^"/]*' "$T_TMP/s7" | cut -d'"' -f4)
in_ctr c3 ping -c1 -W2 -q "$ip" >/dev/null || fail "c3 cannot reach c7 ($ip)"
expect_eq "forward elements" "$N" "$(in_host nft list map inet burrow fwd4any | grep -o ' : 10.87.0.[0-9]* \. 80' | wc -l)"

for ((i = 0; i < N; i++)); do
	in_host "$BRIDGE" --config "$BR_CFG" teardown "$(ctr_path "c$i")" < "$T_TMP/o$i" > "$T_TMP/t$i" &
done
wait
for ((i = 0; i < N; i++)); do
	[ ! -s "$T_TMP/t$i" ] || fail "teardown $i: $(cat "$T_TMP/t$i")"
done
no_trace
pass
