#!/bin/bash
# Podman 5 (built from its Go module), rootless as the test user, on a custom
# network: Podman's rootless netns gets its outside network from pasta
# (burrow-slirp, through a `pasta` link in helper_binaries_dir) and its
# bridge, addresses and names from netavark (burrow-bridge) and aardvark-dns
# (burrow-dns), all running as the test user inside it.  The remote peer
# reaches a published port (Podman's rootlessport), containers resolve each
# other by name, other names are forwarded, the container reaches the remote
# peer; network reload; removing the containers ends burrow-slirp.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/podman5.sh"
need_cmd newuidmap uidmap
need_cmd socat socat
need_cmd catatonit catatonit
need_bin burrow-bridge burrow-dns
if [ ! -x "$P5_DIR/rootlessport" ]; then
	"$TOP/scripts/consumers.sh" >"$T_TMP/consumers.log" 2>&1
	[ $? = 77 ] && [ ! -x "$P5_DIR/rootlessport" ] &&
		skip "rootlessport is not built and the Go module proxy cannot be reached"
	[ -x "$P5_DIR/rootlessport" ] || fail "rootlessport not built: $(tail -3 "$T_TMP/consumers.log")"
fi
need_bin burrow-slirp
sandbox_net
sandbox_dns "name.test=$REMOTE_FAR4"
pm_setup_rootless
# aardvark-dns inside the rootless netns: burrow-dns, rootless (netavark is
# burrow-bridge already)
ln -s "$BIN/burrow-dns" "$PM/helpers/aardvark-dns"
# burrow-dns reads its upstream from /etc/resolv.conf, which Podman points at
# pasta's --dns-forward address inside the rootless netns; the test's
# environment overrides it for the whole suite (BURROW_RESOLV_CONF, the
# sandbox's stub, which burrow-slirp must use), so burrow-bridge starts it
# through a wrapper that restores what Podman sets up
echo "nameserver 169.254.1.1" > "$PM/resolv.netns"
cat > "$PM/dns-wrap" <<W
#!/bin/sh
BURROW_RESOLV_CONF="$PM/resolv.netns" exec "$BIN/burrow-dns" "\$@"
W
chmod 0755 "$PM/dns-wrap"
# Podman's port forwarder into the rootless netns, built with Podman 5
ln -s "$P5_DIR/rootlessport" "$PM/helpers/rootlessport"
PM_ENV=(BURROW_DNS_BIN="$PM/dns-wrap")

# a custom network, rootless: Podman 5 starts its rootless netns with pasta
# (burrow-slirp) and runs netavark (burrow-bridge) and aardvark-dns
# (burrow-dns) in there as the test user
pm network create --subnet 10.89.41.0/24 rnet >"$T_TMP/out" 2>&1 || fail "podman network create: $(cat "$T_TMP/out")"
t0=$(date +%s%N)
pm run -d --name r1 --network rnet -p 18680:80 --rootfs "$PM/rootfs" "${HTTPD[@]}" >"$T_TMP/out" 2>&1 ||
	fail "podman run -d --network rnet -p: $(cat "$T_TMP/out")"
t1=$(date +%s%N)
echo "podman $P5_VER run -d -p on a rootless custom network: $(((t1 - t0) / 1000000)) ms"
echo "Podman $P5_VER pasta argv for its rootless netns: $(head -1 "$PM/argv")"
retry 100 slirp_pids >/dev/null || fail "no burrow-slirp for the rootless netns"
ip1=$(pm inspect -f '{{.NetworkSettings.Networks.rnet.IPAddress}}' r1)
[[ "$ip1" == 10.89.41.* ]] || fail "r1 address from burrow-bridge: '$ip1'"
out=$(peer_says 18680) || fail "published port of the custom network not reachable from the remote peer"
[[ "$out" == peer=* ]] || fail "page through the published port: $out"
echo "address r1 sees for the remote peer: $out"
pm run -d --name r2 --network rnet --rootfs "$PM/rootfs" sleep 300 >"$T_TMP/out" 2>&1 ||
	fail "podman run r2: $(cat "$T_TMP/out")"
out=$(pm exec r2 nslookup r1 2>&1) || fail "r2 finds r1 by name: $out"
[[ "$out" == *"Address: $ip1"* ]] || fail "r1 not resolved to $ip1: $out"
out=$(pm exec r2 nslookup name.test 2>&1)
[[ "$out" == *"Address: $REMOTE_FAR4"* ]] || fail "name.test not forwarded by burrow-dns: $out"
in_remote socat TCP4-LISTEN:18681,reuseaddr,fork SYSTEM:'echo remote-ok' &
on_exit "kill_netns_procs $REMOTE_NS"
wait_port in_remote "$REMOTE_FAR4" 18681 || fail "remote server did not start"
out=$(pm exec r2 sh -c "nc $REMOTE_FAR4 18681 </dev/null" 2>&1)
expect_eq "r2 to the remote peer through the rootless netns" remote-ok "$out"
pm network reload -a >/dev/null 2>&1 || fail "podman network reload -a: $(pm network reload -a 2>&1)"
out=$(peer_says 18680) || fail "published port lost after podman network reload"

pm rm -f -t 0 r1 r2 >/dev/null || fail "podman rm -f"
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
for p in $(slirp_pids); do retry 100 gone "$p" || fail "burrow-slirp $p still running after the last container"; done
pm network rm -f rnet >/dev/null
pm_expect_clean
pass
