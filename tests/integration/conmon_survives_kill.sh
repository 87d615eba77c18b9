#!/bin/bash
# Killing burrow-mon (SIGKILL or SIGTERM) never takes the container with it.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init

for sig in KILL TERM; do
	id="surv$sig"; dir="$T_TMP/$id"
	mon_bundle "$dir" false sleep 100
	mon_start "$id" "$dir" -l "k8s-file:$dir/ctr.log"
	rt start "$id" || fail "start"
	kill -"$sig" "$MON_PID"
	retry 100 mon_gone "$MON_PID" || fail "burrow-mon survived SIG$sig"
	sleep 0.3
	kill -0 "$MON_CPID" 2>/dev/null || fail "container died with its supervisor (SIG$sig)"
	rt state "$id" | grep -q '"status": "running"' || fail "runtime does not see $id running"
	rt delete -f "$id"
done
pass
