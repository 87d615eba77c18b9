#!/bin/bash
# burrow-slirp's pasta face, -T auto and -U, against a host that listens on
# more ports than the quota and a container that sprays UDP source ports:
# 1,100 host listeners on 127.0.0.1 give exactly 1,024 forwarded namespace
# ports (the quota) and a warning in the log; an established connection
# through a -T auto forward keeps flowing meanwhile; 2,000 UDP source ports
# of the container at a -U port hold at most 256 relayed clients (the one
# idle longest makes room), so descriptors grow by that at most; a new UDP
# client is still served; when the host's listeners go, their forwards go
# within seconds.  Bounded: 60 s at most.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"
need_bin burrow-slirp
[ -x "$TOOLS/spray" ] || fail "spray not built"
[ -x /usr/bin/python3 ] || fail "python3 missing (scripts/deps.sh)"

sandbox_net
serve_echo host tcp 18400 127.0.0.1
serve_echo host udp 18453 127.0.0.1
# 1,100 listeners on the host's loopback, 21000-22099, until killed
nsenter --net="/run/netns/$HOST_NS" -- /usr/bin/python3 -c '
import socket, time
socks = []
for p in range(21000, 22100):
    s = socket.socket(); s.bind(("127.0.0.1", p)); s.listen(1); socks.append(s)
open("'"$T_TMP"'/many.ready", "w").close()
time.sleep(120)' &
many=$!
on_exit "kill $many"
retry 100 test -e "$T_TMP/many.ready" || fail "the 1,100 host listeners did not start"

P="$T_TMP/bin/pasta"
mkdir -p "$T_TMP/bin" && ln -s "$BIN/burrow-slirp" "$P" && chmod 0755 "$T_TMP/bin"
: > "$T_TMP/pasta.log"; chown "$TEST_USER" "$T_TMP/pasta.log"
slirp_container
as_user "$P" --config-net -t none -u none -T auto -U 18453 -l "$T_TMP/pasta.log" "$CTR_PID" \
	2>"$T_TMP/pasta.err" || fail "pasta face exit $?: $(cat "$T_TMP/pasta.err")"
grep -q -- "-T auto: 1024 ports forwarded already" "$T_TMP/pasta.err" ||
	fail "no quota warning at start-up: $(cat "$T_TMP/pasta.err")"
pid=$(pgrep -u "$TEST_USER" -n -f -- "--config-net -t none -u none -T auto") || fail "not running"
on_exit "kill $pid"

# ctr_ports: distinct TCP ports listening in the container
ctr_ports() { in_ctr ss -Hltn | awk '{ sub(/.*:/, "", $4); print $4 }' | sort -u | wc -l; }
at_quota() { [ "$(ctr_ports)" -ge 1024 ]; }
retry 60 at_quota || fail "only $(ctr_ports) ports forwarded after 6 s"
fds() { ls "/proc/$pid/fd" | wc -l; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
fds0=$(fds); rss0=$(rss)

# an established connection through -T auto's forward of 18400, busy throughout
in_ctr "$TOOLS/spray" steady 127.0.0.1 18400 12 > "$T_TMP/steady.out" 2>&1 &
steady=$!
sleep 2
expect_eq "forwarded ports at the quota" 1024 "$(ctr_ports)"
n=$(grep -c -- "-T auto: 1024 ports forwarded already" "$T_TMP/pasta.log" 2>/dev/null)
[ "${n:-0}" -le 1 ] || fail "the quota warning repeats ($n times): the log would grow each second"

out=$(in_ctr timeout 30 "$TOOLS/spray" udp 127.0.0.1 18453 2000 30000 2>&1) ||
	fail "UDP spray: $out"
sleep 0.5
fds1=$(fds); rss1=$(rss)
echo "pasta face: descriptors $fds0 -> $fds1, RSS $rss0 -> $rss1 KiB after the spray"
[ $((fds1 - fds0)) -le $((256 + 16)) ] || fail "descriptors grew from $fds0 to $fds1 (quota 256)"
[ $((fds1 - fds0)) -ge 200 ] || fail "descriptors $fds0 -> $fds1: the spray did not arrive"
[ $((rss1 - rss0)) -lt 8192 ] || fail "RSS grew from $rss0 to $rss1 KiB"
out=$(in_ctr timeout 20 "$TOOLS/echopeer" udp 127.0.0.1 18453 2>&1)
expect_eq "a new UDP client after the spray" ok "$out"

wait $steady || fail "the established connection broke: $(cat "$T_TMP/steady.out")"
gap=$(sed -n 's/.*max_gap_ms=//p' "$T_TMP/steady.out")
[ -n "$gap" ] && [ "$gap" -lt 1500 ] || fail "the connection stalled: $(cat "$T_TMP/steady.out")"
echo "established connection: $(cat "$T_TMP/steady.out")"

kill $many; wait $many 2>/dev/null
few() { [ "$(ctr_ports)" -le 1 ]; }
retry 50 few || fail "$(ctr_ports) ports still forwarded 5 s after the host's listeners went"
kill -0 "$pid" || fail "burrow-slirp died"
pass
