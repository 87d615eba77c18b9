# shellcheck shell=bash
# netns.sh - helpers for burrow-netns integration tests (source after sandbox.sh)
NETNS="$BIN/burrow-netns"
[ -x "$NETNS" ] || fail "burrow-netns not built ($NETNS)"

# alive PID: the process exists and is not a zombie
alive() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[ -n "$st" ] && [[ "$st" != Z* ]]
}
# wait_gone PID: up to 10 s for PID to exit
wait_gone() { retry 100 eval "! alive $1"; }

# user_state NAME: the rootless record file of NAME for the test user
user_state() { echo "$T_TMP/xdg-$TEST_USER/burrow/netns/$1"; }

# holder_of NAME: PID from the rootless record
holder_of() { sed -n 's/^pid=//p' "$(user_state "$1")"; }

# netns_cleanup_rootful NAME / netns_cleanup_rootless NAME: register removal
netns_cleanup_rootful() { on_exit "'$NETNS' delete '$1' --force; ip netns delete '$1'"; }
netns_cleanup_rootless() {
	on_exit "p=\$(holder_of '$1' 2>/dev/null); as_user '$NETNS' delete '$1' --force; [ -n \"\$p\" ] && kill -9 \"\$p\""
}

# in_netns PID NSPATH: PID's network namespace is the one at NSPATH
in_netns() { [ "$(readlink "/proc/$1/ns/net" 2>/dev/null)" = "$(stat -L -c 'net:[%i]' "$2")" ]; }

# need_userns: skip unless the test user can make a user namespace here
need_userns() {
	as_user unshare --user true 2>/dev/null ||
		skip "the test user cannot create user namespaces on this machine"
}
