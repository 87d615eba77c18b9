#!/bin/bash
# delete of a namespace that other processes still use says so and refuses
# (rootful and rootless); it works once they are gone, or with --force.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/netns.sh"

R="${T_ID}r"
U="${T_ID}u"
netns_cleanup_rootful "$R"
netns_cleanup_rootless "$U"

# rootful: a process inside, then one holding only an fd
check "create $R" "$NETNS" create "$R"
"$NETNS" exec "$R" sleep 600 &
sleeper=$!
on_exit "kill -9 $sleeper"
retry 100 in_netns "$sleeper" "/run/netns/$R" ||
	fail "sleeper did not enter $R"
out=$("$NETNS" delete "$R" 2>&1) && fail "delete of a busy namespace succeeded"
[[ "$out" == *"in use by 1 process: $sleeper (sleep)"* ]] || fail "message: $out"
[ -e "/run/netns/$R" ] || fail "refused delete removed the name"
kill -9 $sleeper; wait $sleeper 2>/dev/null
exec 7</run/netns/"$R"		# an open fd keeps a namespace alive too
out=$("$NETNS" delete "$R" 2>&1) && fail "delete with an fd open succeeded"
[[ "$out" == *"in use by"*" $$ (bash)"* ]] || fail "fd holder not named: $out"
exec 7<&-
check "delete once unused" "$NETNS" delete "$R"
[ ! -e "/run/netns/$R" ] || fail "/run/netns/$R left behind"

# --force removes the name while a process keeps the namespace itself
check "create $R again" "$NETNS" create "$R"
"$NETNS" exec "$R" sleep 600 &
sleeper=$!
on_exit "kill -9 $sleeper"
retry 100 in_netns "$sleeper" "/run/netns/$R" ||
	fail "sleeper did not enter $R"
out=$("$NETNS" delete "$R" --force 2>&1) || fail "delete --force: $out"
[[ "$out" == *"still in use"* ]] || fail "--force did not warn: $out"
[ ! -e "/run/netns/$R" ] || fail "--force left /run/netns/$R"
alive $sleeper || fail "--force killed the user of the namespace"
kill -9 $sleeper; wait $sleeper 2>/dev/null

# rootless: the holder does not count, a process of the user does
need_userns
check "create $U" as_user "$NETNS" create "$U"
pid=$(holder_of "$U")
as_user "$NETNS" exec "$U" sleep 600 &
bgjob=$!
on_exit "pkill -9 -P $bgjob; kill -9 $bgjob"
# find_sleeper: the test user's sleep inside $U (other tests may run sleeps too)
find_sleeper() {
	local p
	for p in $(pgrep -u "$TEST_UID" -x sleep); do
		in_netns "$p" "/proc/$pid/ns/net" && { echo "$p"; return 0; }
	done
	return 1
}
retry 100 find_sleeper >/dev/null || fail "no sleeper inside $U"
usleeper=$(find_sleeper)
on_exit "kill -9 $usleeper"
out=$(as_user "$NETNS" delete "$U" 2>&1) && fail "rootless delete of a busy namespace succeeded"
[[ "$out" == *"in use by 1 process: $usleeper (sleep)"* ]] || fail "message: $out"
alive "$pid" || fail "refused delete stopped the holder"
[ -f "$(user_state "$U")" ] || fail "refused delete removed the state"
kill -9 "$usleeper"
wait_gone "$usleeper" || fail "sleeper did not exit"
check "rootless delete once unused" as_user "$NETNS" delete "$U"
wait_gone "$pid" || fail "holder $pid left behind"
[ ! -e "$(user_state "$U")" ] || fail "state file left behind"
pass
