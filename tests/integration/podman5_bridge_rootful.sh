#!/bin/bash
# Podman 5 (built from its Go module, scripts/consumers.sh), rootful, with the
# whole burrow suite plugged in by configuration only: helper_binaries_dir
# holds `netavark -> burrow-bridge` and `aardvark-dns -> burrow-dns`,
# conmon_path is burrow-mon.  run (attached, exit code), run -d -p reached from
# the remote peer, network create, two containers resolving each other by
# name, logs, exec, attach, network update --dns-add, dhcp-proxy refused,
# network connect/disconnect, network reload after
# `nft flush ruleset`, stop, rm; at the end nothing of ours is left.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/bridge_podman.sh"
. "$TOP/tests/lib/podman5.sh"
need_bin burrow-bridge burrow-dns burrow-mon
need_cmd runc runc
sandbox_net
sandbox_dns
pm5_rootful
on_exit "pm rm -af -t 0 >/dev/null 2>&1; pm network rm -f p5net1 p5net2 >/dev/null 2>&1"
mon_pids() { pgrep -f "^$BIN/burrow-mon " || true; }

t0=$(date +%s%N)
out=$(pm run --name a1 --network none --rootfs "$ROOTFS" sh -c 'echo attached out; exit 3' 2>&1); rc=$?
t1=$(date +%s%N)
echo "podman $P5_VER run (attached, no network) with burrow-mon: $(((t1 - t0) / 1000000)) ms"
expect_eq "attached run exit code ($out)" 3 "$rc"
[[ "$out" == *"attached out"* ]] || fail "attached output: $out"
pm rm a1 >/dev/null || fail "podman rm a1"

pm network create --subnet 10.89.31.0/24 p5net1 >/dev/null || fail "podman network create p5net1"
pm network inspect p5net1 | grep -q '"dns_enabled": true' ||
	fail "Podman made p5net1 without DNS (it enables DNS when it finds aardvark-dns)"
t0=$(date +%s%N)
pm run -d --name web --network p5net1 -p 8080:80 --rootfs "$ROOTFS" \
	sh -c 'echo hello in the log; exec httpd -f -p 80 -h /var/www' >"$T_TMP/out" 2>&1 ||
	fail "podman run -d -p: $(cat "$T_TMP/out")"
t1=$(date +%s%N)
echo "podman $P5_VER run -d -p with burrow-bridge, burrow-dns, burrow-mon: $(((t1 - t0) / 1000000)) ms"
web=$(pm inspect -f '{{.Id}}' web)
[ -e "$BR_CFG/burrow-bridge/ctr/$web.json" ] || fail "burrow-bridge was not the backend"
[ -n "$(mon_pids)" ] || fail "no burrow-mon supervising the containers"
echo "Podman $P5_VER conmon argv: $(tr '\0' ' ' < "/proc/$(mon_pids | head -1)/cmdline")"
got=$(http_get_until "$HOST_IP4" 8080) || fail "published port not reachable from the remote peer"
expect_eq "page through the published port" "hello from a burrow container" "$got"
logged() { pm logs web 2>&1 | grep -q 'hello in the log'; }
retry 50 logged ||
	fail "podman logs: $(pm logs web 2>&1)"

# two containers find each other by name through burrow-dns
pm run -d --name db --network p5net1 --rootfs "$ROOTFS" sleep 300 >/dev/null || fail "podman run db"
[ -n "$(dns_pid)" ] || fail "no burrow-dns after podman run"
dbip=$(pm inspect -f '{{.NetworkSettings.Networks.p5net1.IPAddress}}' db)
webip=$(pm inspect -f '{{.NetworkSettings.Networks.p5net1.IPAddress}}' web)
[[ "$dbip" == 10.89.31.* && "$webip" == 10.89.31.* ]] || fail "addresses: db '$dbip' web '$webip'"
out=$(pm exec web sh -c 'cat /etc/resolv.conf; nslookup db' 2>&1) || fail "web finds db: $out"
[[ "$out" == *"nameserver 10.89.31.1"* ]] || fail "resolv.conf does not name the gateway: $out"
[[ "$out" == *"Address: $dbip"* ]] || fail "db not resolved to $dbip: $out"
out=$(pm exec db nslookup web 2>&1) || fail "db finds web: $out"
[[ "$out" == *"Address: $webip"* ]] || fail "web not resolved to $webip: $out"
# (no ping: Podman 5 drops NET_RAW from the default capabilities)
# (busybox-static's wget crashes here and its nc resolves through glibc's NSS,
# which a static binary lacks: the name goes through nslookup, then nc)
out=$(pm exec db sh -c 'a=$(nslookup web | sed -n "s/^Address: //p" | tail -1);
	printf "GET /index.html HTTP/1.0\r\n\r\n" | nc -w 5 "$a" 80' 2>&1)
[[ "$out" == *"hello from a burrow container"* ]] || fail "db fetches web's page by name: $out"
out=$(pm exec db sh -c 'echo exec says hi; exit 4' 2>&1); rc=$?
expect_eq "exec exit code" 4 "$rc"
expect_eq "exec output" "exec says hi" "$out"

# podman network update --dns-add: `netavark update NET --network-dns-servers`
# points burrow-dns's forwarding for that network at the new resolver (a stub
# on the remote peer that alone knows upd.test)
nsenter --net="/run/netns/$REMOTE_NS" -- "$TOOLS/stubdns" -l "$REMOTE_FAR4" -p 53 \
	-L "$T_TMP/stub2.log" "upd.test=198.51.100.77" &
stub2=$!
on_exit "kill $stub2"
retry 50 test -s "$T_TMP/stub2.log" || fail "second stub DNS did not start"
out=$(pm exec web nslookup upd.test 2>&1) && fail "upd.test resolved before the update (test broken): $out"
pm network update --dns-add "$REMOTE_FAR4" p5net1 >/dev/null 2>"$T_TMP/err" ||
	fail "podman network update --dns-add: $(cat "$T_TMP/err")"
out=$(pm exec web nslookup upd.test 2>&1)
[[ "$out" == *"Address: 198.51.100.77"* ]] || fail "upd.test not forwarded to the added resolver: $out"
# dhcp-proxy (netavark's DHCP service for macvlan) is refused by name
out=$("$PM_TMP/helpers/netavark" dhcp-proxy 2>&1) && fail "dhcp-proxy accepted: $out"
[[ "$out" == *"dhcp-proxy is not supported"* ]] || fail "dhcp-proxy refusal unclear: $out"

# attach to a running container and leave it running
pm run -d --name ticker --network none --rootfs "$ROOTFS" \
	sh -c 'i=0; while [ $i -lt 600 ]; do echo tick $i; sleep 0.1; i=$((i+1)); done' >/dev/null ||
	fail "podman run -d ticker"
out=$(PM_TIMEOUT="-s INT 3" pm attach --no-stdin --sig-proxy=false ticker 2>&1)
[[ "$out" == *"tick "* ]] || fail "podman attach output: $out"
expect_eq "state after the attach ended" running "$(pm inspect -f '{{.State.Status}}' ticker)"
pm rm -f -t 0 ticker >/dev/null || fail "podman rm -f ticker"

# network connect / disconnect: a second network, a second interface
pm network create --subnet 10.89.32.0/24 p5net2 >/dev/null || fail "podman network create p5net2"
pm network connect p5net2 db || fail "podman network connect"
ip2=$(pm inspect -f '{{.NetworkSettings.Networks.p5net2.IPAddress}}' db)
[[ "$ip2" == 10.89.32.* ]] ||
	fail "no address on p5net2 after connect: '$ip2': $(pm inspect -f '{{json .NetworkSettings.Networks}}' db 2>&1); $(pm exec db ip -o -4 addr show 2>&1)"
out=$(pm exec db ip -o -4 addr show 2>&1)
[[ "$out" == *"$ip2/24"* ]] || fail "the connected interface is not in db: $out"
pm network disconnect p5net2 db || fail "podman network disconnect"
out=$(pm exec db ip -o -4 addr show 2>&1)
[[ "$out" == *"10.89.32."* ]] && fail "address left in db after disconnect: $out"
# db keeps its name on the network it stays on
out=$(pm exec web nslookup db 2>&1) || fail "web no longer finds db after the disconnect: $out"
[[ "$out" == *"Address: $dbip"* ]] || fail "db not resolved to $dbip after the disconnect: $out"

# a firewall reload loses the rules; podman network reload brings them back
in_host nft flush ruleset
http_get "$HOST_IP4" 8080 >/dev/null && fail "forward survived nft flush (test broken)"
pm network reload web >/dev/null || fail "podman network reload"
http_get_until "$HOST_IP4" 8080 >/dev/null || fail "published port lost after podman network reload"

pm stop -t 1 web >/dev/null || fail "podman stop"
expect_eq "state after stop" exited "$(pm inspect -f '{{.State.Status}}' web)"
pm rm web db >/dev/null 2>&1 || pm rm -f -t 0 web db >/dev/null || fail "podman rm"
for ((i = 0; i < 100; i++)); do [ -e "$DNS_DIR/burrow-dns.pid" ] || break; sleep 0.1; done
[ -e "$DNS_DIR/burrow-dns.pid" ] && fail "burrow-dns still running after the last container"
retry 100 bash -c "! pgrep -f '^$BIN/burrow-mon ' >/dev/null" || fail "burrow-mon left: $(mon_pids)"
pm network rm -f p5net1 p5net2 >/dev/null
no_trace
pass
