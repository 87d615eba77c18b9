#!/bin/bash
# burrow-dns on its own: --help, --version, bad options; with no record it
# reports ready and exits at once; a second daemon for the same folder is
# refused; SIGHUP reloads (a record added by hand is served), SIGTERM stops
# it and removes its pid file and control socket; it runs under seccomp
# (Seccomp: 2) and the allow-list refuses nothing it needs.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns

"$DNSD" --help | grep -q -- "--ready-fd" || fail "--help"
"$DNSD" --version | grep -q "^burrow-dns " || fail "--version"
"$DNSD" --bogus >/dev/null 2>&1 && fail "unknown option accepted"
"$DNSD" --port 0 >/dev/null 2>&1 && fail "--port 0 accepted"
"$DNSD" --dir relative >/dev/null 2>&1 && fail "relative --dir accepted"

D="$BURROW_DNS_DIR"
mkdir -p "$D"
out=$(timeout 10 "$DNSD" --dir "$D" --ready-fd 3 3>&1) || fail "no records: exit status $?"
expect_eq "ready with nothing to serve" "ok" "$out"
[ -e "$D/burrow-dns.pid" ] && fail "pid file left"

# a record by hand: the sandbox host's own address as "gateway"
cat > "$D/hand.net" <<R
listen $HOST_IP4/24
internal 0
search dns.podman
ctr x1 198.51.100.77 - handmade -
R
exec 4> >(cat > "$T_TMP/ready1")
in_host "$DNSD" --dir "$D" --ready-fd 4 --log-level debug 2>"$T_TMP/d1.log" &
exec 4>&-
retry 100 test -s "$T_TMP/ready1" || fail "no ready message"
expect_eq "ready" "ok" "$(cat "$T_TMP/ready1")"
pid=$(dns_pid)
[ -n "$pid" ] || fail "no pid file"
got=$(in_host "$TOOLS/dnsq" "$HOST_IP4" handmade)
expect_eq "hand-made record served" "198.51.100.77" "$got"
# the running daemon is under its seccomp allow-list (sanitizer builds skip it)
if ! nm "$DNSD" 2>/dev/null | grep -q __asan_init; then
	expect_eq "seccomp filter" "2" "$(awk '/^Seccomp:/ {print $2}' "/proc/$pid/status")"
	grep -q "not allowed" "$T_TMP/d1.log" && fail "seccomp refused a call: $(cat "$T_TMP/d1.log")"
fi

out=$(in_host timeout 10 "$DNSD" --dir "$D" --ready-fd 3 3>&1 2>/dev/null)
[[ "$out" == *"another burrow-dns"* ]] || fail "second daemon: '$out'"
expect_eq "first daemon kept" "$pid" "$(dns_pid)"

echo "ctr x2 198.51.100.78 - second -" >> "$D/hand.net"
kill -HUP "$pid"
retry 50 bash -c "[ \"\$(nsenter --net=/run/netns/$HOST_NS $TOOLS/dnsq $HOST_IP4 second)\" = 198.51.100.78 ]" ||
	fail "SIGHUP did not reload"

kill -TERM "$pid"
for ((i = 0; i < 50; i++)); do dns_alive "$pid" || break; sleep 0.1; done
dns_alive "$pid" && fail "SIGTERM did not stop it"
[ -e "$D/burrow-dns.pid" ] && fail "pid file left after SIGTERM"
[ -e "$D/control" ] && fail "control socket left after SIGTERM"
grep "not allowed" "$T_TMP/d1.log" && fail "seccomp refused a call"
rm -f "$D/hand.net"
pass
