#!/bin/bash
# burrow-slirp answers DHCPv4 (busybox udhcpc gets 10.0.2.100, the gateway
# and the DNS address) for guests that configure themselves.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

need_cmd busybox busybox-static
sandbox_net
slirp_container
slirp_start
cat > "$T_TMP/udhcpc.sh" <<'EOS'
#!/bin/sh
[ "$1" = bound ] && echo "lease ip=$ip router=$router dns=$dns mtu=$mtu"
exit 0
EOS
chmod 0755 "$T_TMP/udhcpc.sh"
out=$(in_ctr timeout 30 busybox udhcpc -i tap0 -n -q -f -t 5 -T 1 -s "$T_TMP/udhcpc.sh" 2>&1)
grep -q "lease ip=10.0.2.100 router=10.0.2.2 dns=10.0.2.3 mtu=65520" <<<"$out" ||
	fail "no DHCP lease: $out"
pass
