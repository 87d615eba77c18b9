#!/bin/bash
# demo.sh - what `make demo` runs after building: a rootless busybox container
# serving HTTP on a forwarded port, fetched from the host side of a sandbox.
#
#   scripts/demo.sh [ROOTFS]     (as root; BUILD=build by default)
#
# Everything happens inside a sandbox this script creates and removes: a
# "host" network namespace (the container's host) and a "remote" peer joined
# to it by a veth, with documentation addresses only.  The container runs as
# the unprivileged user burrowtest (created by tests/setup.sh).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "demo: run as root (make demo), it creates a user and namespaces" >&2; exit 1; }
ROOTFS_ARG=${1:-}
# the sandbox harness gives namespaces, the test user and clean-up on exit
# shellcheck source=../tests/lib/sandbox.sh
. "$TOP/tests/lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
B="$BIN/burrow"
PORT=8080
N=0
T0=$(date +%s%N)

# step TEXT CMD...: run CMD, print its duration; stop the demo if it fails
step() {
	local text=$1 s e rc; shift
	N=$((N + 1))
	printf '[%d] %s ... ' "$N" "$text"
	s=$(date +%s%N)
	# not in a subshell: steps register their clean-up with on_exit
	"$@" >"$T_TMP/step.out" 2>&1; rc=$?
	e=$(date +%s%N)
	out=$(cat "$T_TMP/step.out")
	if [ $rc -ne 0 ]; then
		printf 'FAILED (%d ms)\n%s\n' $(((e - s) / 1000000)) "$out"
		echo "demo: step $N failed; everything it created is being removed" >&2
		exit 1
	fi
	printf 'ok (%d ms)\n' $(((e - s) / 1000000))
	[ -n "$out" ] && [ "${QUIET_OUT:-0}" != 1 ] && printf '%s\n' "$out" | sed 's/^/      /'
	return 0
}

[ -x "$B" ] || { echo "demo: $B missing: run make demo (it builds first)" >&2; exit 1; }
echo "burrow demo: a rootless container with a forwarded port, in a network sandbox"

if [ -n "$ROOTFS_ARG" ]; then
	ROOTFS=$(realpath "$ROOTFS_ARG")
	step "use the root filesystem $ROOTFS" test -x "$ROOTFS/bin/busybox"
else
	ROOTFS="$T_TMP/rootfs"
	step "make a busybox root filesystem from Debian's busybox-static ($ROOTFS)" \
		"$TOP/scripts/mkrootfs.sh" "$ROOTFS"
	chmod 0755 "$ROOTFS"
fi
step "sandbox: 'host' namespace $HOST_NS ($HOST_IP4) and remote peer $REMOTE_NS ($REMOTE_IP4)" \
	sandbox_net

# the backend: burrow-slirp forwards -p itself (the container sees the
# client's real address); pasta only when burrow-slirp is not built or its
# forward fails (say why)
backend=slirp why="burrow-slirp forwards -p $PORT:80"
if [ ! -x "$BIN/burrow-slirp" ]; then
	backend=pasta why="burrow-slirp is not built (make slirp); Debian's pasta forwards ports"
fi
if [ $backend = pasta ] && ! command -v pasta >/dev/null; then
	echo "demo: no backend: burrow-slirp is not built and pasta is missing (apt-get install passt)" >&2
	exit 1
fi
echo "    network backend: $backend ($why)"
if [ -x "$BIN/burrow-mon" ]; then
	echo "    supervisor: burrow-mon (one per container, outlives the CLI)"
else
	echo "    supervisor: burrow itself (burrow-mon is not built)"
fi

on_exit "as_user $B rm -f demo-web"
start_web() {
	as_user "$B" run -d --name demo-web --network "$backend" -p "$PORT:80" "$ROOTFS" \
		httpd -f -v -p 80 -h /var/www
}
# start_or_fall_back: slirp first; if its forward fails and pasta exists,
# print why and start the same container with pasta
start_or_fall_back() {
	local out
	out=$(start_web 2>&1) && { printf '%s\n' "$out"; return 0; }
	[ $backend = slirp ] && command -v pasta >/dev/null || { printf '%s\n' "$out"; return 1; }
	printf 'burrow-slirp failed: %s\n' "$out"
	as_user "$B" rm -f demo-web >/dev/null 2>&1
	backend=pasta
	printf 'falling back to --network pasta\n'
	start_web
}
step "as $TEST_USER (uid $TEST_UID): burrow run -d --name demo-web --network $backend -p $PORT:80 ROOTFS httpd" \
	start_or_fall_back
step "wait until port $PORT accepts on the sandbox host" wait_port in_host 127.0.0.1 "$PORT"
step "fetch http://127.0.0.1:$PORT/ on the sandbox host" ns_http_get in_host 127.0.0.1 "$PORT"
step "fetch http://$HOST_IP4:$PORT/ from the remote peer" ns_http_get in_remote "$HOST_IP4" "$PORT"
step "burrow ps (as $TEST_USER)" as_user "$B" ps
step "the container's user namespace maps (uid_map)" as_user "$B" exec demo-web cat /proc/self/uid_map
step "burrow logs demo-web (httpd -v: who connected)" as_user "$B" logs demo-web
if [ $backend = slirp ]; then
	seen_remote() { as_user "$B" logs demo-web | grep -q "$REMOTE_IP4\]:"; }
	step "the container saw the remote peer's real address $REMOTE_IP4" retry 50 seen_remote
fi
step "burrow stop -t 1 demo-web (httpd as PID 1 ignores SIGTERM: SIGKILL after 1 s)" \
	as_user "$B" stop -t 1 demo-web
step "burrow rm demo-web" as_user "$B" rm demo-web
nothing_left() { [ -z "$(as_user "$B" ps -a | tail -n +2)" ]; }
step "nothing left: burrow ps -a is empty" nothing_left
echo "demo done in $((($(date +%s%N) - T0) / 1000000)) ms; removing the sandbox"
exit 0
