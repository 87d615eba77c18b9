#!/bin/bash
# bench_bridge.sh - burrow-bridge against its anchors, in one run, in the sandbox:
#   setup/teardown per container (with one TCP port forward each), interleaved
#   round by round: burrow-bridge (netavark face), Debian's netavark 1.4, and
#   the CNI bridge + portmap plugins (host-local IPAM); one resident container
#   per network so that bridges stay up; median ms and ratios.  burrow-bridge's
#   teardown hands the veth deletion to a child and returns early, so it is
#   measured twice in every round: as it returns by default ("returns"), and
#   with BURROW_BRIDGE_SYNC=1 on a second container ("links gone": links and
#   conntrack entries deleted when it returns, as netavark and CNI do).
#   scaling: BENCH_SCALE containers (1000) on one network with burrow-bridge:
#   median setup of the first and the last 100, an interleaved probe on the
#   full network and on a network of one (with the kernel's own share beside
#   it: a veth joined to each bridge by ip(8)); then all torn down, and
#   nothing (link, rule, lease) may be left.
#   throughput: iperf3 from the remote peer to a container, through the port
#   forward and directly routed over the same veth path.
# BENCH_N rounds (30), BENCH_SCALE (1000, 0 skips), BENCH_IPERF_SECONDS (3).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/bench.sh"
# a private copy: a rebuild in the same tree during the run (other work goes
# on meanwhile) must not swap the binary under the measurement
cp "$BRIDGE" "$T_TMP/burrow-bridge" && BRIDGE="$T_TMP/burrow-bridge" || fail "copy $BRIDGE"
N=${BENCH_N:-30}
SCALE=${BENCH_SCALE:-1000}
SECS=${BENCH_IPERF_SECONDS:-3}
NV=/usr/lib/podman/netavark
CNIDIR=/usr/lib/cni
need_cmd "$NV" netavark
need_cmd "$CNIDIR/bridge" containernetworking-plugins
need_cmd "$CNIDIR/portmap" containernetworking-plugins
sandbox_net

NV_CFG="$T_TMP/nvcfg"; mkdir -p "$NV_CFG"
HL="$T_TMP/hl"
OURNET=$(nv_net bnet bb0 10.90.0.0/16 10.90.0.1)
NVNET=$(nv_net nnet nv0 10.91.0.0/16 10.91.0.1)
port() { printf '[{"host_ip":"","container_port":80,"host_port":%d,"range":1,"protocol":"tcp"}]' "$1"; }
ip16() { echo "$1.$((($2 + 2) / 250)).$((($2 + 2) % 250 + 2))"; }
ours_json() { nv_opts "b$1" "$(port $((20000 + $1)))" "$(nv_att bnet eth0 "\"$(ip16 10.90 "$1")\"")" "$OURNET"; }
sync_json() { nv_opts "y$1" "$(port $((23000 + $1)))" "$(nv_att bnet eth0 "\"$(ip16 10.90 $((1000 + $1)))\"")" "$OURNET"; }
nv_json() { nv_opts "n$1" "$(port $((21000 + $1)))" "$(nv_att nnet eth0 "\"$(ip16 10.91 "$1")\"")" "$NVNET"; }
CNI_BR='{"cniVersion":"1.0.0","name":"cbench","type":"bridge","bridge":"cb0","isGateway":true,"ipMasq":true,"hairpinMode":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.92.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}],"dataDir":"'$HL'"}}'
cni_pm() { printf '{"cniVersion":"1.0.0","name":"cbench","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":%d,"containerPort":80,"protocol":"tcp"}]},"prevResult":%s}' "$1" "$2"; }

# the timed loops run inside the sandbox host namespace (one nsenter for all)
NS_RUN=""
ms_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f\n", (b - a) * 1000 }'; }
# timed NAME CMD...: run CMD, record its wall time in ms under NAME
timed() {
	local n=$1 t0 t1; shift
	t0=$EPOCHREALTIME; "$@" || return 1; t1=$EPOCHREALTIME
	echo "${t0/./} ${t1/./}" >> "$T_TMP/raw.$n"
}
get() { awk '{ printf "%.3f ", ($2 - $1) / 1000 }' "$T_TMP/raw.$1"; }

# inputs are made before the clock starts: only the tools are timed
ours_setup() { "$BRIDGE" --config "$BR_CFG" setup "/run/netns/${T_ID}o$1" < "$T_TMP/o$1.json" >/dev/null; }
ours_teardown() { "$BRIDGE" --config "$BR_CFG" teardown "/run/netns/${T_ID}o$1" < "$T_TMP/o$1.json" >/dev/null; }
# the second container of a round, torn down synchronously
sync_setup() { "$BRIDGE" --config "$BR_CFG" setup "/run/netns/${T_ID}y$1" < "$T_TMP/y$1.json" >/dev/null; }
sync_teardown() {
	BURROW_BRIDGE_SYNC=1 "$BRIDGE" --config "$BR_CFG" teardown "/run/netns/${T_ID}y$1" < "$T_TMP/y$1.json" >/dev/null
}
nv_setup_() { "$NV" --config "$NV_CFG" --rootless=false setup "/run/netns/${T_ID}n$1" < "$T_TMP/n$1.json" >/dev/null; }
nv_teardown_() { "$NV" --config "$NV_CFG" --rootless=false teardown "/run/netns/${T_ID}n$1" < "$T_TMP/n$1.json" >/dev/null; }
cni_add() {
	local res pm
	local -x CNI_CONTAINERID CNI_NETNS CNI_IFNAME CNI_PATH CNI_COMMAND
	CNI_CONTAINERID=c$1 CNI_NETNS=/run/netns/${T_ID}c$1 CNI_IFNAME=eth0 CNI_PATH=$CNIDIR CNI_COMMAND=ADD
	res=$("$CNIDIR/bridge" <<<"$CNI_BR") || return 1
	printf -v pm '{"cniVersion":"1.0.0","name":"cbench","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":%d,"containerPort":80,"protocol":"tcp"}]},"prevResult":%s}' $((22000 + $1)) "$res"
	"$CNIDIR/portmap" <<<"$pm" >/dev/null || return 1
	printf '%s' "$pm" > "$T_TMP/cpm$1"
}
cni_del() {
	local -x CNI_CONTAINERID CNI_NETNS CNI_IFNAME CNI_PATH CNI_COMMAND
	CNI_CONTAINERID=c$1 CNI_NETNS=/run/netns/${T_ID}c$1 CNI_IFNAME=eth0 CNI_PATH=$CNIDIR CNI_COMMAND=DEL
	"$CNIDIR/portmap" < "$T_TMP/cpm$1" >/dev/null || return 1
	"$CNIDIR/bridge" <<<"$CNI_BR" >/dev/null
}

for ((i = 0; i <= N; i++)); do
	ctr_ns "o$i"; ctr_ns "n$i"; ctr_ns "c$i"; ctr_ns "y$i"
	ours_json "$i" > "$T_TMP/o$i.json"; nv_json "$i" > "$T_TMP/n$i.json"; sync_json "$i" > "$T_TMP/y$i.json"
done
on_exit "in_host bash -c 'for ((i = 0; i <= $N; i++)); do nv_teardown_ \$i; cni_del \$i; ours_teardown \$i; sync_teardown \$i; done' 2>/dev/null"
export N BRIDGE BR_CFG NV NV_CFG CNIDIR CNI_BR T_TMP T_ID OURNET NVNET NS_RUN
measure() {
	# resident containers (index N), not measured
	ours_setup "$N" || { echo "burrow-bridge setup failed"; return 1; }
	nv_setup_ "$N" || { echo "netavark setup failed"; return 1; }
	cni_add "$N" || { echo "CNI bridge+portmap ADD failed"; return 1; }
	for ((i = 0; i < N; i++)); do
		timed ours_setup ours_setup "$i" || return 1
		sync_setup "$i" || { echo "burrow-bridge setup of y$i failed"; return 1; }
		timed nv_setup nv_setup_ "$i" || return 1
		timed cni_setup cni_add "$i" || return 1
		timed ours_teardown ours_teardown "$i" || return 1
		timed nv_teardown nv_teardown_ "$i" || return 1
		timed cni_teardown cni_del "$i" || return 1
		# not timed: wait until o$i's deleting child is done, so that the
		# synchronous teardown is timed alone
		flock "$BR_CFG/burrow-bridge/lock" true
		timed ours_teardown_sync sync_teardown "$i" || return 1
		! nsenter --net="/run/netns/${T_ID}y$i" ip link show eth0 >/dev/null 2>&1 ||
			{ echo "BURROW_BRIDGE_SYNC=1 teardown returned with y$i's eth0 still there"; return 1; }
	done
}
export -f measure ours_setup ours_teardown sync_setup sync_teardown nv_setup_ nv_teardown_ cni_add cni_del ctr_path timed
in_host bash -c measure || fail "measurement failed"
os=$(get ours_setup | bench_median); ns=$(get nv_setup | bench_median); cs=$(get cni_setup | bench_median)
ot=$(get ours_teardown | bench_median); nt=$(get nv_teardown | bench_median); ct=$(get cni_teardown | bench_median)
oy=$(get ours_teardown_sync | bench_median)
ratio() { bench_ratio "$1" "$2" "%.1fx"; }
echo "per container with one port forward, $N rounds interleaved, median ms (fork+exec included):"
printf '  %-26s setup %8s   teardown (returns) %8s   teardown (links gone) %8s\n' \
	burrow-bridge "$os" "$ot" "$oy" "netavark 1.4" "$ns" "$nt" "$nt" "CNI bridge+portmap 1.1.1" "$cs" "$ct" "$ct"
echo "  (netavark and CNI return with the links gone: their one teardown time is shown in both columns)"
echo "  burrow-bridge is faster by (goal: >= 10x):"
echo "    setup                 $(ratio "$ns" "$os") vs netavark, $(ratio "$cs" "$os") vs CNI"
echo "    teardown (returns)    $(ratio "$nt" "$ot") vs netavark, $(ratio "$ct" "$ot") vs CNI"
echo "    teardown (links gone) $(ratio "$nt" "$oy") vs netavark, $(ratio "$ct" "$oy") vs CNI (BURROW_BRIDGE_SYNC=1)"

# throughput through the forward and directly routed
in_host bash -c "ours_setup 0" || fail "setup for iperf3"
if command -v iperf3 >/dev/null; then
	nsenter --net="$(ctr_path o0)" -- iperf3 -s -D -p 80 -I "$T_TMP/iperf.pid" >/dev/null
	on_exit "kill \$(cat '$T_TMP/iperf.pid') 2>/dev/null"
	in_remote ip route add 10.90.0.0/16 via "$HOST_IP4"
	ip0=$(ip16 10.90 0)
	wait_port in_remote "$ip0" 80 || fail "iperf3 server did not start"
	gbps() { in_remote iperf3 -c "$1" -p "$2" -t "$SECS" -f g 2>/dev/null | awk '/receiver/ { print $(NF-2) }'; }
	best_f=0 best_d=0
	for r in 1 2 3; do
		f=$(gbps "$HOST_IP4" 20000); d=$(gbps "$ip0" 80)
		best_f=$(awk -v a="$best_f" -v b="${f:-0}" 'BEGIN { print ((b > a) ? b : a) }')
		best_d=$(awk -v a="$best_d" -v b="${d:-0}" 'BEGIN { print ((b > a) ? b : a) }')
	done
	echo "TCP remote -> container, best of 3 x ${SECS}s: port forward $best_f Gbit/s," \
	     "direct veth route $best_d Gbit/s, ratio $(bench_ratio "$best_f" "$best_d") (goal: >= 0.9)"
fi
in_host bash -c "ours_teardown 0"

# scaling: BENCH_SCALE containers on one network
if [ "$SCALE" -gt 0 ]; then
	in_host bash -c "ours_teardown $N"
	echo "scaling: $SCALE containers on one network (creating namespaces)..."
	for ((i = 0; i < SCALE; i++)); do
		ip netns add "${T_ID}s$i" || fail "ip netns add"
	done
	on_exit "for ((_bw = 0; _bw < $SCALE; _bw++)); do ip netns delete ${T_ID}s\$_bw; done 2>/dev/null"
	sc_json() { nv_opts "s$1" "$(port $((30000 + $1)))" "$(nv_att bnet eth0 '')" "$OURNET"; }
	for ((i = 0; i < SCALE; i++)); do sc_json "$i" > "$T_TMP/sc$i"; done
	# the first and the last W set-ups are compared (100, fewer on a small run)
	W=$((SCALE < 200 ? SCALE / 2 : 100))
	export SCALE W
	scale_up() {
		local name
		for ((i = 0; i < SCALE; i++)); do
			name=mid
			((i < W)) && name=first
			((i >= SCALE - W)) && name=last
			timed $name "$BRIDGE" --config "$BR_CFG" setup "/run/netns/${T_ID}s$i" < "$T_TMP/sc$i" >/dev/null ||
				{ echo "scale setup $i failed"; return 1; }
		done
		return 0
	}
	scale_down() {
		for ((i = 0; i < SCALE; i++)); do
			"$BRIDGE" --config "$BR_CFG" teardown x < "$T_TMP/sc$i" >/dev/null ||
				{ echo "scale teardown $i failed"; return 1; }
		done
	}
	export -f scale_up scale_down
	in_host bash -c scale_up || fail "scaling setup"
	f=$(get first | bench_median); l=$(get last | bench_median)
	# the same question, immune to the machine's load drifting over the run:
	# a probe container set up and torn down on the full network and on a
	# second network holding one container, interleaved, 100 times each
	ip netns add "${T_ID}pa" && ip netns add "${T_ID}pb" && ip netns add "${T_ID}pr" && ip netns add "${T_ID}pk" ||
		fail "probe namespaces"
	on_exit "ip netns delete ${T_ID}pa; ip netns delete ${T_ID}pb; ip netns delete ${T_ID}pr; ip netns delete ${T_ID}pk"
	SMALLNET=$(nv_net snet bs0 10.93.0.0/16 10.93.0.1)
	nv_opts pa "$(port 40000)" "$(nv_att bnet eth0 '')" "$OURNET" > "$T_TMP/pa"
	nv_opts pb "$(port 40001)" "$(nv_att snet eth0 '')" "$SMALLNET" > "$T_TMP/pb"
	nv_opts pr "$(port 40002)" "$(nv_att snet eth0 '')" "$SMALLNET" > "$T_TMP/pr"
	probe() {
		"$BRIDGE" --config "$BR_CFG" setup "/run/netns/${T_ID}pr" < "$T_TMP/pr" >/dev/null || return 1
		for ((k = 0; k < 100; k++)); do
			timed probe_full "$BRIDGE" --config "$BR_CFG" setup "/run/netns/${T_ID}pa" < "$T_TMP/pa" >/dev/null || return 1
			timed probe_small "$BRIDGE" --config "$BR_CFG" setup "/run/netns/${T_ID}pb" < "$T_TMP/pb" >/dev/null || return 1
			BURROW_BRIDGE_SYNC=1 "$BRIDGE" --config "$BR_CFG" teardown x < "$T_TMP/pa" >/dev/null || return 1
			BURROW_BRIDGE_SYNC=1 "$BRIDGE" --config "$BR_CFG" teardown x < "$T_TMP/pb" >/dev/null || return 1
			# the kernel's own share: the same links made with ip(8),
			# the same way on both bridges
			timed kern_full kern_join bb0 || return 1
			ip link del zkb0
			timed kern_small kern_join bs0 || return 1
			ip link del zkb0
		done
		"$BRIDGE" --config "$BR_CFG" teardown x < "$T_TMP/pr" >/dev/null
	}
	# kern_join BRIDGE: what a setup asks of the kernel for a container's
	# link, one ip(8) call a step: a veth pair with one end in a namespace,
	# the host end without IPv6 addresses, joined to BRIDGE and up, the
	# container's end up (its carrier is what makes the bridge forward)
	kern_join() {
		ip link add zkb0 type veth peer name zkb1 netns "${T_ID}pk" &&
			ip link set zkb0 addrgenmode none && ip link set zkb0 master "$1" up &&
			ip -n "${T_ID}pk" link set zkb1 addrgenmode none up
	}
	export -f probe kern_join
	in_host bash -c probe || fail "probe"
	pf=$(get probe_full | bench_median); ps=$(get probe_small | bench_median)
	kf=$(get kern_full | bench_median); ks=$(get kern_small | bench_median)
	el=$(in_host nft -a list map inet burrow fwd4any | grep -o '10\.90\.[0-9.]* \. 80' | wc -l)
	t=$EPOCHREALTIME
	in_host bash -c scale_down || fail "scaling teardown"
	settle
	td=$(awk -v a="$(ms_since "$t")" -v n="$SCALE" 'BEGIN { printf "%.3f", a / n }')
	echo "  setup median: first $W $f ms, last $W $l ms, ratio $(bench_ratio "$l" "$f") (goal: <= 1.2)"
	echo "  interleaved probe, 100 each: on the network of $SCALE $pf ms, on a network of 1 $ps ms," \
	     "ratio $(bench_ratio "$pf" "$ps") (goal: <= 1.2; immune to load drift)"
	echo "  the kernel's own share, same probe: the same links made by ip(8), on the bridge of $SCALE $kf ms," \
	     "of 1 $ks ms (+$(awk -v a="$kf" -v b="$ks" 'BEGIN { printf "%.3f", a - b }') ms);" \
	     "burrow-bridge +$(awk -v a="$pf" -v b="$ps" 'BEGIN { printf "%.3f", a - b }') ms"
	echo " " \
	     "forward elements at the end: $el; teardown mean $td ms"
	for ((i = 0; i < SCALE; i++)); do ip netns delete "${T_ID}s$i"; done
	# ours only: the netavark and CNI residents are still up at this point
	left=$(in_host ip -o link show | awk -F': ' '{print $2}' | grep -e '^bb0' -e '^bs0' -e '^vb' || true)
	[ -z "$left" ] || fail "links left behind: $left"
	in_host nft list table inet burrow >/dev/null 2>&1 && in_host nft list map inet burrow fwd4any | grep -q ' : ' &&
		fail "forward elements left behind"
	[ -z "$(find "$BR_CFG/burrow-bridge/ctr" "$BR_CFG/burrow-bridge/ports" -type f 2>/dev/null)" ] ||
		fail "records left behind"
	[ "$(ls "$BR_CFG/burrow-bridge/ipam/bnet" 2>/dev/null | wc -l)" = 0 ] || fail "leases left behind"
	echo "  after tearing all down: no link, forward, lease or record of ours left"
fi
pass
