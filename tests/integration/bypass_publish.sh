#!/bin/bash
# burrow run --network slirp:bypass -p 8080:80 -p 127.0.0.1:8081:81: the
# container's bind() of a published port becomes a plain host listening
# socket (the container's own, not burrow-slirp's), a remote client is
# accepted with its own address, a host address given with -p holds (8081 is
# on the host's loopback only: the remote peer cannot reach it), and a port
# that was not published stays inside the container.  A published UDP port
# (-p 8083:83/udp) answers the remote peer from a host socket, and that host
# socket cannot send to the host's 127.0.0.1 (the container's network is
# burrow-slirp with --disable-host-loopback: bypass must not open it).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow-slirp
need_bin burrow-bypass
launcher_rootfs
sandbox_net
cc -O1 -static -o "$ROOTFS/bin/bypassprobe" "$TOP/tests/tools/bypassprobe.c" -lpthread ||
	fail "cc -static tests/tools/bypassprobe.c"
B="$BIN/burrow"
on_exit "as_user $B rm -f pub >/dev/null 2>&1"
as_user "$B" run -d --name pub --network slirp:bypass -p 8080:80 -p 127.0.0.1:8081:81 \
	-p 8083:83/udp "$ROOTFS" \
	sh -c 'bypassprobe listen 80 >/tmp/p80 2>&1 & bypassprobe listen 81 >/tmp/p81 2>&1 &
	       bypassprobe listen 82 >/tmp/p82 2>&1 & bypassprobe udplisten 83 9002 >/tmp/p83 2>&1 &
	       sleep 1000' >/dev/null || fail "run -d"
# a UDP service on the host's loopback that nothing from the container may reach
nsenter --net="/run/netns/$HOST_NS" -- socat -u UDP-RECV:9002,bind=127.0.0.1 \
	OPEN:"$T_TMP/loopback-udp",creat,append &
on_exit "kill $!"
listening() { in_host ss -Htln "sport = :$1" | grep -q ":$1"; }
retry 50 listening 8080 && retry 50 listening 8081 || {
	cat "$(_user_xdg "$TEST_USER")"/burrow/containers/*/bypass.log
	fail "no host socket on 8080 or 8081"; }
sleep 0.3
l=$(in_host ss -Htlnp 'sport = :8080')
[[ $l == *bypassprobe* ]] || fail "port 8080 is not the container's own socket: $l"
[[ $l != *burrow-slirp* ]] || fail "burrow-slirp holds 8080: $l"
l=$(in_host ss -Htln 'sport = :8081')
[[ $l == *"127.0.0.1:8081"* ]] || fail "-p 127.0.0.1:8081:81 is not on the host's loopback: $l"
l=$(in_host ss -Htln)
[[ $l != *":82 "* ]] || fail "the unpublished port 82 reached the host: $l"
# the remote client from an address of its own: the container must see it
out=$(in_remote socat -T 5 - TCP:"$HOST_IP4":8080,bind="$REMOTE_FAR4" </dev/null) ||
	fail "connect from remote"
expect_eq "answer through the published host socket" hello-from-ctr "$out"
in_remote socat -T 2 - TCP:"$HOST_IP4":8081,connect-timeout=2 </dev/null >/dev/null 2>&1 &&
	fail "the remote peer reached a port published on the host's loopback only"
out=$(in_host socat -T 5 - TCP:127.0.0.1:8081 </dev/null) || fail "connect to 127.0.0.1:8081"
expect_eq "answer on the host's loopback" hello-from-ctr "$out"
probe=$(as_user "$B" exec pub cat /tmp/p80)
[[ $probe == *"local=0.0.0.0"* ]] || fail "probe 80: $probe"
[[ $probe == *"peer=$REMOTE_FAR4"* ]] || fail "the container did not see the client's address: $probe"
probe=$(as_user "$B" exec pub cat /tmp/p81)
[[ $probe == *"local=127.0.0.1"*"peer=127.0.0.1"* ]] || fail "probe 81: $probe"
probe=$(as_user "$B" exec pub cat /tmp/p82)
[[ $probe == *"local=0.0.0.0"* ]] || fail "probe 82: $probe"
# UDP: the published host socket answers the remote peer
l=$(in_host ss -Huln 'sport = :8083')
[[ $l == *8083* ]] || fail "no host UDP socket on 8083: $(in_host ss -Huln)"
out=$(in_remote socat -T 3 - UDP:"$HOST_IP4":8083,bind="$REMOTE_FAR4" <<<ping) || fail "UDP from remote"
expect_eq "UDP answer through the published host socket" udp-hello "$out"
retry 50 as_user "$B" exec pub grep -q loopback= /tmp/p83 || fail "udp probe did not finish"
probe=$(as_user "$B" exec pub cat /tmp/p83)
[[ $probe == *"peer=$REMOTE_FAR4"* ]] || fail "UDP: the container did not see the client's address: $probe"
[[ $probe == *"loopback=Network is unreachable"* ]] ||
	fail "a published UDP host socket could send to the host's 127.0.0.1: $probe"
sleep 0.2
[ ! -s "$T_TMP/loopback-udp" ] || fail "a datagram reached the host's 127.0.0.1:9002"
pass
