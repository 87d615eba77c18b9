#!/bin/bash
# Signals to a foreground `burrow run --rm` (what systemd, timeout and CI
# runners send): SIGTERM, SIGHUP, SIGINT (also with SIGINT ignored, as a
# shell's background job has it) and SIGUSR1 reach the container, which traps
# them; burrow waits, cleans up and exits with the container's status.  A
# container that ignores SIGTERM is killed after --stop-timeout, or at once
# on a second SIGTERM, and burrow says so.  ^C typed on a terminal reaches the
# container once (no -i, -i, -t).  `burrow stop` of a detached container
# waits its --stop-timeout.  `timeout -s TERM` signals burrow
# twice (its child, then its process group): that is one request, not two.
# After each run nothing is left: no crun, no container process, no namespace
# holder, no burrow-slirp, no record.  Rootless with slirp, and rootful.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow-slirp
launcher_rootfs
sandbox_net
B="$BIN/burrow"
SYNC="$T_TMP/sync"
mkdir -p "$SYNC" && chown "$TEST_USER:" "$SYNC" && chmod 0777 "$SYNC"
on_exit "as_user $B rm -f fg >/dev/null 2>&1; as_user $B system prune >/dev/null 2>&1"
on_exit "$B rm -f fg >/dev/null 2>&1; $B system prune >/dev/null 2>&1"

# the container: traps what it is told, notes each signal in /tmp/got, says
# it is ready, ticks; "ignore" as a trap action ignores TERM
script() {
	printf '%s' "$1; echo ready >/tmp/ready; while :; do sleep 0.05; done"
}
note() { printf "trap 'echo %s >>/tmp/got; %s' %s" "$1" "$2" "$1"; }

# descendants PID: "pid:starttime" of every process under PID
descendants() {
	local p
	for p in $(ps -e -o pid=,ppid= | awk -v root="$1" '{ pp[$1] = $2 }
		END { for (x in pp) { y = x; n = 0
			while ((y in pp) && y != root && y > 1 && n++ < 64) y = pp[y]
			if (y == root && x != root) print x } }'); do
		echo "$p:$(awk '{ print $22 }' "/proc/$p/stat" 2>/dev/null)"
	done
}
# left PID:START...: those still alive with the same start time
left() {
	local e p s
	for e in "$@"; do
		p=${e%%:*} s=${e#*:}
		[ -r "/proc/$p/stat" ] || continue
		[ "$(awk '{ print $22 }' "/proc/$p/stat" 2>/dev/null)" = "$s" ] || continue
		[ "$(awk '{ print $3 }' "/proc/$p/stat")" = Z ] && continue
		echo "$p($(tr '\0' ' ' <"/proc/$p/cmdline" | cut -c1-60))"
	done
}

# fg RUNNER OUT [RUN OPTIONS...] -- SCRIPT: `burrow run --rm --name fg` in
# the background as RUNNER (as_user, or root_run); burrow's pid in $bpid, the
# job's in $job, the processes under burrow once the container is ready in
# $procs
root_run() { "$@"; }
fg() {
	local runner=$1 out=$2 opts=() i
	shift 2
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	rm -f "$SYNC"/* 2>/dev/null
	"$runner" sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$SYNC/bpid" \
		"$B" run --rm --name fg "${opts[@]}" -v "$SYNC:/tmp" "$ROOTFS" sh -c "$1" \
		</dev/null >"$out" 2>"$out.err" &
	job=$!
	retry 100 test -s "$SYNC/bpid" || fail "burrow did not start"
	bpid=$(cat "$SYNC/bpid")
	for ((i = 0; i < 200; i++)); do
		[ -e "$SYNC/ready" ] && break
		kill -0 "$job" 2>/dev/null || fail "run ended early: $(cat "$out.err")"
		sleep 0.05
	done
	[ -e "$SYNC/ready" ] || fail "container not ready: $(cat "$out.err")"
	procs=$(descendants "$bpid")
	[ "$(wc -w <<<"$procs")" -ge 2 ] || fail "expected crun and the container under burrow: $procs"
}
# done_ok WHAT RUNNER EXPECTED_STATUS: the job ended with that status and
# nothing it made is left
done_ok() {
	local what=$1 runner=$2 want=$3 rc
	for ((i = 0; i < 300; i++)); do kill -0 "$job" 2>/dev/null || break; sleep 0.05; done
	kill -0 "$job" 2>/dev/null && fail "$what: burrow still runs after 15 s"
	wait "$job"
	rc=$?
	expect_eq "$what: exit status" "$want" "$rc"
	# shellcheck disable=SC2086
	local l; l=$(left $procs)
	[ -z "$l" ] || fail "$what: left running: $l"
	[ -z "$("$runner" "$B" ps -a | tail -n +2)" ] || fail "$what: record left: $("$runner" "$B" ps -a)"
}

# 1. SIGTERM, rootless with slirp: the holder and burrow-slirp go too
fg as_user "$T_TMP/o1" --network slirp -- "$(script "$(note TERM 'exit 7')")"
slirp=$(as_user "$B" inspect fg | jq -r .[0].Burrow.net_pid)
grep -q burrow-slirp "/proc/$slirp/cmdline" || fail "no burrow-slirp (net_pid $slirp)"
procs="$procs $slirp:$(awk '{ print $22 }' "/proc/$slirp/stat")"
kill -TERM "$bpid"
done_ok "SIGTERM (slirp)" as_user 7
expect_eq "the container got SIGTERM once" TERM "$(cat "$SYNC/got")"

# 2. timeout -s TERM: signals burrow and then its process group; one request
fg as_user "$T_TMP/o2" --network none -- "$(script "$(note TERM 'exit 0')")"
kill -TERM "$bpid"
done_ok "SIGTERM (none)" as_user 0
rm -f "$SYNC"/*
as_user timeout --preserve-status -s TERM 2 "$B" run --rm --name fg --network none \
	-v "$SYNC:/tmp" "$ROOTFS" sh -c "$(script "$(note TERM 'sleep 0.5; exit 6')")" \
	</dev/null >"$T_TMP/o3" 2>"$T_TMP/o3.err"
rc=$?
expect_eq "timeout -s TERM: the container's status, not SIGKILL's (stderr: $(cat "$T_TMP/o3.err"))" 6 "$rc"
grep -q TERM "$SYNC/got" || fail "timeout: the container did not get SIGTERM"
[ -z "$(as_user "$B" ps -a | tail -n +2)" ] || fail "timeout: record left"

# 3. SIGHUP, and SIGUSR1 first (passed on, the run goes on)
fg as_user "$T_TMP/o4" --network none -- "$(script "$(note USR1 ':'); $(note HUP 'exit 9')")"
kill -USR1 "$bpid"
retry 100 grep -qs USR1 "$SYNC/got" || fail "SIGUSR1 did not reach the container"
sleep 0.3
kill -0 "$job" 2>/dev/null || fail "SIGUSR1 ended the run"
kill -HUP "$bpid"
done_ok "SIGHUP" as_user 9
expect_eq "signals the container got" "USR1 HUP" "$(tr '\n' ' ' <"$SYNC/got" | sed 's/ $//')"

# 4. SIGINT to a background job (our shell left SIGINT ignored for it)
fg as_user "$T_TMP/o5" --network none -- "$(script "$(note INT 'exit 5')")"
kill -INT "$bpid"
done_ok "SIGINT" as_user 5

# 5. a container that ignores SIGTERM: SIGKILL after --stop-timeout
fg as_user "$T_TMP/o6" --network none --stop-timeout 2 -- "$(script "trap '' TERM")"
t0=$(date +%s%N)
kill -TERM "$bpid"
done_ok "stop timeout" as_user 137
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -ge 1800 ] || fail "SIGKILL came after $ms ms, before the 2 s stop timeout"
[ "$ms" -le 6000 ] || fail "SIGKILL came after $ms ms"
grep -q "did not exit 2 s after SIGTERM: sending SIGKILL" "$T_TMP/o6.err" ||
	fail "stop timeout not reported: $(cat "$T_TMP/o6.err")"

# 6. ... or at once on a second SIGTERM (default timeout: 10 s)
fg as_user "$T_TMP/o7" --network none -- "$(script "trap '' TERM")"
t0=$(date +%s%N)
kill -TERM "$bpid"
sleep 0.6
kill -0 "$job" 2>/dev/null || fail "one SIGTERM killed a container that ignores it"
kill -TERM "$bpid"
done_ok "second SIGTERM" as_user 137
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -le 4000 ] || fail "second SIGTERM: SIGKILL only after $ms ms"
grep -q "SIGTERM again: sending SIGKILL" "$T_TMP/o7.err" ||
	fail "second signal not reported: $(cat "$T_TMP/o7.err")"

# --stop-timeout is kept for `burrow stop` of a detached container, which
# says when it falls back to SIGKILL
on_exit "as_user $B rm -f dstop >/dev/null 2>&1"
check "run -d --stop-timeout 1" as_user "$B" run -d --name dstop --stop-timeout 1 --network none \
	"$ROOTFS" sh -c "trap '' TERM; while :; do sleep 0.05; done" >/dev/null
t0=$(date +%s%N)
out=$(as_user "$B" stop dstop 2>&1) || fail "stop dstop: $out"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -ge 900 ] && [ "$ms" -le 6000 ] || fail "stop with --stop-timeout 1 took $ms ms"
[[ $out == *"did not stop 1 s after SIGTERM: sending SIGKILL"* ]] || fail "stop: $out"
check "rm dstop" as_user "$B" rm dstop >/dev/null

# 7. rootful
fg root_run "$T_TMP/o8" --network none -- "$(script "$(note TERM 'exit 8')")"
kill -TERM "$bpid"
done_ok "SIGTERM (rootful)" root_run 8

# 8. ^C typed on a terminal reaches the container once, whatever the stdin
# mode (runtime in its own group: through us; with -i or -t it shares ours)
[ -x "$TOOLS/ptydrive" ] || fail "ptydrive not built (make tools)"
for mode in "" -i -t; do
	raw=()
	[ "$mode" = -t ] && raw=(-r)
	out=$(timeout 30 "$TOOLS/ptydrive" "${raw[@]}" -e ready -s '\x03' -- "$B" run --rm \
		$mode --network none "$ROOTFS" sh -c 'trap "echo got-INT" INT; echo ready
		i=0; while [ $i -lt 15 ]; do sleep 0.1; i=$((i + 1)); done; exit 4')
	rc=$?
	expect_eq "^C (run $mode): the container's status" 4 "$rc"
	expect_eq "^C (run $mode): SIGINT reached the container once" 1 "$(grep -c got-INT <<<"$out")"
done
[ -z "$("$B" ps -a | tail -n +2)" ] || fail "^C: record left: $("$B" ps -a)"
pass
