# shellcheck shell=bash
# sandbox.sh - the test harness every integration test sources.
#
#   . "$(dirname "$0")/../lib/sandbox.sh"
#   sandbox_net            # "host" + "remote" namespaces joined by a veth
#   sandbox_dns            # stub DNS server on the host namespace's loopback
#   in_host CMD...         # run as root in the sandbox host namespace
#   as_user CMD...         # run as the unprivileged test user in the host namespace
#   in_remote CMD...       # run in the remote peer namespace
#   on_exit CMD            # register clean-up (runs in reverse order, always)
#   pass / fail MSG / skip MSG
#   need_bin PROG...       fail unless build/bin/PROG exists (make check builds them)
#   need_cmd CMD PACKAGE   fail unless CMD is installed (make check installs it)
#   pasta2025              path of the 2025 pasta (the comparison anchor), built
#                          from ../shared/anchors when there is none yet
#   san_capture            sanitizer reports (make SAN=1) of the programs started
#                          from then on go to files in $T_TMP/san (a detached
#                          helper's stderr is often /dev/null); $SAN_ENV holds the
#                          same as VAR=VALUE words for environments built anew
#   expect_no_san_report [WHO]  fail, showing it, on any such report
#
# Addresses (documentation ranges only):
#   host   eth0 198.51.100.1/24  2001:db8:1::1/64   default route via the remote
#   remote eth0 198.51.100.2/24  2001:db8:1::2/64   lo 203.0.113.10/32, 2001:db8:2::10/128
# Nothing here touches the machine's real interfaces: every namespace is ours
# and removed on exit, even when the test fails.
set -u

T_NAME=$(basename "$0" .sh)
T_ID="bw$$"
BUILD=${BUILD:-build}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN="$TOP/$BUILD/bin"
TOOLS="$TOP/$BUILD/tests/tools"
T_TMP=$(mktemp -d "/tmp/burrow-test.$T_NAME.XXXXXX")
chmod 0755 "$T_TMP"
TEST_USER=burrowtest
TEST_USER2=burrowtest2
HOST_NS="${T_ID}h"
REMOTE_NS="${T_ID}r"
HOST_IP4=198.51.100.1
REMOTE_IP4=198.51.100.2
REMOTE_FAR4=203.0.113.10
HOST_IP6=2001:db8:1::1
REMOTE_IP6=2001:db8:1::2
REMOTE_FAR6=2001:db8:2::10
export BUILD TOP BIN TOOLS T_TMP TEST_USER TEST_USER2

_cleanups=()
on_exit() { _cleanups+=("$*"); }
_run_cleanups() {
	local rc=$? i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1 || true
	done
	rm -rf "$T_TMP"
	exit $rc
}
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

pass() { echo "PASS: $T_NAME${1:+: $1}"; exit 0; }
fail() { echo "FAIL: $T_NAME: $*" >&2; exit 1; }
skip() { echo "SKIP: $T_NAME: $*"; exit 77; }
# check DESCRIPTION CMD...: run CMD, fail the test with DESCRIPTION if it fails
check() { local d=$1; shift; "$@" || fail "$d (command: $*)"; }
# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"; }
# need_bin PROG...: a burrow program the test runs; `make check` builds every
# one first, so a missing one is a broken build, never a reason to skip
need_bin() {
	local b
	for b; do
		[ -x "$BIN/$b" ] || fail "$b is not built ($BIN/$b): make check builds it first (make $b)"
	done
}
# need_cmd CMD PACKAGE: a tool from a Debian package that scripts/deps.sh
# installs (make check runs it first); missing means the set-up is broken
need_cmd() {
	command -v "$1" >/dev/null || [ -x "$1" ] ||
		fail "$1 is missing: Debian package $2 (scripts/deps.sh installs it: make deps)"
}
# pasta2025: print the path of the 2025_01_09 pasta, the comparison anchor:
# $PASTA2025 if set, else a build of ../shared/anchors/build-pasta.sh at its
# default prefix or at /tmp/pasta2025 (where the benches build it), else
# build it with that script (about 20 s; its messages go to stderr); status
# 1 and nothing printed when there is none and the script is not there
pasta2025() {
	local p script="$TOP/../shared/anchors/build-pasta.sh"
	for p in "${PASTA2025:-}" /opt/anchors/pasta-2025_01_09/bin/pasta /tmp/pasta2025/bin/pasta; do
		[ -n "$p" ] && [ -x "$p" ] && { echo "$p"; return 0; }
	done
	[ -x "$script" ] || { echo "pasta2025: no build and no $script" >&2; return 1; }
	p=$("$script" | tail -1)
	[ -x "$p" ] && echo "$p"
}
# retry N CMD...: run CMD up to N times 0.1 s apart until it succeeds
retry() { local n=$1 i; shift; for ((i = 0; i < n; i++)); do "$@" && return 0; sleep 0.1; done; return 1; }

[ "$(id -u)" = 0 ] || skip "integration tests run as root (they create namespaces and users)"
"$TOP/tests/setup.sh" || fail "tests/setup.sh failed"
TEST_UID=$(id -u "$TEST_USER"); TEST_GID=$(id -g "$TEST_USER")
TEST_UID2=$(id -u "$TEST_USER2")
export TEST_UID TEST_GID TEST_UID2

in_host()   { nsenter --net="/run/netns/$HOST_NS" -- "$@"; }
in_remote() { nsenter --net="/run/netns/$REMOTE_NS" -- "$@"; }

# user_env USER: a private XDG_RUNTIME_DIR per test and user, owned by USER
_user_xdg() {
	local d="$T_TMP/xdg-$1"
	[ -d "$d" ] || { mkdir -p "$d"; chown "$1:" "$d"; chmod 0700 "$d"; }
	echo "$d"
}
# as_user CMD...: the test user, in the sandbox host namespace if there is one
as_user() { as_user_named "$TEST_USER" "$@"; }
as_user_named() {
	local u=$1; shift
	local xdg; xdg=$(_user_xdg "$u")
	local pre=()
	[ -e "/run/netns/$HOST_NS" ] && pre=(nsenter --net="/run/netns/$HOST_NS" --)
	"${pre[@]}" setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$(getent passwd "$u" | cut -d: -f6)" \
		USER="$u" LOGNAME="$u" XDG_RUNTIME_DIR="$xdg" BUILD="$BUILD" BIN="$BIN" TOOLS="$TOOLS" \
		T_TMP="$T_TMP" ${BURROW_RESOLV_CONF:+BURROW_RESOLV_CONF="$BURROW_RESOLV_CONF"} "$@"
}

# kill_netns_procs NAME: kill what still runs in a namespace of ours (a server
# started with "in_remote CMD &" is a child of a subshell, so "kill $!" misses it)
kill_netns_procs() {
	local pids
	pids=$(ip netns pids "$1" 2>/dev/null)
	[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
	return 0
}

# kill_netns_procs_of PID: kill every other process in PID's network namespace
# (servers a test started inside a rootless "container" it made)
kill_netns_procs_of() {
	local ns p
	ns=$(readlink "/proc/$1/ns/net" 2>/dev/null) || return 0
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$1" ] && continue
		[ "$(readlink "$p/ns/net" 2>/dev/null)" = "$ns" ] && kill -KILL "${p#/proc/}" 2>/dev/null
	done
	return 0
}

# sandbox_net: create the host and remote namespaces and the link between them
sandbox_net() {
	ip netns add "$HOST_NS" || fail "ip netns add $HOST_NS"
	on_exit "kill_netns_procs $HOST_NS; ip netns delete $HOST_NS"
	ip netns add "$REMOTE_NS" || fail "ip netns add $REMOTE_NS"
	on_exit "kill_netns_procs $REMOTE_NS; ip netns delete $REMOTE_NS"
	ip -n "$HOST_NS" link add eth0 type veth peer name eth0 netns "$REMOTE_NS" ||
		fail "veth between $HOST_NS and $REMOTE_NS"
	local ns
	for ns in "$HOST_NS" "$REMOTE_NS"; do
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.accept_dad=0
		ip netns exec "$ns" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
	done
	ip -n "$HOST_NS" addr add "$HOST_IP4/24" dev eth0
	ip -n "$HOST_NS" addr add "$HOST_IP6/64" dev eth0 nodad
	ip -n "$REMOTE_NS" addr add "$REMOTE_IP4/24" dev eth0
	ip -n "$REMOTE_NS" addr add "$REMOTE_IP6/64" dev eth0 nodad
	ip -n "$REMOTE_NS" addr add "$REMOTE_FAR4/32" dev lo
	ip -n "$REMOTE_NS" addr add "$REMOTE_FAR6/128" dev lo
	ip -n "$HOST_NS" link set eth0 up
	ip -n "$REMOTE_NS" link set eth0 up
	ip -n "$HOST_NS" route add default via "$REMOTE_IP4"
	ip -n "$HOST_NS" -6 route add default via "$REMOTE_IP6"
	retry 50 in_host ping -c1 -W1 -q "$REMOTE_FAR4" >/dev/null ||
		fail "sandbox: remote peer unreachable"
	# IPv6 too: its first packet waits for neighbour discovery, which on a
	# loaded machine (the sanitizer run) once took longer than a test's
	# own 2 s ping
	retry 50 in_host ping -6 -c1 -W1 -q "$REMOTE_FAR6" >/dev/null ||
		fail "sandbox: remote peer unreachable over IPv6"
}

# sandbox_dns [NAME=ADDR ...]: stub DNS on 127.0.0.1:53 in the host namespace,
# answering the given names (default: peer.test -> the remote addresses),
# and a resolv.conf for helpers in $BURROW_RESOLV_CONF
sandbox_dns() {
	[ -x "$TOOLS/stubdns" ] || fail "stubdns not built"
	local names=("$@")
	[ ${#names[@]} -gt 0 ] || names=("peer.test=$REMOTE_FAR4" "peer.test=$REMOTE_FAR6")
	# not through in_host: a backgrounded function is a subshell, so $! would
	# be that shell and kill would leave stubdns running; nsenter execs it
	nsenter --net="/run/netns/$HOST_NS" -- "$TOOLS/stubdns" -l 127.0.0.1 -p 53 \
		-L "$T_TMP/stubdns.log" "${names[@]}" &
	local pid=$!
	on_exit "kill $pid; wait $pid"
	echo "nameserver 127.0.0.1" > "$T_TMP/resolv.conf"
	chmod 0644 "$T_TMP/resolv.conf"
	export BURROW_RESOLV_CONF="$T_TMP/resolv.conf"
	retry 50 test -s "$T_TMP/stubdns.log" || fail "stubdns did not start"
}

# wait_port NS-RUNNER HOST PORT: wait until a TCP port accepts (e.g. wait_port in_remote 203.0.113.10 5201)
wait_port() {
	local runner=$1 h=$2 p=$3
	retry 100 "$runner" bash -c "exec 3<>/dev/tcp/$h/$p" 2>/dev/null
}

san_capture() {
	mkdir -p "$T_TMP/san" && chmod 1777 "$T_TMP/san" || fail "mkdir $T_TMP/san"
	SAN_ENV=("ASAN_OPTIONS=log_path=$T_TMP/san/report${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
		"UBSAN_OPTIONS=log_path=$T_TMP/san/report:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}")
	export "${SAN_ENV[@]}"
}
expect_no_san_report() {
	local f
	for f in "$T_TMP"/san/report*; do
		[ -e "$f" ] || continue
		cat "$f" >&2
		fail "sanitizer report${1:+ from $1}: $f"
	done
}
