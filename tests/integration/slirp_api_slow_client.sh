#!/bin/bash
# burrow-slirp --api-socket: clients that connect, send half a request and
# wait do not stall the forwarding loop or other API clients.  While eight
# such clients hang on, data keeps flowing through a forward with low
# latency and list_hostfwd answers at once; each stuck client gets a timeout
# error reply after about a second; burrow-slirp keeps serving.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

sandbox_net
slirp_container
mkdir "$T_TMP/api" && chown "$TEST_USER" "$T_TMP/api"
sock=$T_TMP/api/api.sock
slirp_start -p 18120:7000 --api-socket "$sock"
in_ctr "$TOOLS/echopeer" serve-tcp 7000 &
echo_pid=$!
on_exit "pkill -P $echo_pid; kill $echo_pid"
retry 100 _ctr_listening tcp 7000 || fail "container echo server did not start"

api() { printf '%s' "$1" | as_user socat -t5 -T5 - "UNIX-CONNECT:$sock"; }
ms() { echo $(($(date +%s%N) / 1000000)); }

# eight clients: half a request, then silence for 3 s (they keep reading)
stuck=()
for i in $(seq 1 8); do
	(printf '{"execute":"list_'; sleep 3) |
		as_user socat -t2 -T10 - "UNIX-CONNECT:$sock" > "$T_TMP/stuck.$i" 2>&1 &
	stuck+=($!)
	on_exit "kill ${stuck[-1]}"
done
stuck_connected() {
	[ "$(pgrep -u "$TEST_USER" -f "UNIX-CONNECT:$sock" | wc -l)" -ge 8 ] &&
		[ "$(in_host ss -Hx | grep -cF "$sock")" -ge 1 ]
}
retry 100 stuck_connected || fail "the stuck clients did not connect"

start=$(ms)
out=$(api '{"execute":"list_hostfwd"}')
took=$(($(ms) - start))
echo "$out" | grep -q '^{"return":{"entries":\[{"id":1,' || fail "list_hostfwd: $out"
[ "$took" -lt 900 ] || fail "list_hostfwd behind stuck clients took $took ms"

start=$(ms)
out=$(in_remote timeout 30 "$TOOLS/echopeer" rr "$HOST_IP4" 18120 300)
took=$(($(ms) - start))
p99=$(echo "$out" | sed -n 's/.*p99_us=\([0-9]*\).*/\1/p')
[ -n "$p99" ] || fail "request/response through the forward: $out"
[ "$p99" -lt 500000 ] || fail "forwarding stalled by API clients: p99 ${p99} us ($out)"
out=$(in_remote timeout 30 "$TOOLS/echopeer" tcp "$HOST_IP4" 18120 2000000 2>&1)
expect_eq "2 MB through the forward while API clients hang" ok "$out"

for i in "${!stuck[@]}"; do
	wait "${stuck[$i]}"
	grep -q '^{"error":{"desc":"timeout' "$T_TMP/stuck.$((i + 1))" ||
		fail "stuck client $((i + 1)) got no timeout reply: $(cat "$T_TMP/stuck.$((i + 1))")"
done

out=$(api '{"execute":"list_hostfwd"}')
echo "$out" | grep -q '^{"return":{"entries":' || fail "API after the stuck clients: $out"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
pass
