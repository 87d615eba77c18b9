#!/bin/bash
# burrow stop says when SIGTERM was not enough: a container whose init
# ignores SIGTERM is stopped with SIGKILL after -t seconds and stop says so
# on stderr (podman: "... resorting to SIGKILL"); one that exits on SIGTERM
# stops quietly. As root and as an unprivileged user.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
launcher_rootfs
B="$BIN/burrow"
export BURROW_STATE_DIR="$T_TMP/state"
on_exit "$B rm -f stubborn polite >/dev/null 2>&1"
on_exit "as_user $B rm -f stubborn polite >/dev/null 2>&1"

ready() { "$@" "$B" logs polite 2>/dev/null | grep -q ready; }
# stop_test RUNNER...: the two containers, run and stopped through RUNNER
stop_test() {
	local who=$1 id out t0 t1; shift
	# PID 1 with no handler: the kernel drops SIGTERM
	id=$("$@" "$B" run -d --name stubborn --network none "$ROOTFS" sleep 1000) || fail "$who: run stubborn"
	t0=$(date +%s)
	out=$("$@" "$B" stop -t 1 stubborn 2>"$T_TMP/err") || fail "$who: stop stubborn: $(cat "$T_TMP/err")"
	t1=$(date +%s)
	expect_eq "$who: stop prints the ID" "$id" "$out"
	grep -q "container $id did not stop 1 s after SIGTERM: sending SIGKILL" "$T_TMP/err" ||
		fail "$who: stop did not say it sent SIGKILL: '$(cat "$T_TMP/err")'"
	[ $((t1 - t0)) -le 8 ] || fail "$who: stop -t 1 took $((t1 - t0)) s"
	"$@" "$B" ps -a | grep -q "^$id  stubborn .*exited (137)" || fail "$who: ps -a: $("$@" "$B" ps -a)"
	id=$("$@" "$B" run -d --name polite --network none "$ROOTFS" \
		sh -c 'trap "exit 0" TERM; echo ready; while :; do sleep 0.1; done') || fail "$who: run polite"
	# SIGTERM before the trap is set would be dropped (PID 1, no handler)
	retry 100 ready "$@" || fail "$who: polite never ready"
	"$@" "$B" stop -t 10 polite >/dev/null 2>"$T_TMP/err" || fail "$who: stop polite"
	[ -s "$T_TMP/err" ] && fail "$who: stop of a polite container printed '$(cat "$T_TMP/err")'"
	"$@" "$B" ps -a | grep -q "^$id  polite .*exited (0)" || fail "$who: ps -a: $("$@" "$B" ps -a)"
	check "$who: rm" "$@" "$B" rm stubborn polite
}
stop_test root env
stop_test rootless as_user
pass
