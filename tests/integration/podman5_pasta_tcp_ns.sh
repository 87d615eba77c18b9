#!/bin/bash
# Podman 5 rootless with burrow-slirp as its pasta, forwarding from the
# container to the host: `podman run -p 18591:80 --network pasta:-T,18590`
# publishes the container's port 80 (the remote peer reaches it and the
# container sees its real address) and the container's 127.0.0.1:18590
# reaches a server on the host's loopback; `--network pasta:-T,auto` follows a
# host listener that starts after the container; Podman passes -T as given
# (no "-T none").  `podman rm -f` leaves no burrow-slirp running.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/podman5.sh"
need_cmd newuidmap uidmap
need_cmd socat socat
need_cmd catatonit catatonit
need_bin burrow-slirp
sandbox_net
sandbox_dns
pm_setup_rootless

# host_loopback_server PORT: on the sandbox host's 127.0.0.1, "host-ok PORT"
host_loopback_server() {
	nsenter --net="/run/netns/$HOST_NS" -- socat "TCP4-LISTEN:$1,bind=127.0.0.1,reuseaddr,fork" \
		SYSTEM:"echo host-ok $1" &
	on_exit "kill $!"
	retry 100 _listening "$HOST_NS" tcp "$1" || fail "host server on 127.0.0.1:$1 did not start"
}
host_loopback_server 18590

# 1. -p and -T together
pm run -d --name w1 -p 18591:80 --network pasta:-T,18590 --rootfs "$PM/rootfs" "${HTTPD[@]}" \
	>"$T_TMP/cid" 2>&1 || fail "podman run -p --network pasta:-T,18590: $(cat "$T_TMP/cid")"
argv=$(head -1 "$PM/argv")
echo "Podman $P5_VER pasta argv: $argv"
[[ " $argv " == *" -T 18590 "* ]] || fail "Podman did not pass -T 18590: $argv"
[[ " $argv " == *" -T none "* ]] && fail "Podman passed -T none beside -T 18590: $argv"
sp=$(retry 100 slirp_pids) || fail "no burrow-slirp running for w1"
out=$(peer_says 18591) || fail "published port not reachable from the remote peer"
expect_eq "the address w1 sees" "peer=$REMOTE_IP4" "$out"
out=$(pm exec w1 sh -c 'nc 127.0.0.1 18590 </dev/null' 2>&1)
expect_eq "w1's 127.0.0.1:18590 to the host's loopback" "host-ok 18590" "$out"
pm rm -f -t 0 w1 >/dev/null || fail "podman rm -f w1"
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
for p in $sp; do retry 100 gone "$p" || fail "burrow-slirp $p still running after podman rm -f"; done

# 2. -T auto: a host listener that comes after the container
pm run -d --name w2 --network pasta:-T,auto --rootfs "$PM/rootfs" sleep 60 >"$T_TMP/cid" 2>&1 ||
	fail "podman run --network pasta:-T,auto: $(cat "$T_TMP/cid")"
host_loopback_server 18592
ask() { [ "$(pm exec w2 sh -c 'nc 127.0.0.1 18592 </dev/null' 2>/dev/null)" = "host-ok 18592" ]; }
retry 40 ask || fail "w2's 127.0.0.1:18592 did not reach the host's new listener within 4 s"
pm rm -f -t 0 w2 >/dev/null || fail "podman rm -f w2"

pm_expect_clean
pass
