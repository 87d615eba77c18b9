# shellcheck shell=bash
# bridge.sh - helpers for burrow-bridge integration tests (source after sandbox.sh)
BRIDGE="$BIN/burrow-bridge"
[ -x "$BRIDGE" ] || fail "burrow-bridge not built ($BRIDGE)"
BR_CFG="$T_TMP/cfg"

# ctr_ns NAME: a "container" network namespace, removed on exit
ctr_ns() {
	ip netns add "${T_ID}$1" || fail "ip netns add ${T_ID}$1"
	on_exit "ip netns delete ${T_ID}$1"
	ip -n "${T_ID}$1" link set lo up
}
ctr_path() { echo "/run/netns/${T_ID}$1"; }
in_ctr() { local c=$1; shift; nsenter --net="/run/netns/${T_ID}$c" -- "$@"; }

# nv_net NAME BRIDGE SUBNET GATEWAY [INTERNAL] [OPTIONS_JSON] [SUBNET2 GATEWAY2]:
# a network_info entry
nv_net() {
	local subs="{\"subnet\":\"$3\",\"gateway\":\"$4\"}"
	[ -n "${7:-}" ] && subs="$subs,{\"subnet\":\"$7\",\"gateway\":\"$8\"}"
	printf '"%s":{"name":"%s","id":"%064d","driver":"bridge","network_interface":"%s","created":"2026-11-22T16:12:17Z","subnets":[%s],"ipv6_enabled":%s,"internal":%s,"dns_enabled":false,"options":%s,"ipam_options":{"driver":"host-local"}}' \
		"$1" "$1" 0 "$2" "$subs" "$([[ "$3${7:-}" == *:* ]] && echo true || echo false)" \
		"${5:-false}" "${6:-{\}}"
}
# nv_opts CID PORTS_JSON NETWORKS_JSON NETINFO_JSON: full options
nv_opts() {
	printf '{"container_id":"%s","container_name":"%s","port_mappings":%s,"networks":{%s},"network_info":{%s}}' \
		"$1" "$1" "$2" "$3" "$4"
}
# nv_att NET IFNAME STATIC_IPS_JSON_LIST: a networks entry
nv_att() { printf '"%s":{"static_ips":[%s],"aliases":[],"interface_name":"%s"}' "$1" "$3" "$2"; }

# jfield JSON KEY: the first string value of "KEY" in JSON (no jq needed)
jfield() { grep -o "\"$2\":\"[^\"]*\"" <<<"$1" | head -1 | cut -d'"' -f4; }

# nv_setup CTR JSON / nv_teardown CTR JSON: run burrow-bridge in the sandbox host
nv_setup() { in_host "$BRIDGE" --config "$BR_CFG" --rootless=false setup "$(ctr_path "$1")" <<<"$2"; }
nv_teardown() { in_host "$BRIDGE" --config "$BR_CFG" --rootless=false teardown "$(ctr_path "$1")" <<<"$2"; }

# serve CTR PROTO PORT [ADDR]: in CTR (or host, remote), answer every connection with "NAME PEERADDR"
serve() {
	local c=$1 proto=$2 port=$3 addr=${4:-0.0.0.0} fam=""
	[[ "$addr" == *:* ]] && fam=6
	local ns=/run/netns/${T_ID}$c
	case $c in host) ns=/run/netns/$HOST_NS ;; remote) ns=/run/netns/$REMOTE_NS ;; esac
	# nsenter itself in the background (not a shell function) so that $! is
	# the server and the clean-up really stops it
	if [ "$proto" = tcp ]; then
		nsenter --net="$ns" -- socat "TCP${fam}-LISTEN:$port,bind=$addr,fork,reuseaddr" \
			SYSTEM:'echo '"$c"' "$SOCAT_PEERADDR"' 2>/dev/null &
	else
		nsenter --net="$ns" -- socat "UDP${fam}-RECVFROM:$port,bind=$addr,fork,reuseaddr" \
			SYSTEM:'echo '"$c"' "$SOCAT_PEERADDR"' 2>/dev/null &
	fi
	on_exit "kill $! 2>/dev/null"
}
# ask RUNNER PROTO HOST PORT: connect and print the answer
ask() {
	local r=$1 proto=$2 h=$3 p=$4 fam=""
	[[ "$h" == *:* ]] && { fam=6; h="[$h]"; }
	if [ "$proto" = tcp ]; then
		"$r" timeout 3 socat -T2 - "TCP${fam}:$h:$p,connect-timeout=1" </dev/null 2>/dev/null
	else
		echo x | "$r" timeout 3 socat -T1 - "UDP${fam}:$h:$p" 2>/dev/null
	fi
}
# ask_until RUNNER PROTO HOST PORT: retry until something answers (servers start async)
ask_until() {
	local i out
	for ((i = 0; i < 30; i++)); do
		out=$(ask "$@") && [ -n "$out" ] && { echo "$out"; return 0; }
		sleep 0.1
	done
	return 1
}
in_c() { in_ctr "$ASK_CTR" "$@"; }

# settle: wait until background link deletion of earlier teardowns is done
settle() { [ ! -e "$BR_CFG/burrow-bridge/lock" ] || flock "$BR_CFG/burrow-bridge/lock" true; }

# no_trace: nothing of burrow-bridge left in the sandbox host or its state
no_trace() {
	local links
	settle
	links=$(in_host ip -o link show | awk -F': ' '{print $2}' | grep -v -e '^lo$' -e '^eth0@' || true)
	[ -z "$links" ] || fail "links left behind: $links"
	in_host nft list table inet burrow >/dev/null 2>&1 && fail "nftables table left behind"
	local files
	files=$(find "$BR_CFG/burrow-bridge" -mindepth 2 ! -name lock 2>/dev/null || true)
	[ -z "$files" ] || fail "state left behind: $files"
	return 0
}
