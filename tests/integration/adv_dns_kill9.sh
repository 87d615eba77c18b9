#!/bin/bash
# burrow-dns killed with SIGKILL in the middle of work (adversarial tier):
# UDP load, pipelined and dribbling TCP clients and queries waiting on a
# silent upstream are all in flight when the daemon dies.  The next setup
# starts a new daemon (nothing stale blocks it: the pid file's lock died
# with the process, the control socket is replaced), which serves every
# recorded container over UDP and TCP, the clients see errors or timeouts
# and nothing else, and the last teardown leaves nothing behind.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
sandbox_net
sandbox_dns
nsenter --net="/run/netns/$HOST_NS" -- "$TOOLS/stubdns" -l 127.0.0.2 -p 53 -N dead.test \
	-L "$T_TMP/upstream.log" "peer.test=$REMOTE_FAR4" &
up=$!
on_exit "kill $up; wait $up"
retry 50 test -s "$T_TMP/upstream.log" || fail "upstream stubdns did not start"
ctr_ns a; ctr_ns b; ctr_ns c
NET=$(dns_net knet bwk0 10.87.70.0/24 10.87.70.1 false '"network_dns_servers":["127.0.0.2"]')
A=$(dns_opts aaaa first "$(dns_att knet '"10.87.70.2"' '')" "$NET")
B=$(dns_opts bbbb second "$(dns_att knet '"10.87.70.3"' '')" "$NET")
C=$(dns_opts cccc third "$(dns_att knet '"10.87.70.4"' '')" "$NET")
dns_setup a b
expect_q "served before" "$REMOTE_FAR4" a 10.87.70.1 peer.test
pid=$(dns_pid)
dead=(); for ((i = 0; i < 32; i++)); do dead+=("n$i.dead.test"); done
work=()
in_ctr a timeout 8 "$TOOLS/dnsload" -u -n 1000000 -w 64 10.87.70.1 peer.test second \
	>/dev/null 2>&1 & work+=($!)
in_ctr a timeout 8 "$TOOLS/dnsload" -u -n 1000000 -w 64 -b 10.87.70.2 10.87.70.1 "${dead[@]}" \
	>/dev/null 2>&1 & work+=($!)
in_ctr b timeout 8 "$TOOLS/dnsload" -D 16 -n 6 10.87.70.1 >/dev/null 2>&1 & work+=($!)
on_exit 'kill "${work[@]}" 2>/dev/null'
sleep 1.5
busy=$(ls /proc/"$pid"/fd | wc -l)
((busy > 20)) || fail "test broken: burrow-dns not busy ($busy fds)"
kill -KILL "$pid"
for ((i = 0; i < 50; i++)); do dns_alive "$pid" || break; sleep 0.1; done
dns_alive "$pid" && fail "burrow-dns survived SIGKILL"
echo "killed with $busy open files"
# the next setup restarts it while the clients still hammer the gateway
out=$(nv_setup c "$C") || fail "setup after kill -9: $out"
on_exit "nv_teardown c '$C' >/dev/null 2>&1"
pid2=$(dns_pid)
[ -n "$pid2" ] && [ "$pid2" != "$pid" ] && dns_alive "$pid2" || fail "no new daemon ($pid -> $pid2)"
expect_q "old record served again" "10.87.70.3" c 10.87.70.1 second
expect_q "new record served" "10.87.70.4" a 10.87.70.1 third
expect_q "over TCP" "10.87.70.2" c 10.87.70.1 first -t
expect_q "forwarding" "$REMOTE_FAR4" b 10.87.70.1 peer.test
wait "${work[@]}"
expect_eq "burrow-dns processes for this folder" 1 "$(pgrep -fc "burrow-dns --dir $BURROW_DNS_DIR")"
nv_teardown c "$C" >/dev/null || fail "teardown c"
dns_finish a b
