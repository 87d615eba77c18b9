#!/bin/bash
# burrow's errors say what is wrong and what to do: missing rootfs, missing
# runtime, no subordinate IDs, host port in use, unknown network, bad option
# values, another command's option; and none of these failures leaves a record behind.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
launcher_rootfs
export BURROW_STATE_DIR="$T_TMP/state"
B="$BIN/burrow"

# expect_err DESCRIPTION TEXT CMD...: CMD exits 125 and its stderr contains TEXT
expect_err() {
	local d=$1 want=$2 out rc; shift 2
	out=$("$@" 2>&1 >/dev/null); rc=$?
	expect_eq "$d: exit code" 125 "$rc"
	[[ $out == *"$want"* ]] || fail "$d: message '$out' lacks '$want'"
}

expect_err "missing rootfs" "burrow-mkrootfs $T_TMP/nope" "$B" run --network none "$T_TMP/nope" true
expect_err "not a rootfs" "does not look like a root filesystem" "$B" run --network none "$T_TMP" true
mkdir -p "$T_TMP/emptybin"
expect_err "runtime missing" "OCI runtime crun not found" \
	env PATH="$T_TMP/emptybin" "$B" run --network none "$ROOTFS" true
expect_err "unknown runtime" "unknown runtime" "$B" run --runtime kata --network none "$ROOTFS" true
expect_err "unknown network" "unknown --network" "$B" run --network wifi "$ROOTFS" true
expect_err "-p without a network" "-p needs a network" "$B" run --network none -p 8080:80 "$ROOTFS" true
expect_err "bad port" "out of range" "$B" run --network pasta -p 8080:70000 "$ROOTFS" true
expect_err "stop -t not a number" "--time: expected a number from 0 to" "$B" stop -t soon c1
# each command takes its own options only, not another's (they were once
# accepted and ignored: rm --signal, exec --time, logs --force)
expect_err "rm --signal" "unrecognized option '--signal'" "$B" rm --signal KILL c1
expect_err "exec --time" "unrecognized option '--time'" "$B" exec --time 5 c1 true
expect_err "logs --force" "unrecognized option '--force'" "$B" logs --force c1
expect_err "stop --tty" "unrecognized option '--tty'" "$B" stop --tty c1
expect_err "kill --follow" "unrecognized option '--follow'" "$B" kill --follow c1
expect_err "--format unknown field" "template: ps has no field .Foo" "$B" ps --format '{{.Foo}}'

# a user without subordinate ranges
if id nobody >/dev/null 2>&1 && ! grep -q '^nobody:' /etc/subuid; then
	expect_err "no subids" "no subordinate IDs" as_user_named nobody "$B" run --network none "$ROOTFS" true
fi

# a host port already taken
if command -v pasta >/dev/null; then
	sandbox_net
	# nsenter execs socat, so $! is socat itself (a backgrounded function would be a subshell)
	nsenter --net="/run/netns/$HOST_NS" -- socat TCP-LISTEN:18080,reuseaddr,fork /dev/null &
	on_exit "kill $!"
	wait_port in_host 127.0.0.1 18080 || fail "socat did not listen"
	expect_err "port in use" "port 18080/tcp is already in use" \
		as_user "$B" run --network pasta -p 18080:80 "$ROOTFS" true
fi
[ -z "$(ls "$BURROW_STATE_DIR/containers" 2>/dev/null)" ] || fail "records left behind"
[ -z "$(ls "$T_TMP/xdg-$TEST_USER/burrow/containers" 2>/dev/null)" ] || fail "user records left behind"
pass
