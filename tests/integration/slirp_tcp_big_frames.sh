#!/bin/bash
# burrow-slirp: on Linux 6.3 and later, IPv4 data to the guest goes in frames
# of up to 256 KiB (IP total length 0, as BIG TCP's GRO makes them): 32 MB
# through a forward arrive intact (a sink in the container checks every byte)
# and nftables in the container's namespace counts frames above 64 KiB; over
# IPv6, and with BURROW_SLIRP_NO_BIG_FRAMES=1, none is above 64 KiB, data
# intact too. When the container drops the first frame above 64 KiB
# (nftables), burrow-slirp sends the data again and keeps big frames:
# one unacknowledged frame may be a slow guest, not a refusal.
#
# How many frames are big depends on how much data waits in the socket at each
# read (timing), so the check is "some, over 32 MB", never a mean size.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

IFS=. read -r kmaj kmin _ <<< "$(uname -r)"
((kmaj > 6 || (kmaj == 6 && kmin >= 3))) || skip "kernel $(uname -r) is older than 6.3: no frames above 64 KiB"
command -v nft > /dev/null || fail "nft is missing (tests/setup.sh installs it)"
sandbox_net

in_ctr_root() { nsenter -t "$CTR_PID" --net -- "$@"; }

# count_big: a counter of frames above 64 KiB per family in the container's
# namespace, before anything else sees them; DROP_FIRST=1 also drops the
# first IPv4 frame above 64 KiB (a one-element set remembers it was done)
count_big() {
	local drop=
	[ -n "${DROP_FIRST:-}" ] &&
		drop="meta nfproto ipv4 meta length > 65535 ip daddr != @once add @once { ip daddr } counter name dropped drop"
	in_ctr_root nft -f - <<-NFT || fail "nft in the container's namespace"
	table inet big {
		counter v4 { }
		counter v6 { }
		counter dropped { }
		set once { type ipv4_addr; size 1; flags dynamic; }
		chain pre {
			type filter hook prerouting priority -300;
			$drop
			meta nfproto ipv4 meta length > 65535 counter name v4
			meta nfproto ipv6 meta length > 65535 counter name v6
		}
	}
	NFT
}
big_frames() { # COUNTER: frames counted so far
	in_ctr_root nft list counter inet big "$1" | awk '/packets/ { print $2 }'
}

transfer() { # LABEL HOST: 32 MB through the forward, checked byte by byte
	local out
	out=$(in_remote timeout 60 "$TOOLS/echopeer" sink "$2" 18092 33554432 2>&1)
	expect_eq "$1: 32 MB arrived intact" "ok 33554432" "$out"
}

run() { # ENV [ARGS...]: one burrow-slirp with a forward to a checking sink
	local env=$1
	shift
	slirp_container
	count_big
	SLIRP_ENV=$env slirp_start --enable-ipv6 --debug -t 18092:7002 "$@"
	in_ctr "$TOOLS/echopeer" serve-sink 7002 &
	local pid=$!
	on_exit "pkill -P $pid; kill $pid"
	retry 100 _ctr_listening tcp 7002 || fail "container sink did not start"
}

log() { cat "$T_TMP/slirp.log"; }

run ""
transfer "IPv4" "$HOST_IP4"
n4=$(big_frames v4)
((n4 > 0)) || fail "IPv4: no frame above 64 KiB in 32 MB; log: $(log)"
echo "IPv4: $n4 frames above 64 KiB"
transfer "IPv6" "$HOST_IP6"
n6=$(big_frames v6)
expect_eq "IPv6: frames above 64 KiB" 0 "$n6"
slirp_stop || fail "burrow-slirp exit status $?"
grep -q "64 KiB frames from now on" "$T_TMP/slirp.log" && fail "fell back: $(log)"

DROP_FIRST=1 run ""
transfer "IPv4, first big frame dropped" "$HOST_IP4"
expect_eq "frames above 64 KiB dropped" 1 "$(big_frames dropped)"
n4=$(big_frames v4)
echo "first frame above 64 KiB dropped; taken in after: $n4"
((n4 > 0)) || fail "after one dropped, no frame above 64 KiB taken in; log: $(log)"
grep -q "64 KiB frames from now on" "$T_TMP/slirp.log" && fail "one dropped frame turned big frames off: $(log)"
slirp_stop || fail "burrow-slirp exit status $?"

run BURROW_SLIRP_NO_BIG_FRAMES=1
transfer "IPv4, BURROW_SLIRP_NO_BIG_FRAMES=1" "$HOST_IP4"
expect_eq "BURROW_SLIRP_NO_BIG_FRAMES=1: frames above 64 KiB" 0 "$(big_frames v4)"
grep -q "frames above 64 KiB not used" "$T_TMP/slirp.log" || fail "no log line for BURROW_SLIRP_NO_BIG_FRAMES"
slirp_stop || fail "burrow-slirp exit status $?"
pass
