# shellcheck shell=bash
# launcher.sh - helpers for the launcher's integration tests (source after sandbox.sh)
#   launcher_rootfs      make a busybox root filesystem in $ROOTFS (shared, read-only use)
#   retry_out N CMD...   like retry, but prints the first successful CMD's output
#   attach_test_setup NAME...  the attach tests' common set-up ($B, $SYNC, clean-up)

# one rootfs per test run, readable by the test users
launcher_rootfs() {
	ROOTFS="$T_TMP/rootfs"
	"$TOP/scripts/mkrootfs.sh" "$ROOTFS" || fail "mkrootfs.sh failed"
	chmod 0755 "$ROOTFS"
	export ROOTFS
}

# attach_test_setup NAME...: what the attach tests share: burrow-mon and
# ptydrive built, the rootfs, $B, containers NAME... removed at exit, and a
# folder $SYNC the container's user can write marker files to
attach_test_setup() {
	need_bin burrow-mon
	[ -x "$TOOLS/ptydrive" ] || fail "ptydrive not built"
	launcher_rootfs
	B="$BIN/burrow"
	on_exit "as_user $B system prune >/dev/null 2>&1"
	on_exit "as_user $B rm -f $* >/dev/null 2>&1"
	SYNC="$T_TMP/sync"
	mkdir -p "$SYNC" && chown "$TEST_USER:" "$SYNC" && chmod 0755 "$SYNC"
}

retry_out() {
	local n=$1 i out; shift
	for ((i = 0; i < n; i++)); do
		out=$("$@" 2>/dev/null) && { printf '%s\n' "$out"; return 0; }
		sleep 0.1
	done
	return 1
}

# http_get HOST PORT: the body of GET / (bash's /dev/tcp; no client program needed)
http_get() {
	timeout 10 bash -c '
		exec 3<>"/dev/tcp/$1/$2" || exit 1
		printf "GET / HTTP/1.0\r\nHost: %s\r\n\r\n" "$1" >&3
		resp=$(cat <&3) || exit 1
		case $resp in "HTTP/1."?" 200"*) ;; *) exit 1 ;; esac
		printf "%s\n" "${resp#*$'"'"'\r\n\r\n'"'"'}"
	' http_get "$1" "$2"
}

# ns_http_get RUNNER HOST PORT: http_get run by RUNNER (in_remote, in_host)
ns_http_get() {
	"$1" bash -c "$(declare -f http_get); http_get $2 $3"
}
