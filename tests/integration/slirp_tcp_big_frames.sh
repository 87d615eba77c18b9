#!/bin/bash
# burrow-slirp: on Linux 6.3 and later, IPv4 data to the guest goes in frames
# of up to 256 KiB (IP total length 0, as BIG TCP's GRO makes them): 32 MB
# through a forward arrive intact (a sink in the container checks every byte)
# and the container's stack counts inbound packets above 64 KiB on average;
# with BURROW_SLIRP_NO_BIG_FRAMES=1 (and over IPv6) every frame stays within
# 64 KiB, also intact.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

IFS=. read -r kmaj kmin _ <<< "$(uname -r)"
((kmaj > 6 || (kmaj == 6 && kmin >= 3))) || skip "kernel $(uname -r) is older than 6.3: no frames above 64 KiB"
sandbox_net

# avg_in_frame: mean inbound IP packet size in the container since the last call
_in_octets() { in_ctr nstat -az IpInReceives IpExtInOctets Ip6InReceives Ip6InOctets |
	awk '/InReceives/ { p += $2 } /InOctets/ { o += $2 } END { print p, o }'; }

transfer() { # LABEL HOST: 32 MB through the forward, checked byte by byte
	local a b out
	a=$(_in_octets)
	out=$(in_remote timeout 60 "$TOOLS/echopeer" sink "$2" 18092 33554432 2>&1)
	expect_eq "$1: 32 MB arrived intact" "ok 33554432" "$out"
	b=$(_in_octets)
	awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
		printf "%d", (y[2] - x[2]) / (y[1] - x[1]) }'
}

run() { # ENV [ARGS...]: one burrow-slirp with a forward to a checking sink
	local env=$1
	shift
	slirp_container
	SLIRP_ENV=$env slirp_start --enable-ipv6 -t 18092:7002 "$@"
	in_ctr "$TOOLS/echopeer" serve-sink 7002 &
	local pid=$!
	on_exit "pkill -P $pid; kill $pid"
	retry 100 _ctr_listening tcp 7002 || fail "container sink did not start"
}

run ""
avg=$(transfer "IPv4" "$HOST_IP4")
((avg > 70000)) || fail "IPv4: mean inbound packet $avg bytes: no frames above 64 KiB"
echo "IPv4: mean inbound packet $avg bytes"
avg=$(transfer "IPv6" "$HOST_IP6")
((avg <= 65535 + 40)) || fail "IPv6: mean inbound packet $avg bytes, above 64 KiB"
slirp_stop || fail "burrow-slirp exit status $?"
grep -q "frames above 64 KiB" "$T_TMP/slirp.log" && fail "fell back: $(cat "$T_TMP/slirp.log")"

run BURROW_SLIRP_NO_BIG_FRAMES=1 --debug
avg=$(transfer "IPv4, BURROW_SLIRP_NO_BIG_FRAMES=1" "$HOST_IP4")
((avg <= 65535 + 20)) || fail "BURROW_SLIRP_NO_BIG_FRAMES=1: mean inbound packet $avg bytes"
grep -q "frames above 64 KiB not used" "$T_TMP/slirp.log" || fail "no log line for BURROW_SLIRP_NO_BIG_FRAMES"
slirp_stop || fail "burrow-slirp exit status $?"
pass
