#!/bin/bash
# burrow-bridge with firewalld running (nftables backend, default zone public,
# which rejects forwarded traffic no zone allows): the network's subnets go
# into the trusted zone, so a container reaches the remote peer and the peer
# its published port; `firewall-cmd --reload` drops them and
# `burrow-bridge reload` puts them back; the last teardown takes them out.
# firewalld runs in the sandbox's host namespace only, in its own mount
# namespace (a private /run) and on a private D-Bus; it is unpacked by
# scripts/deps.sh, never installed.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
FW=/var/cache/burrow-test/firewalld
[ -x "$FW/usr/sbin/firewalld" ] || fail "no firewalld in $FW (make deps unpacks it)"
sandbox_net
ctr_ns a

# the private bus, and firewall-cmd on it
cat >"$T_TMP/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$T_TMP/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
  </policy>
</busconfig>
CONF
dbus-daemon --config-file="$T_TMP/bus.conf" --fork --print-pid >"$T_TMP/bus.pid" || fail "dbus-daemon"
on_exit "kill $(cat "$T_TMP/bus.pid")"
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$T_TMP/bus"
mkdir -p "$T_TMP/bin"
cat >"$T_TMP/bin/firewall-cmd" <<SH
#!/bin/sh
PYTHONPATH=$FW/usr/lib/python3/dist-packages exec /usr/bin/python3 $FW/usr/bin/firewall-cmd "\$@"
SH
chmod +x "$T_TMP/bin/firewall-cmd"
export PATH="$T_TMP/bin:$PATH"
cp -r "$FW/etc/firewalld" "$T_TMP/etc"
# firewalld itself: the sandbox host's network, a /run of its own
nsenter --net="/run/netns/$HOST_NS" -- unshare --mount --propagation private sh -c '
	mount -t tmpfs tmpfs /run &&
	PYTHONPATH='"$FW"'/usr/lib/python3/dist-packages exec /usr/bin/python3 '"$FW"'/usr/sbin/firewalld \
		--nofork --nopid --system-config '"$T_TMP"'/etc --default-config '"$FW"'/usr/lib/firewalld \
		--log-target file --log-file '"$T_TMP"'/firewalld.log' &
FWPID=$!
on_exit "kill $FWPID; sleep 1"
retry 150 sh -c 'in_host() { nsenter --net=/run/netns/'"$HOST_NS"' -- "$@"; }; in_host firewall-cmd --state >/dev/null 2>&1' ||
	fail "firewalld did not start: $(tail -5 "$T_TMP/firewalld.log")"
in_host nft list table inet firewalld >/dev/null || fail "firewalld has no nftables table in the sandbox"
nft list table inet firewalld >/dev/null 2>&1 && fail "firewalld is in the machine's own namespace"

NET=$(nv_net fnet bwf1 10.86.0.0/24 10.86.0.1 false '{}' fd86::/64 fd86::1)
A=$(nv_opts aaaa '[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]' \
	"$(nv_att fnet eth0 '"10.86.0.2","fd86::2"')" "$NET")
on_exit "nv_teardown a '$A'"
serve remote tcp 7777
serve remote tcp 7778 ::
serve a tcp 80 ::
ASK_CTR=a
sources() { in_host firewall-cmd --zone=trusted --list-sources; }

out=$(nv_setup a "$A") || fail "setup: $out"
expect_eq "trusted sources" "10.86.0.0/24 fd86::/64" "$(sources)"
forwards_work "firewalld running"

in_host firewall-cmd --reload >/dev/null || fail "firewall-cmd --reload"
expect_eq "trusted sources after firewall-cmd --reload" "" "$(sources)"
ask in_c tcp $REMOTE_IP4 7777 | grep -q . && fail "container reached the remote peer outside the trusted zone"
in_host "$BRIDGE" --config "$BR_CFG" reload || fail "reload"
expect_eq "trusted sources after reload" "10.86.0.0/24 fd86::/64" "$(sources)"
forwards_work "after burrow-bridge reload"

nv_teardown a "$A" >/dev/null || fail "teardown"
expect_eq "trusted sources after the last teardown" "" "$(sources)"
no_trace
pass
