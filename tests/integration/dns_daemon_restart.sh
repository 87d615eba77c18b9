#!/bin/bash
# burrow-dns recovers: killed with SIGKILL (stale pid file and control
# socket left), the next setup starts a new daemon that serves every
# recorded container again; a daemon whose records folder is removed exits
# by itself.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns
ctr_ns a; ctr_ns b
NET=$(dns_net rnet bwd0 10.88.30.0/24 10.88.30.1)
A=$(dns_opts aaaa first "$(dns_att rnet '"10.88.30.2"' '')" "$NET")
B=$(dns_opts bbbb second "$(dns_att rnet '"10.88.30.3"' '')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown b '$B'"
out=$(nv_setup a "$A") || fail "setup a: $out"
pid=$(dns_pid)
kill -KILL "$pid"
for ((i = 0; i < 50; i++)); do dns_alive "$pid" || break; sleep 0.1; done
[ -S "$BURROW_DNS_DIR/control" ] || fail "test broken: no stale control socket"
out=$(nv_setup b "$B") || fail "setup b after the daemon died: $out"
pid2=$(dns_pid)
[ -n "$pid2" ] && [ "$pid2" != "$pid" ] || fail "no new daemon ($pid -> $pid2)"
expect_q "old record served again" "10.88.30.2" b 10.88.30.1 first
expect_q "new record served" "10.88.30.3" a 10.88.30.1 second

# the records folder disappears: the daemon notices within seconds
mv "$BURROW_DNS_DIR" "$BURROW_DNS_DIR.moved"
for ((i = 0; i < 100; i++)); do dns_alive "$pid2" || break; sleep 0.1; done
dns_alive "$pid2" && fail "burrow-dns still running without its folder"
mv "$BURROW_DNS_DIR.moved" "$BURROW_DNS_DIR"
rm -f "$BURROW_DNS_DIR/burrow-dns.pid" "$BURROW_DNS_DIR/control"
nv_teardown a "$A" >/dev/null || fail "teardown a"
nv_teardown b "$B" >/dev/null || fail "teardown b"
dns_gone
no_trace
pass
