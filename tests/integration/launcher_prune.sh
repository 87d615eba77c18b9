#!/bin/bash
# After a kill -9 of every helper of a detached container (its supervisor and
# its pasta), ps shows it dead and `burrow system prune` removes the
# container's processes, its runtime state and its record.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_cmd pasta passt
launcher_rootfs
sandbox_net
B="$BIN/burrow"
on_exit "as_user $B system prune"

id=$(as_user "$B" run -d --network pasta -p 18081:80 "$ROOTFS" httpd -f -p 80 -h /var/www) ||
	fail "run -d"
wait_port in_remote "$HOST_IP4" 18081 || fail "port 18081 never opened"
info=$(as_user "$B" inspect "$id")
get() { jq -r ".[0].Burrow.$1" <<<"$info"; }
mon=$(get mon_pid) net=$(get net_pid) pid=$(get pid) holder=$(get holder_pid)
[ -n "$mon" ] && [ -n "$net" ] && [ -n "$pid" ] || fail "inspect lacks PIDs: $info"
# every helper: the supervisor, pasta and (with burrow-mon) the namespace holder
kill -9 "$mon" "$net"
[ "${holder:-0}" != 0 ] && kill -9 "$holder"
gone() { ! kill -0 "$1" 2>/dev/null; }
shows_dead() { as_user "$B" ps -a | grep -q "^$id .*dead"; }
retry 50 gone "$mon" || fail "supervisor survived kill -9"
kill -0 "$pid" || fail "the container died with its supervisor (it should not)"
retry 50 shows_dead || fail "ps -a: $(as_user "$B" ps -a)"
out=$(as_user "$B" system prune) || fail "prune failed"
[[ $out == *"$id"* ]] || fail "prune did not report $id: $out"
retry 50 gone "$pid" || fail "container process $pid left running"
[ -z "$(as_user "$B" ps -a | tail -n +2)" ] || fail "record left: $(as_user "$B" ps -a)"
[ -z "$(ls "$T_TMP/xdg-$TEST_USER/burrow/runtime/crun" 2>/dev/null)" ] ||
	fail "runtime state left: $(ls "$T_TMP/xdg-$TEST_USER/burrow/runtime/crun")"
pass
