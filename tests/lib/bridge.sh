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

# docker_forward_drop T: what Docker leaves in the sandbox host's iptables-T
# (nft or legacy): FORWARD's policy DROP for IPv4 and IPv6, and a DOCKER-USER
# chain FORWARD jumps to
docker_forward_drop() {
	in_host "iptables-$1" -P FORWARD DROP || fail "iptables-$1 -P FORWARD DROP"
	in_host "ip6tables-$1" -P FORWARD DROP || fail "ip6tables-$1 -P FORWARD DROP"
	in_host "iptables-$1" -N DOCKER-USER
	in_host "iptables-$1" -A DOCKER-USER -j RETURN
	in_host "iptables-$1" -A FORWARD -j DOCKER-USER
}
# docker_firewall_reload T: a firewall reload: FORWARD flushed, Docker's jump put back
docker_firewall_reload() {
	in_host "iptables-$1" -F FORWARD
	in_host "ip6tables-$1" -F FORWARD
	in_host "iptables-$1" -A FORWARD -j DOCKER-USER
}
# expect_forward_accept T: exactly one burrow-bridge accept rule at FORWARD in
# iptables-T, one in ip6tables-T
expect_forward_accept() {
	local rules
	rules=$(in_host "iptables-$1" -S FORWARD)
	[[ "$rules" == *"-A FORWARD -m mark --mark 0x800000/0x800000 -m comment --comment burrow-bridge -j ACCEPT"* ]] ||
		fail "no accept rule in iptables-$1 FORWARD: $rules"
	[ "$(grep -c burrow-bridge <<<"$rules")" = 1 ] || fail "more than one rule in iptables-$1 FORWARD: $rules"
	[ "$(in_host "ip6tables-$1" -S FORWARD | grep -c burrow-bridge)" = 1 ] ||
		fail "not one accept rule in ip6tables-$1 FORWARD: $(in_host "ip6tables-$1" -S FORWARD)"
}
# expect_no_forward_accept T: no burrow-bridge rule left, Docker's kept
expect_no_forward_accept() {
	in_host "iptables-$1" -S FORWARD | grep -q burrow-bridge && fail "accept rule left after the last teardown"
	in_host "ip6tables-$1" -S FORWARD | grep -q burrow-bridge && fail "ip6tables accept rule left after the last teardown"
	expect_eq "Docker's rules kept" "-P FORWARD DROP
-A FORWARD -j DOCKER-USER" "$(in_host "iptables-$1" -S FORWARD)"
}
# forwards_work LABEL: from $ASK_CTR (published on host port 8080, serving on
# ::) the remote peer's 7777 (IPv4) and 7778 (IPv6) answer, with the host's
# address as the source; the peer reaches 8080 over IPv4 with its own address
# kept, and over IPv6
forwards_work() {
	local got
	got=$(ask_until in_c tcp $REMOTE_IP4 7777) || fail "$1: container -> remote (IPv4) got nothing"
	expect_eq "$1: container -> remote" "remote $HOST_IP4" "${got%:*}"
	ask_until in_c tcp $REMOTE_IP6 7778 >/dev/null || fail "$1: container -> remote (IPv6) got nothing"
	got=$(ask_until in_remote tcp $HOST_IP4 8080) || fail "$1: remote -> published port got nothing"
	# the container answers on ::, so the peer shows as ::ffff:198.51.100.2
	[[ "$got" == "$ASK_CTR "*"c633:6402]"* ]] ||
		fail "$1: remote -> published port: '$got' (the peer is $REMOTE_IP4)"
	ask_until in_remote tcp $HOST_IP6 8080 >/dev/null || fail "$1: remote -> published port (IPv6) got nothing"
}
