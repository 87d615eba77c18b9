#!/bin/bash
# burrow run --network slirp:bypass: a rootless container's TCP and connected
# UDP toward a remote peer go through host sockets handed in by
# burrow-bypass (the container sees the host's address 198.51.100.1 as its
# local address, not 10.0.2.100, and burrow-slirp carries no flow for it),
# while the container's own loopback and the gateway still take the tap;
# no bypassed socket ever reaches the host's 127.0.0.1 (--disable-host-loopback
# holds), a connected host UDP socket cannot sendto() the host's loopback, and
# IPv6, which the container's own network lacks, is not reached through bypass.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow-slirp
need_bin burrow-bypass
launcher_rootfs
sandbox_net
cc -O1 -static -o "$ROOTFS/bin/bypassprobe" "$TOP/tests/tools/bypassprobe.c" -lpthread ||
	fail "cc -static tests/tools/bypassprobe.c"
B="$BIN/burrow"
nsenter --net="/run/netns/$REMOTE_NS" -- socat TCP-LISTEN:9000,reuseaddr,fork \
	SYSTEM:'echo peer-saw-$SOCAT_PEERADDR' &
on_exit "kill $!"
nsenter --net="/run/netns/$REMOTE_NS" -- socat UDP-RECVFROM:9001,fork \
	SYSTEM:'echo udp-peer-saw-$SOCAT_PEERADDR' &
on_exit "kill $!"
# a service on the host's loopback that nothing from the container may reach
nsenter --net="/run/netns/$HOST_NS" -- socat -u UDP-RECV:9002,bind=127.0.0.1 \
	OPEN:"$T_TMP/loopback-udp",creat,append &
on_exit "kill $!"
nsenter --net="/run/netns/$HOST_NS" -- socat TCP-LISTEN:9003,bind=127.0.0.1,reuseaddr,fork \
	SYSTEM:'echo host-loopback-reached' &
on_exit "kill $!"
nsenter --net="/run/netns/$REMOTE_NS" -- socat TCP6-LISTEN:9006,reuseaddr,fork \
	SYSTEM:'echo v6-peer-reached' &
on_exit "kill $!"
wait_port in_remote "$REMOTE_FAR4" 9000 || fail "socat did not listen"
wait_port in_host 127.0.0.1 9003 || fail "loopback socat did not listen"

out=$(as_user "$B" run --rm --network slirp:bypass "$ROOTFS" sh -c "
	bypassprobe tcp $REMOTE_FAR4 9000
	bypassprobe udp $REMOTE_FAR4 9001
	bypassprobe sendto $REMOTE_FAR4 9002 127.0.0.1
	bypassprobe tcp 127.0.0.1 9003
	bypassprobe tcp 10.0.2.2 9003
	bypassprobe tcp 0.0.0.0 9003
	echo ctr-lo | nc -l -p 7000 & sleep 0.2; bypassprobe tcp 127.0.0.1 7000
	bypassprobe tcp $REMOTE_FAR6 9006
	echo closed-remote-port: \$(bypassprobe tcp $REMOTE_FAR4 9999); true
	") || fail "run: $out"
echo "$out"
[[ $out == *"local=$HOST_IP4"*"data=peer-saw-$HOST_IP4"* ]] ||
	fail "TCP to the remote peer did not go through a host socket: $out"
udp=$(sed -n '3p' <<<"$out")
expect_eq "connected UDP through a host socket" "local=$HOST_IP4" "$udp"
[[ $out == *"sendto=Network is unreachable"*"sendmsg=Network is unreachable"* ]] ||
	fail "a bypassed UDP socket could sendto the host's loopback: $out"
[[ $out != *host-loopback-reached* ]] || fail "the container reached the host's 127.0.0.1: $out"
[ ! -s "$T_TMP/loopback-udp" ] || fail "a datagram reached the host's 127.0.0.1:9002"
# 127.0.0.1 (container's own), the gateway (burrow-slirp with
# --disable-host-loopback) and 0.0.0.0: all refused, none reached the host
n=$(grep -c '^connect=Connection refused$' <<<"$out")
expect_eq "loopback, gateway and 0.0.0.0 refused on the tap path" 3 "$n"
[[ $out == *"local=127.0.0.1"*"data=ctr-lo"* ]] || fail "container loopback broken: $out"
# the container's network has no IPv6 (burrow-slirp without -6): bypass must
# not give it IPv6 either
[[ $out != *v6-peer-reached* ]] || fail "bypass reached an IPv6 peer the container cannot: $out"
[[ $out == *"connect=Network is unreachable"* ]] || fail "IPv6 connect: $out"
# a closed port of the remote peer: the host's refusal is the container's answer
[[ $out == *"closed-remote-port: connect=Connection refused"* ]] ||
	fail "connect to a closed remote port: $out"
pass
