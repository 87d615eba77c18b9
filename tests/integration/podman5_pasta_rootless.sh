#!/bin/bash
# Podman 5 (built from its Go module, scripts/consumers.sh), rootless as the
# test user, with burrow-slirp as its pasta: helper_binaries_dir holds a link
# `pasta -> burrow-slirp`, and Podman's default rootless network (pasta) runs
# it.  `podman run -p` and `podman pod create -p`: the remote peer reaches the
# published port and the container sees the peer's real address; a name
# resolves through --dns-forward (the container's resolv.conf names it);
# `podman rm -f` leaves no burrow-slirp running.  Podman's exact argv is
# recorded once through a logging wrapper and checked for the options Podman 5
# is known to pass.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/podman5.sh"
need_cmd newuidmap uidmap
need_cmd socat socat
need_cmd catatonit catatonit
need_bin burrow-slirp
sandbox_net
sandbox_dns "name.test=$REMOTE_FAR4"
# Podman 5's default rootless network, pasta, is burrow-slirp; its netavark
# (needed for Podman to start at all) is burrow-bridge, which this path does
# not run
pm_setup_rootless

# 1. podman run -d -p: the peer's real address in the container
t0=$(date +%s%N)
pm run -d --name w1 -p 18580:80 --rootfs "$PM/rootfs" "${HTTPD[@]}" >"$T_TMP/cid" 2>&1 ||
	fail "podman run -d -p: $(cat "$T_TMP/cid")"
t1=$(date +%s%N)
echo "podman $P5_VER run -d -p with burrow-slirp as pasta: $(((t1 - t0) / 1000000)) ms"
[ -s "$PM/argv" ] || fail "Podman did not run the pasta of helper_binaries_dir"
argv=$(head -1 "$PM/argv")
echo "Podman $P5_VER pasta argv: $argv"
for o in --config-net "-t 18580-18580:80-80" "--dns-forward 169.254.1.1" "-T none" "-U none" \
	--no-map-gw --quiet "--netns "; do
	[[ " $argv " == *" $o"* ]] || fail "Podman's pasta argv lacks '$o' (test out of date?): $argv"
done
sp=$(retry 100 slirp_pids) || fail "no burrow-slirp running for w1"
out=$(peer_says 18580) || fail "published port not reachable from the remote peer"
expect_eq "the address w1 sees" "peer=$REMOTE_IP4" "$out"

# 2. DNS through --dns-forward: Podman names the forward address in resolv.conf
out=$(pm exec w1 sh -c 'cat /etc/resolv.conf; nslookup name.test' 2>&1) || fail "nslookup in w1: $out"
[[ "$out" == *"nameserver 169.254.1.1"* ]] || fail "resolv.conf without the --dns-forward address: $out"
[[ "$out" == *"Address: $REMOTE_FAR4"* ]] || fail "name.test not resolved through --dns-forward: $out"
# outbound to the remote peer
in_remote socat TCP4-LISTEN:18581,reuseaddr,fork SYSTEM:'echo remote-ok' &
on_exit "kill_netns_procs $REMOTE_NS"
wait_port in_remote "$REMOTE_FAR4" 18581 || fail "remote server did not start"
out=$(pm exec w1 sh -c "nc $REMOTE_FAR4 18581 </dev/null" 2>&1)
expect_eq "w1 to the remote peer" remote-ok "$out"

# 3. podman rm -f: burrow-slirp goes with the container
pm rm -f -t 0 w1 >/dev/null || fail "podman rm -f w1"
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
for p in $sp; do retry 100 gone "$p" || fail "burrow-slirp $p still running after podman rm -f"; done
in_remote curl -s --max-time 3 "http://$HOST_IP4:18580/" >/dev/null 2>&1 &&
	fail "port 18580 still answers after podman rm -f"

# 4. pod create -p: the pod's infra namespace gets burrow-slirp, a member serves
ln -sf "$PM/real/pasta" "$PM/helpers/pasta"
# (no infra image configured: Podman builds its local pause image from
# catatonit, nothing is pulled)
pm pod create --name p1 -p 18582:80 >"$T_TMP/pod" 2>&1 ||
	fail "podman pod create -p: $(cat "$T_TMP/pod")"
pm run -d --pod p1 --name m1 --rootfs "$PM/rootfs" "${HTTPD[@]}" >"$T_TMP/cid" 2>&1 ||
	fail "podman run --pod: $(cat "$T_TMP/cid")"
sp=$(retry 100 slirp_pids) || fail "no burrow-slirp running for pod p1"
out=$(peer_says 18582) || fail "pod's published port not reachable from the remote peer"
expect_eq "the address the pod member sees" "peer=$REMOTE_IP4" "$out"
pm pod rm -f -t 0 p1 >/dev/null || fail "podman pod rm -f"
for p in $sp; do retry 100 gone "$p" || fail "burrow-slirp $p still running after podman pod rm -f"; done

# start time of `run --rm -p` (a measurement, printed): burrow-slirp, then
# the 2025 pasta of ../shared/anchors as Podman's pasta, same run
ref=$(pasta2025 2>/dev/null)
run_ms() {
	local t0 t1 i best=999999
	for ((i = 0; i < 3; i++)); do
		t0=$(date +%s%N)
		pm run --rm -p 18584:80 --rootfs "$PM/rootfs" true >/dev/null 2>&1 || return 1
		t1=$(date +%s%N)
		(((t1 - t0) / 1000000 < best)) && best=$(((t1 - t0) / 1000000))
	done
	echo "$best"
}
ours=$(run_ms) || fail "podman run --rm -p with burrow-slirp"
if [ -x "$ref" ]; then
	ln -sf "$ref" "$PM/helpers/pasta"
	theirs=$(run_ms) || theirs="failed"
	ln -sf "$PM/real/pasta" "$PM/helpers/pasta"
	echo "podman $P5_VER run --rm -p, best of 3: burrow-slirp $ours ms, pasta 2025 $theirs ms"
fi

pm_expect_clean
pass
