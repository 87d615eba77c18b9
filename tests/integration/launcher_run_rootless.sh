#!/bin/bash
# burrow as an unprivileged user: the container runs in a user namespace with
# the full subordinate maps, exit codes propagate, -d/stop/rm work, and a
# second user on the same host neither sees nor touches the first one's
# containers.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
launcher_rootfs
B="$BIN/burrow"
on_exit "as_user $B system prune"
on_exit "as_user $B rm -f r1"

maps=$(as_user "$B" run --rm --network none "$ROOTFS" cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //')
expect_eq "uid map" "0 $TEST_UID 1
1 400000 65536" "$maps"
as_user "$B" run --rm --network none "$ROOTFS" sh -c 'touch /tmp/f && chown 1000:1000 /tmp/f && exit 9'
expect_eq "rootless exit code" 9 $?

id=$(as_user "$B" run -d --name r1 --network none "$ROOTFS" \
	sh -c 'trap "exit 3" TERM; while :; do sleep 0.1; done') || fail "run -d"
as_user "$B" ps | grep -q "^$id  r1 .*running" || fail "ps: $(as_user "$B" ps)"
expect_eq "exec as the container's root" 0 "$(as_user "$B" exec r1 id -u)"

# the second user: sees nothing, cannot act on it
[ -z "$(as_user_named "$TEST_USER2" "$B" ps -a | tail -n +2)" ] ||
	fail "$TEST_USER2 sees $TEST_USER's containers"
as_user_named "$TEST_USER2" "$B" rm -f "$id" >/dev/null 2>&1 && fail "$TEST_USER2 removed it"
as_user_named "$TEST_USER2" "$B" kill "$id" >/dev/null 2>&1 && fail "$TEST_USER2 killed it"
as_user "$B" ps | grep -q "^$id  r1 .*running" || fail "r1 is gone after the second user's tries"

check "stop" as_user "$B" stop -t 10 r1
as_user "$B" ps -a | grep -q "^$id  r1 .*exited (3)" || fail "ps -a: $(as_user "$B" ps -a)"
check "rm" as_user "$B" rm r1
[ -z "$(as_user "$B" ps -a | tail -n +2)" ] || fail "records left: $(as_user "$B" ps -a)"
pass
