#!/bin/bash
# burrow-dns under concurrent setups and teardowns: 8 containers set up at
# once on one dns_enabled network start exactly one daemon and every name
# resolves at once (each setup returned only once served); tearing them all
# down at once leaves no daemon and no record.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns
NET=$(dns_net cnet bwd0 10.87.0.0/24 10.87.0.1)
declare -A OPT
for i in 1 2 3 4 5 6 7 8; do
	ctr_ns "c$i"
	OPT[$i]=$(dns_opts "cid$i" "node$i" "$(dns_att cnet "\"10.87.0.$((i + 1))\"" "\"n$i\"")" "$NET")
	on_exit "nv_teardown c$i '${OPT[$i]}'"
done
pids=()
for i in 1 2 3 4 5 6 7 8; do
	nv_setup "c$i" "${OPT[$i]}" > "$T_TMP/setup$i.out" 2>&1 &
	pids+=($!)
done
for i in "${!pids[@]}"; do
	wait "${pids[$i]}" || fail "setup $((i + 1)): $(cat "$T_TMP/setup$((i + 1)).out")"
done
n=$(pgrep -c -f "burrow-dns --dir $BURROW_DNS_DIR")
expect_eq "daemons running" 1 "$n"
for i in 1 2 3 4 5 6 7 8; do
	expect_q "node$i from c1" "10.87.0.$((i + 1))" c1 10.87.0.1 "node$i"
	expect_q "n$i from c8" "10.87.0.$((i + 1))" c8 10.87.0.1 "n$i.dns.podman"
done
pids=()
for i in 1 2 3 4 5 6 7 8; do
	nv_teardown "c$i" "${OPT[$i]}" > "$T_TMP/td$i.out" 2>&1 &
	pids+=($!)
done
for i in "${!pids[@]}"; do
	wait "${pids[$i]}" || fail "teardown $((i + 1)): $(cat "$T_TMP/td$((i + 1)).out")"
done
dns_gone
no_trace
pass
