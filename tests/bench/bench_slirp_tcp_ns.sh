#!/bin/bash
# bench_slirp_tcp_ns.sh - pasta's -T (the container's 127.0.0.1:PORT to the
# host's loopback), same run, same sandbox: burrow-slirp's pasta face against
# Debian's 2023 pasta and the 2025 pasta of ../shared/anchors; iperf3 from
# the container to a server on the host's loopback, two interleaved rounds
# against load drift, the ratio of burrow-slirp to the better pasta.
# BENCH_SECONDS (default 3)
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/bench.sh"
SECS=${BENCH_SECONDS:-3}
need_cmd iperf3 iperf3
[ -x "$BIN/burrow-slirp" ] || fail "burrow-slirp not built"
P2025=$(pasta2025 2>/dev/null)
sandbox_net
nsenter --net="/run/netns/$HOST_NS" -- iperf3 -s -B 127.0.0.1 -p 18500 >/dev/null 2>&1 &
on_exit "kill $!"
retry 50 _listening "$HOST_NS" tcp 18500 || fail "iperf3 server did not start"
ln -s "$BIN/burrow-slirp" "$T_TMP/pasta" && chmod 0755 "$T_TMP"

# gbits BINARY: iperf3 through BINARY -T 18500, in Gbit/s
gbits() {
	local pid out
	slirp_container
	as_user "$1" --config-net -t none -u none -T 18500 -U none --quiet "$CTR_PID" ||
		fail "$1 did not start"
	pid=$(pgrep -u "$TEST_USER" -n -f -- "--config-net -t none -u none -T 18500") ||
		fail "$1 not running"
	retry 50 in_ctr bash -c 'exec 3<>/dev/tcp/127.0.0.1/18500' 2>/dev/null
	out=$(in_ctr iperf3 -c 127.0.0.1 -p 18500 -t "$SECS" -f g 2>&1 | awk '/receiver/ {print $7}')
	kill "$pid"
	_stop_pid_job "$CTR_PID" ""
	echo "${out:-0}"
}
declare -A sum
tools=(burrow "$T_TMP/pasta" pasta2023 /usr/bin/pasta)
[ -x "$P2025" ] && tools+=(pasta2025 "$P2025")
for round in 1 2; do
	for ((i = 0; i < ${#tools[@]}; i += 2)); do
		g=$(gbits "${tools[i + 1]}")
		echo "round $round: ${tools[i]} $g Gbit/s"
		sum[${tools[i]}]=$(awk -v a="${sum[${tools[i]}]:-0}" -v b="$g" 'BEGIN { print a + b }')
	done
done
best=$(awk -v a="${sum[pasta2023]}" -v b="${sum[pasta2025]:-0}" 'BEGIN { print (a > b ? a : b) / 2 }')
ours=$(awk -v a="${sum[burrow]}" 'BEGIN { print a / 2 }')
echo "container loopback -> host loopback through -T, mean of 2: burrow-slirp $ours Gbit/s," \
	"pasta 2023 $(awk -v a="${sum[pasta2023]}" 'BEGIN { print a / 2 }'), pasta 2025" \
	"$(awk -v a="${sum[pasta2025]:-0}" 'BEGIN { print a / 2 }'); ratio to the better pasta" \
	"$(bench_ratio "$ours" "$best")"
pass
