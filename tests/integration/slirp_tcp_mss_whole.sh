#!/bin/bash
# burrow-slirp: the MSS offered to the guest is a whole number of the host
# socket's segments, so each full segment of the guest leaves the host socket
# as full segments and only a message's tail is short.  Before, a guest at
# MTU 65520 sent 65480-byte segments that a host socket with timestamps
# (65468 bytes per segment at MTU 65520, 1448 at 1500) cut into a full
# segment and a 12-byte (or 320-byte) runt: every 64 KiB message cost the
# peer two short segments instead of one, each with its own processing and
# acknowledgement (~5% of a 64 KiB round trip at MTU 65520).  Counted on
# the remote peer's side: data segments whose length is not a multiple of
# the host socket's segment size, for 100 messages of 64 KiB, host MTU 65520
# and 1500, guest MTU 65520: one per message (its tail), and a few more while
# the new connection's window opens (sends the socket takes in part).  The
# old code: 200 and more in each case.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
need_cmd tcpdump tcpdump

sandbox_net
nsenter --net="/run/netns/$REMOTE_NS" -- "$TOOLS/echopeer" serve-tcp 7100 &
on_exit "kill $!"
retry 100 _listening "$REMOTE_NS" tcp 7100 || fail "echo server did not start"

# case_mtu HOSTMTU: 100 round trips of 64 KiB; one short segment each, 25 more at most
case_mtu() {
	local mtu=$1 mss=$(($1 - 52)) pcap="$T_TMP/remote.$1.pcap" cap out short data
	ip -n "$HOST_NS" link set eth0 mtu "$mtu"
	ip -n "$REMOTE_NS" link set eth0 mtu "$mtu"
	slirp_container
	slirp_start --mtu 65520
	in_remote tcpdump --immediate-mode -U -n -s 96 -i eth0 -w "$pcap" "tcp dst port 7100" 2>"$T_TMP/tcpdump.err" &
	cap=$!
	on_exit "kill $cap 2>/dev/null"
	retry 100 grep -q "listening on" "$T_TMP/tcpdump.err" || fail "tcpdump did not start"
	out=$(in_ctr timeout 60 "$TOOLS/echopeer" rr "$REMOTE_FAR4" 7100 100 65536 2>&1) ||
		fail "host MTU $mtu: round trips failed: $out"
	sleep 0.3
	kill "$cap"
	wait "$cap" 2>/dev/null
	# the host socket's segment is the MTU less 52 bytes (IPv4, TCP and the
	# timestamps option, which Linux uses by default): check that it did
	tcpdump -r "$pcap" -n 2>/dev/null | grep -q "TS val" ||
		fail "host MTU $mtu: the host socket's segments carry no timestamps (segment size not $mss)"
	read -r data short < <(tcpdump -r "$pcap" -n 2>/dev/null |
		sed -n 's/.* length \([0-9]*\)$/\1/p' |
		awk -v m="$mss" '$1 > 0 { d++; if ($1 % m) s++ } END { print d + 0, s + 0 }')
	echo "host MTU $mtu (segment $mss): $data data segments, $short not whole segments; $out"
	[ "$data" -ge 100 ] || fail "host MTU $mtu: only $data data segments captured"
	if [ "$short" -gt 125 ]; then
		echo "segment lengths (count length):"
		tcpdump -r "$pcap" -n 2>/dev/null | sed -n 's/.* length \([0-9]*\)$/\1/p' |
			sort -n | uniq -c | sort -rn | head
		fail "host MTU $mtu: $short short segments for 100 messages (a runt behind each full guest segment)"
	fi
	slirp_stop || fail "burrow-slirp exit status $?"
	kill "$CTR_PID" 2>/dev/null
}
case_mtu 65520
case_mtu 1500
pass
