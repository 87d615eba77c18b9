#!/bin/bash
# burrow run --network slirp:bypass -p 8080:80: the container's bind() of
# port 80 becomes a plain host listening socket on 8080 (the container sees
# the host port as its local address; the remote client is accepted with its
# own address), and no burrow-slirp forward is set up for it.
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
as_user "$B" run -d --name pub --network slirp:bypass -p 8080:80 "$ROOTFS" \
	sh -c 'bypassprobe listen 80 >/tmp/probe.out 2>&1; sleep 1000' >/dev/null || fail "run -d"
listening() { in_host ss -Htln 'sport = :8080' | grep -q 8080; }
retry 50 listening || { cat "$(_user_xdg "$TEST_USER")"/burrow/containers/*/bypass.log
	fail "no host socket on 8080"; }
sleep 0.3
l=$(in_host ss -Htlnp 'sport = :8080')
[[ $l == *bypassprobe* ]] || fail "port 8080 is not the container's own socket: $l"
[[ $l != *burrow-slirp* ]] || fail "burrow-slirp holds 8080: $l"
out=$(in_remote socat -T 5 - TCP:"$HOST_IP4":8080 </dev/null) || fail "connect from remote"
expect_eq "answer through the published host socket" hello-from-ctr "$out"
probe=$(as_user "$B" exec pub cat /tmp/probe.out)
[[ $probe == *"local=0.0.0.0"* ]] || fail "probe: $probe"
pass
