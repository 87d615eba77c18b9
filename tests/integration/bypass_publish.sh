#!/bin/bash
# burrow run --network slirp:bypass -p 8080:80 -p 127.0.0.1:8081:81: the
# container's bind() of a published port becomes a plain host listening
# socket (the container's own, not burrow-slirp's), a remote client is
# accepted with its own address, a host address given with -p holds (8081 is
# on the host's loopback only: the remote peer cannot reach it), and a port
# that was not published stays inside the container.
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
as_user "$B" run -d --name pub --network slirp:bypass -p 8080:80 -p 127.0.0.1:8081:81 "$ROOTFS" \
	sh -c 'bypassprobe listen 80 >/tmp/p80 2>&1 & bypassprobe listen 81 >/tmp/p81 2>&1 &
	       bypassprobe listen 82 >/tmp/p82 2>&1 & sleep 1000' >/dev/null || fail "run -d"
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
pass
