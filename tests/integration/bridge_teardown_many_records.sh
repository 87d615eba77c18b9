#!/bin/bash
# burrow-bridge: a teardown reads the records of its own bridge's containers
# only, however many containers other networks hold.  When a container that
# forwards from 127.0.0.1 leaves a bridge, route_localnet stays on while
# another container there still does so; that question used to be answered
# by parsing every container record on the host, so with 1000 containers
# on another network a teardown on a small one took 36 ms instead of 1.5
# (bench_bridge's probe).  Counted, not timed: with 100 containers on
# network B, tearing down a container of network A (A still has a member
# that does not forward from 127.0.0.1) opens none of B's records (the old
# code opened all 100).  And the answer is the same as before: on while the
# other forwarding member r is there, off once the last one forwarding from
# 127.0.0.1 is gone.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
need_cmd strace strace
sandbox_net
NB=100
NETA=$(nv_net na bta0 10.94.0.0/24 10.94.0.1)
NETB=$(nv_net nb btb0 10.95.0.0/16 10.95.0.1)
port() { printf '[{"host_ip":"","container_port":80,"host_port":%d,"range":1,"protocol":"tcp"}]' "$1"; }
ctr_ns cp; ctr_ns cq; ctr_ns cr
for ((i = 0; i < NB; i++)); do
	ip netns add "${T_ID}b$i" || fail "ip netns add"
	nv_opts "b$i" "$(port $((31000 + i)))" "$(nv_att nb eth0 '')" "$NETB" > "$T_TMP/b$i"
done
on_exit "for ((_i = 0; _i < $NB; _i++)); do ip netns delete ${T_ID}b\$_i; done 2>/dev/null"
nv_opts p "$(port 32000)" "$(nv_att na eth0 '')" "$NETA" > "$T_TMP/p"
nv_opts q '[]' "$(nv_att na eth0 '')" "$NETA" > "$T_TMP/q"
nv_opts r "$(port 32001)" "$(nv_att na eth0 '')" "$NETA" > "$T_TMP/r"
export NB T_TMP BRIDGE BR_CFG T_ID
in_host bash -c 'for ((i = 0; i < NB; i++)); do "$BRIDGE" --config "$BR_CFG" setup "/run/netns/${T_ID}b$i" < "$T_TMP/b$i" >/dev/null || exit 1; done' ||
	fail "setup of network B's containers"
on_exit "in_host bash -c 'for ((i = 0; i < NB; i++)); do \"\$BRIDGE\" --config \"\$BR_CFG\" teardown x < \"\$T_TMP/b\$i\" >/dev/null; done'"
for c in q p; do
	in_host "$BRIDGE" --config "$BR_CFG" setup "$(ctr_path c$c)" < "$T_TMP/$c" >/dev/null || fail "setup $c"
done
on_exit "in_host $BRIDGE --config $BR_CFG teardown x < $T_TMP/q >/dev/null"
localnet() { in_host cat /proc/sys/net/ipv4/conf/bta0/route_localnet; }
expect_eq "route_localnet of bta0 while p forwards from 127.0.0.1" 1 "$(localnet)"

# p leaves; q stays (A is not left empty) and forwards nothing
# (LeakSanitizer cannot run under ptrace: off for this one call under SAN=1)
in_host strace -E "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" -f -e trace=openat -o "$T_TMP/td.strace" "$BRIDGE" --config "$BR_CFG" teardown x < "$T_TMP/p" >/dev/null ||
	fail "teardown p"
others=$(grep -c '/ctr/b[0-9]*\.' "$T_TMP/td.strace")
mine=$(grep -c '/ctr/q\.' "$T_TMP/td.strace")
echo "teardown of p opened $others records of network B's $NB containers and $mine of q's"
[ "$others" -eq 0 ] || fail "teardown of p opened $others records of another network's containers"
[ "$mine" -ge 1 ] || fail "teardown of p did not look at q, the other member of its network"
expect_eq "route_localnet of bta0 once no container there forwards from 127.0.0.1" 0 "$(localnet)"

# with r forwarding from 127.0.0.1 too, p's going leaves it on, r's turns it off
for c in p r; do
	in_host "$BRIDGE" --config "$BR_CFG" setup "$(ctr_path c$c)" < "$T_TMP/$c" >/dev/null || fail "setup $c"
done
in_host "$BRIDGE" --config "$BR_CFG" teardown x < "$T_TMP/p" >/dev/null || fail "teardown p"
expect_eq "route_localnet of bta0 while r still forwards from 127.0.0.1" 1 "$(localnet)"
in_host "$BRIDGE" --config "$BR_CFG" teardown x < "$T_TMP/r" >/dev/null || fail "teardown r"
expect_eq "route_localnet of bta0 after r left" 0 "$(localnet)"
pass "no record of another network read; route_localnet follows the forwarding members"
