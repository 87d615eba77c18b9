#!/bin/bash
# bench_bridge.sh - burrow-bridge against its anchors, in one run, in the sandbox:
#   setup/teardown per container (with one TCP port forward each), interleaved
#   round by round: burrow-bridge (netavark face), Debian's netavark 1.4, and
#   the CNI bridge + portmap plugins (host-local IPAM); one resident container
#   per network so that bridges stay up; median ms and ratios.
#   scaling: BENCH_SCALE containers (1000) on one network with burrow-bridge:
#   median setup of the first and the last 100; then all torn down, and
#   nothing (link, rule, lease) may be left.
#   throughput: iperf3 from the remote peer to a container, through the port
#   forward and directly routed over the same veth path.
# BENCH_N rounds (30), BENCH_SCALE (1000, 0 skips), BENCH_IPERF_SECONDS (3).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
N=${BENCH_N:-30}
SCALE=${BENCH_SCALE:-1000}
SECS=${BENCH_IPERF_SECONDS:-3}
NV=/usr/lib/podman/netavark
CNIDIR=/usr/lib/cni
[ -x "$NV" ] || skip "netavark missing"
[ -x "$CNIDIR/bridge" ] && [ -x "$CNIDIR/portmap" ] || skip "CNI plugins missing"
sandbox_net

NV_CFG="$T_TMP/nvcfg"; mkdir -p "$NV_CFG"
HL="$T_TMP/hl"
OURNET=$(nv_net bnet bb0 10.90.0.0/16 10.90.0.1)
NVNET=$(nv_net nnet nv0 10.91.0.0/16 10.91.0.1)
port() { printf '[{"host_ip":"","container_port":80,"host_port":%d,"range":1,"protocol":"tcp"}]' "$1"; }
ip16() { echo "$1.$((($2 + 2) / 250)).$((($2 + 2) % 250 + 2))"; }
ours_json() { nv_opts "b$1" "$(port $((20000 + $1)))" "$(nv_att bnet eth0 "\"$(ip16 10.90 "$1")\"")" "$OURNET"; }
nv_json() { nv_opts "n$1" "$(port $((21000 + $1)))" "$(nv_att nnet eth0 "\"$(ip16 10.91 "$1")\"")" "$NVNET"; }
CNI_BR='{"cniVersion":"1.0.0","name":"cbench","type":"bridge","bridge":"cb0","isGateway":true,"ipMasq":true,"hairpinMode":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.92.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"'$HL'"}}'
cni_pm() { printf '{"cniVersion":"1.0.0","name":"cbench","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":%d,"containerPort":80,"protocol":"tcp"}]},"prevResult":%s}' "$1" "$2"; }

NS_RUN="nsenter --net=/run/netns/$HOST_NS --"
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }'; }
declare -A T
rec() { T[$1]+="$2 "; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

ours_setup() { $NS_RUN "$BRIDGE" --config "$BR_CFG" setup "$(ctr_path "o$1")" <<<"$(ours_json "$1")" >/dev/null; }
ours_teardown() { $NS_RUN "$BRIDGE" --config "$BR_CFG" teardown "$(ctr_path "o$1")" <<<"$(ours_json "$1")" >/dev/null; }
nv_setup_() { $NS_RUN "$NV" --config "$NV_CFG" --rootless=false setup "$(ctr_path "n$1")" <<<"$(nv_json "$1")" >/dev/null; }
nv_teardown_() { $NS_RUN "$NV" --config "$NV_CFG" --rootless=false teardown "$(ctr_path "n$1")" <<<"$(nv_json "$1")" >/dev/null; }
cni_env() { echo "CNI_CONTAINERID=c$2 CNI_NETNS=$(ctr_path "c$2") CNI_IFNAME=eth0 CNI_PATH=$CNIDIR CNI_COMMAND=$1"; }
cni_add() {
	local res
	res=$($NS_RUN env $(cni_env ADD "$1") "$CNIDIR/bridge" <<<"$CNI_BR") || return 1
	$NS_RUN env $(cni_env ADD "$1") "$CNIDIR/portmap" <<<"$(cni_pm $((22000 + $1)) "$res")" >/dev/null || return 1
	echo "$res" > "$T_TMP/cres$1"
}
cni_del() {
	$NS_RUN env $(cni_env DEL "$1") "$CNIDIR/portmap" <<<"$(cni_pm $((22000 + $1)) "$(cat "$T_TMP/cres$1")")" >/dev/null || return 1
	$NS_RUN env $(cni_env DEL "$1") "$CNIDIR/bridge" <<<"$CNI_BR" >/dev/null
}

for ((i = 0; i <= N; i++)); do ctr_ns "o$i"; ctr_ns "n$i"; ctr_ns "c$i"; done
on_exit "for ((i = 0; i <= $N; i++)); do nv_teardown_ \$i; cni_del \$i; ours_teardown \$i; done 2>/dev/null"
# resident containers (index N), not measured
ours_setup "$N" || fail "burrow-bridge setup failed"
nv_setup_ "$N" || fail "netavark setup failed"
cni_add "$N" || fail "CNI bridge+portmap ADD failed"
for ((i = 0; i < N; i++)); do
	t=$EPOCHREALTIME; ours_setup "$i" || fail "ours setup $i"; rec ours_setup "$(ms_since "$t")"
	t=$EPOCHREALTIME; nv_setup_ "$i" || fail "netavark setup $i"; rec nv_setup "$(ms_since "$t")"
	t=$EPOCHREALTIME; cni_add "$i" || fail "cni add $i"; rec cni_setup "$(ms_since "$t")"
	t=$EPOCHREALTIME; ours_teardown "$i" || fail "ours teardown $i"; rec ours_teardown "$(ms_since "$t")"
	t=$EPOCHREALTIME; nv_teardown_ "$i" || fail "netavark teardown $i"; rec nv_teardown "$(ms_since "$t")"
	t=$EPOCHREALTIME; cni_del "$i" || fail "cni del $i"; rec cni_teardown "$(ms_since "$t")"
done
os=$(median <<<"${T[ours_setup]}"); ns=$(median <<<"${T[nv_setup]}"); cs=$(median <<<"${T[cni_setup]}")
ot=$(median <<<"${T[ours_teardown]}"); nt=$(median <<<"${T[nv_teardown]}"); ct=$(median <<<"${T[cni_teardown]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
echo "per container with one port forward, $N rounds interleaved, median ms (fork+exec included):"
printf '  %-26s setup %8s   teardown %8s\n' burrow-bridge "$os" "$ot" "netavark 1.4" "$ns" "$nt" "CNI bridge+portmap 1.1.1" "$cs" "$ct"
echo "  burrow-bridge is faster by: setup $(ratio "$ns" "$os") vs netavark, $(ratio "$cs" "$os") vs CNI;" \
     "teardown $(ratio "$nt" "$ot") vs netavark, $(ratio "$ct" "$ot") vs CNI (goal: >= 10x)"

# throughput through the forward and directly routed
ours_setup 0 || fail "setup for iperf3"
if command -v iperf3 >/dev/null; then
	nsenter --net="$(ctr_path o0)" -- iperf3 -s -D -p 80 -I "$T_TMP/iperf.pid" >/dev/null
	on_exit "kill \$(cat '$T_TMP/iperf.pid') 2>/dev/null"
	in_remote ip route add 10.90.0.0/16 via "$HOST_IP4"
	ip0=$(ip16 10.90 0)
	wait_port in_remote "$ip0" 80 || fail "iperf3 server did not start"
	gbps() { in_remote iperf3 -c "$1" -p "$2" -t "$SECS" -f g 2>/dev/null | awk '/receiver/ { print $(NF-2) }'; }
	best_f=0 best_d=0
	for r in 1 2; do
		f=$(gbps "$HOST_IP4" 20000); d=$(gbps "$ip0" 80)
		best_f=$(awk -v a="$best_f" -v b="${f:-0}" 'BEGIN { print ((b > a) ? b : a) }')
		best_d=$(awk -v a="$best_d" -v b="${d:-0}" 'BEGIN { print ((b > a) ? b : a) }')
	done
	echo "TCP remote -> container, best of 2 x ${SECS}s: port forward $best_f Gbit/s," \
	     "direct veth route $best_d Gbit/s, ratio $(awk -v a="$best_f" -v b="$best_d" 'BEGIN { printf "%.2f", b > 0 ? a / b : 0 }') (goal: >= 0.9)"
fi
ours_teardown 0

# scaling: BENCH_SCALE containers on one network
if [ "$SCALE" -gt 0 ]; then
	ours_teardown "$N"
	echo "scaling: $SCALE containers on one network (creating namespaces)..."
	for ((i = 0; i < SCALE; i++)); do
		ip netns add "${T_ID}s$i" || fail "ip netns add"
	done
	on_exit "for ((i = 0; i < $SCALE; i++)); do ip netns delete ${T_ID}s\$i; done 2>/dev/null"
	sc_json() { nv_opts "s$1" "$(port $((30000 + $1)))" "$(nv_att bnet eth0 '')" "$OURNET"; }
	for ((i = 0; i < SCALE; i++)); do
		t=$EPOCHREALTIME
		$NS_RUN "$BRIDGE" --config "$BR_CFG" setup "$(ctr_path "s$i")" <<<"$(sc_json "$i")" >/dev/null ||
			fail "scale setup $i"
		d=$(ms_since "$t")
		((i < 100)) && rec first "$d"
		((i >= SCALE - 100)) && rec last "$d"
	done
	f=$(median <<<"${T[first]}"); l=$(median <<<"${T[last]}")
	el=$(in_host nft list map inet burrow fwd4any | grep -c ' : 10.90.')
	t=$EPOCHREALTIME
	for ((i = 0; i < SCALE; i++)); do
		$NS_RUN "$BRIDGE" --config "$BR_CFG" teardown x <<<"$(sc_json "$i")" >/dev/null || fail "scale teardown $i"
	done
	td=$(awk -v a="$(ms_since "$t")" -v n="$SCALE" 'BEGIN { printf "%.3f", a / n }')
	echo "  setup median: first 100 $f ms, last 100 $l ms, ratio $(awk -v a="$l" -v b="$f" 'BEGIN { printf "%.2f", a / b }') (goal: <= 1.2);" \
	     "forward elements at the end: $el; teardown mean $td ms"
	for ((i = 0; i < SCALE; i++)); do ip netns delete "${T_ID}s$i"; done
	no_trace && echo "  after tearing all down: no link, rule, lease or record left"
fi
pass
