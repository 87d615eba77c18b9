# shellcheck shell=bash
# dns.sh - helpers for burrow-dns tests (source after sandbox.sh and bridge.sh)
DNSD="$BIN/burrow-dns"
[ -x "$DNSD" ] || fail "burrow-dns not built ($DNSD)"
[ -x "$TOOLS/dnsq" ] && [ -x "$TOOLS/dnsload" ] || fail "dnsq/dnsload not built"
# records, pid file and log of this test's daemon: never the host's /run/burrow/dns
export BURROW_DNS_DIR="$T_TMP/dns"
export BURROW_DNS_LOG="$T_TMP/burrow-dns.log"
export BURROW_DNS_BIN="$DNSD"
on_exit "dns_kill_daemon"
on_exit "tail -n 40 $BURROW_DNS_LOG >&2"

# dns_kill_daemon: stop a daemon this test left running (only on failure)
dns_kill_daemon() {
	local pid
	pid=$(cat "$BURROW_DNS_DIR/burrow-dns.pid" 2>/dev/null) || return 0
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	return 0
}
dns_pid() { cat "$BURROW_DNS_DIR/burrow-dns.pid" 2>/dev/null; }

# dns_net NAME BRIDGE SUBNET GATEWAY [INTERNAL] [EXTRA] [SUBNET2 GATEWAY2]: a
# dns_enabled network_info entry (EXTRA: more JSON members, e.g.
# '"network_dns_servers":["203.0.113.1"]')
dns_net() {
	local subs="{\"subnet\":\"$3\",\"gateway\":\"$4\"}"
	[ -n "${7:-}" ] && subs="$subs,{\"subnet\":\"$7\",\"gateway\":\"$8\"}"
	printf '"%s":{"name":"%s","id":"%064d","driver":"bridge","network_interface":"%s","created":"2026-11-22T16:12:17Z","subnets":[%s],"ipv6_enabled":%s,"internal":%s,"dns_enabled":true%s,"ipam_options":{"driver":"host-local"}}' \
		"$1" "$1" 0 "$2" "$subs" "$([[ "$3${7:-}" == *:* ]] && echo true || echo false)" "${5:-false}" "${6:+,$6}"
}
# dns_att NET STATIC_IPS ALIASES: a networks entry (STATIC_IPS and ALIASES:
# JSON list bodies, '"10.0.0.2"', '"a","b"')
dns_att() { printf '"%s":{"static_ips":[%s],"aliases":[%s],"interface_name":"eth0"}' "$1" "$2" "$3"; }
# dns_opts CID NAME NETWORKS NETINFO [DNS_SERVERS]: full options
dns_opts() {
	printf '{"container_id":"%s","container_name":"%s","port_mappings":[],"networks":{%s},"network_info":{%s}%s}' \
		"$1" "$2" "$3" "$4" "${5:+,\"dns_servers\":[$5]}"
}

# q CTR SERVER NAME [dnsq options...]: ask from a container, answers on one line
q() {
	local c=$1 s=$2 n=$3; shift 3
	in_ctr "$c" timeout 10 "$TOOLS/dnsq" "$@" "$s" "$n" 2>&1 | tr '\n' ' ' | sed 's/ $//'
}
# expect_q DESC WANT CTR SERVER NAME [dnsq options...]
expect_q() {
	local d=$1 w=$2; shift 2
	expect_eq "$d" "$w" "$(q "$@")"
}

# dns_gone: the daemon exited and left only its lock files behind
dns_gone() {
	local i left
	for ((i = 0; i < 100; i++)); do
		[ -e "$BURROW_DNS_DIR/burrow-dns.pid" ] || break
		sleep 0.1
	done
	[ -e "$BURROW_DNS_DIR/burrow-dns.pid" ] && fail "burrow-dns pid file left: $(dns_pid)"
	pgrep -f "burrow-dns --dir $BURROW_DNS_DIR" >/dev/null && {
		for ((i = 0; i < 50; i++)); do
			pgrep -f "burrow-dns --dir $BURROW_DNS_DIR" >/dev/null || break
			sleep 0.1
		done
	}
	pgrep -f "burrow-dns --dir $BURROW_DNS_DIR" >/dev/null && fail "burrow-dns still running"
	left=$(find "$BURROW_DNS_DIR" -mindepth 1 ! -name .lock ! -name .start 2>/dev/null)
	[ -z "$left" ] || fail "left in $BURROW_DNS_DIR: $left"
	# a sanitizer build reports into the daemon's log
	if grep -q -e Sanitizer -e 'runtime error' "$BURROW_DNS_LOG" 2>/dev/null; then
		cat "$BURROW_DNS_LOG" >&2
		fail "burrow-dns: sanitizer report"
	fi
	return 0
}

# dns_alive PID: the process runs (a zombie waiting for a parent that does not reap counts as gone)
dns_alive() {
	local st
	st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# expect_q_until DESC WANT CTR SERVER NAME [options]: the same, retried for up
# to ~15 s (for what the daemon notices on its own, e.g. a changed resolv.conf)
expect_q_until() {
	local d=$1 w=$2 got i; shift 2
	for ((i = 0; i < 30; i++)); do
		got=$(q "$@")
		[ "$got" = "$w" ] && return 0
		sleep 0.5
	done
	fail "$d: expected '$w', got '$got'"
}

# dns_finish CTR...: tear each container down (its options in the variable
# named by the upper-cased CTR), check that the daemon left and nothing
# remains, and pass
dns_finish() {
	local c v
	for c in "$@"; do
		v=${c^^}
		nv_teardown "$c" "${!v}" >/dev/null || fail "teardown $c"
	done
	dns_gone
	no_trace
	pass
}

# dns_setup CTR...: set each container up (its options in the variable named
# by the upper-cased CTR), torn down on exit whatever happens
dns_setup() {
	local c v out
	for c in "$@"; do
		v=${c^^}
		on_exit "nv_teardown $c '${!v}' >/dev/null 2>&1"
		out=$(nv_setup "$c" "${!v}") || fail "setup $c: $out"
	done
}
