#!/bin/bash
# burrow run --network slirp: the container's /etc/resolv.conf names
# burrow-slirp's DNS address (10.0.2.3) as its one nameserver, keeps the
# host's search domains and options, and a name resolves through it even
# though the host's only resolver is on the host's loopback (where the
# container cannot reach it); a pod's containers get the pod's.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow
need_bin burrow-slirp
launcher_rootfs
sandbox_net
sandbox_dns "peer.test=$REMOTE_FAR4"
printf 'nameserver 127.0.0.1\nsearch example.test\noptions ndots:2\n' > "$BURROW_RESOLV_CONF"
on_exit "as_user $BIN/burrow system prune >/dev/null 2>&1"
on_exit "as_user $BIN/burrow rm -f dnsc >/dev/null 2>&1"
on_exit "as_user $BIN/burrow pod rm -f dnspod >/dev/null 2>&1"

rc=$(as_user "$BIN/burrow" run --rm --network slirp "$ROOTFS" cat /etc/resolv.conf) ||
	fail "run cat /etc/resolv.conf"
expect_eq "resolv.conf of a slirp container" "search example.test
nameserver 10.0.2.3
options ndots:2" "$rc"
out=$(as_user "$BIN/burrow" run --rm --network slirp "$ROOTFS" nslookup peer.test 2>&1) ||
	fail "nslookup through 10.0.2.3: $out"
grep -q "$REMOTE_FAR4" <<<"$out" || fail "peer.test not resolved: $out"

as_user "$BIN/burrow" pod create --name dnspod --network slirp >/dev/null || fail "pod create"
rc=$(as_user "$BIN/burrow" run --rm --network pod:dnspod "$ROOTFS" cat /etc/resolv.conf) ||
	fail "run in the pod"
grep -qx "nameserver 10.0.2.3" <<<"$rc" || fail "a pod container's resolv.conf: $rc"
pass
