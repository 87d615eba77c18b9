#!/bin/bash
# burrow-slirp --api-socket: slirp4netns's JSON protocol.  add_hostfwd makes
# a working forward (the container sees the remote peer's address),
# list_hostfwd shows it, remove_hostfwd closes its listener; a taken port,
# an unknown id, malformed and oversized requests get error replies and
# burrow-slirp keeps serving; the socket is mode 0600.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

sandbox_net
slirp_container
mkdir "$T_TMP/api" && chown "$TEST_USER" "$T_TMP/api"
sock=$T_TMP/api/api.sock
slirp_start -t 18110:80 --api-socket "$sock"
ctr_peer_server tcp 80

api() { printf '%s' "$1" | as_user socat -t5 -T5 - "UNIX-CONNECT:$sock"; }

expect_eq "socket mode" 600 "$(stat -c %a "$sock")"
out=$(api '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_addr":"0.0.0.0","host_port":18111,"guest_port":80}}')
# replies are compact JSON, keys in insertion order (no jq on the CI machine)
id=$(echo "$out" | sed -n 's/^{"return":{"id":\([0-9]*\)}}$/\1/p')
[[ "$id" =~ ^[0-9]+$ ]] || fail "add_hostfwd: $out"
out=$(peer_of in_remote socat -T5 - "TCP4:$HOST_IP4:18111")
expect_eq "forward added by the API" "peer=$REMOTE_IP4" "$out"

out=$(api '{"execute":"list_hostfwd"}')
echo "$out" | grep -qF "{\"id\":$id,\"proto\":\"tcp\",\"host_addr\":\"0.0.0.0\",\"host_port\":18111,\"guest_port\":80}" ||
	fail "list_hostfwd: $out"
expect_eq "two forwards listed" 2 "$(echo "$out" | grep -o '"id":' | wc -l)"

out=$(api '{"execute":"add_hostfwd","arguments":{"proto":"tcp","host_port":18110,"guest_port":80}}')
echo "$out" | grep -q '^{"error":{"desc":".*18110' || fail "conflict not refused: $out"
out=$(api '{"execute":"add_hostfwd","arguments":{"proto":"sctp","host_port":18112,"guest_port":80}}')
echo "$out" | grep -q '^{"error":{"desc":"' || fail "bad proto not refused: $out"
for bad in 'not json' '[]' '{"execute":42}' '{"execute":"nope"}' \
	'{"execute":"add_hostfwd","arguments":{"host_port":0,"guest_port":80}}' \
	'{"execute":"remove_hostfwd","arguments":{"id":9999}}'; do
	out=$(api "$bad")
	echo "$out" | grep -q '^{"error":{"desc":"' || fail "no error reply for '$bad': $out"
done
out=$(head -c 10000 /dev/zero | tr '\0' ' ' | as_user socat -t5 -T5 - "UNIX-CONNECT:$sock")
echo "$out" | grep -q '^{"error":{"desc":".*larger' || fail "oversized request: $out"

out=$(api "{\"execute\":\"remove_hostfwd\",\"arguments\":{\"id\":$id}}")
expect_eq "remove_hostfwd" '{"return":{}}' "$out"
retry 100 bash -c "! nsenter --net=/run/netns/$HOST_NS ss -Hltn 'sport = :18111' | grep -q ." ||
	fail "listener still open after remove_hostfwd"
out=$(peer_of in_remote socat -T5 - "TCP4:$HOST_IP4:18110")
expect_eq "command-line forward still works" "peer=$REMOTE_IP4" "$out"
kill -0 "$SLIRP_PID" || fail "burrow-slirp died"
pass
