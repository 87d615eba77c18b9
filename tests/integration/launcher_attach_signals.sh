#!/bin/bash
# burrow attach options, rootless:
# - --sig-proxy (default): TERM, USR1 and INT sent to burrow attach reach the
#   container (a shell trap prints them) and the attach goes on;
# - --sig-proxy=false: a signal ends the attach (128 + signal) and is not
#   passed on, the container keeps running;
# - --detach-keys: a custom sequence detaches (through ptydrive), "" turns
#   detaching off (ctrl-p ctrl-q reach the container), a bad one is a clear error;
# - --no-stdin: our input is neither sent nor ends the container's stdin.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
attach_test_setup sig1 sig2 tdk tnk in2

# a bad sequence is refused before any container is looked at
for bad in ctrl-1 ctrl-P qq 'ctrl-p,' 'ctrl-p ctrl-q'; do
	out=$(as_user "$B" attach --detach-keys "$bad" nosuch 2>&1)
	rc=$?
	expect_eq "--detach-keys '$bad' exit code" 125 "$rc"
	[[ $out == *"invalid detach key"* && $out == *"ctrl-X"* ]] ||
		fail "--detach-keys '$bad': unclear error: $out"
done
out=$(as_user "$B" attach --sig-proxy=maybe nosuch 2>&1) && fail "--sig-proxy=maybe accepted"
[[ $out == *"--sig-proxy"* ]] || fail "--sig-proxy=maybe: $out"

# the container traps TERM, USR1, INT and USR2 and ticks until $SYNC/stopN
trapper() {
	printf '%s' "trap 'echo got-TERM' TERM; trap 'echo got-USR1' USR1; trap 'echo got-INT' INT;
		trap 'echo got-USR2' USR2; while [ ! -e /tmp/$1 ]; do echo tick; sleep 0.1; done; exit 4"
}
# attach_bg NAME OUT [OPTIONS...]: burrow attach in the background, its pid in
# $apid (sh execs burrow, so the pid is burrow's own), the job's in $bgpid
attach_bg() {
	local name=$1 out=$2; shift 2
	rm -f "$SYNC/apid"
	as_user sh -c 'echo $$ >"$1"; shift; exec "$0" attach "$@"' "$B" "$SYNC/apid" "$@" "$name" \
		</dev/null >"$out" 2>"$out.err" &
	bgpid=$!
	retry 100 test -s "$SYNC/apid" || fail "attach did not start"
	apid=$(cat "$SYNC/apid")
	on_exit "kill $apid 2>/dev/null"
	retry 200 grep -q tick "$out" || fail "attach $name shows no output: $(cat "$out.err")"
}

# --sig-proxy (default): the signals reach the container, the attach goes on
check "run -d sig1" as_user "$B" run -d --name sig1 --network none -v "$SYNC:/tmp:ro" \
	"$ROOTFS" sh -c "$(trapper stop1)" >/dev/null
attach_bg sig1 "$T_TMP/s1.out"
for s in TERM USR1 INT; do
	kill -s "$s" "$apid"
	retry 200 grep -q "got-$s" "$T_TMP/s1.out" ||
		fail "SIG$s did not reach the container: $(tail -3 "$T_TMP/s1.out") $(cat "$T_TMP/s1.out.err")"
	kill -0 "$apid" 2>/dev/null || fail "SIG$s ended the attach"
done
touch "$SYNC/stop1"
wait $bgpid
rc=$?
expect_eq "attach ends with the container's exit code" 4 "$rc"

# --sig-proxy=false: TERM ends the attach with 143 and stays with us; USR2
# through burrow kill is then the first trap the container prints
check "run -d sig2" as_user "$B" run -d --name sig2 --network none -v "$SYNC:/tmp:ro" \
	"$ROOTFS" sh -c "$(trapper stop2)" >/dev/null
attach_bg sig2 "$T_TMP/s2.out" --sig-proxy=false
kill -s TERM "$apid"
wait $bgpid
rc=$?
expect_eq "--sig-proxy=false: SIGTERM ends the attach" 143 "$rc"
st=$(as_user "$B" inspect sig2 | jq -r .[0].State.Status)
expect_eq "sig2 still running" running "$st"
check "kill -s USR2 sig2" as_user "$B" kill -s USR2 sig2 >/dev/null
for ((i = 0; i < 200; i++)); do
	logs=$(as_user "$B" logs sig2 2>/dev/null)
	[[ $logs == *got-* ]] && break
	sleep 0.1
done
first=$(grep -o 'got-[A-Z0-9]*' <<<"$logs" | head -1)
expect_eq "--sig-proxy=false passed nothing on" got-USR2 "$first"
touch "$SYNC/stop2"

# --detach-keys ctrl-x,q: typed in a terminal, they detach; the shell runs on
check "run -d -t tdk" as_user "$B" run -d -t --name tdk --network none "$ROOTFS" sh >/dev/null
out=$(as_user "$TOOLS/ptydrive" -T 30 -r -s 'echo typed-$((6*7))\r' -e typed-42 -s '\x18q' -- \
	"$B" attach --detach-keys ctrl-x,q tdk) || fail "attach --detach-keys ctrl-x,q: rc $?: $out"
st=$(as_user "$B" inspect tdk | jq -r .[0].State.Status)
expect_eq "still running after ctrl-x q" running "$st"

# --detach-keys "": ctrl-p ctrl-q reach od, which ends with its input
check "run -d -t tnk" as_user "$B" run -d -t --name tnk --network none "$ROOTFS" od -An -c >/dev/null
as_user "$TOOLS/ptydrive" -T 30 -r -s 'a\x10\x11c\n\x04' -- "$B" attach --detach-keys "" tnk \
	>"$T_TMP/tnk.out"
rc=$?
expect_eq "od ended with its input" 0 "$rc"
grep -Eq 'a +020 +(021 +)?c' "$T_TMP/tnk.out" || fail "ctrl-p ctrl-q did not pass: $(cat "$T_TMP/tnk.out")"

# --no-stdin: the first attach's input goes nowhere, the second's is read
check "run -d -i in2" as_user "$B" run -d -i --name in2 --network none -v "$SYNC:/tmp:ro" "$ROOTFS" \
	sh -c 'while [ ! -e /tmp/go3 ]; do echo tick; sleep 0.1; done; read line; echo "got $line"; exit 3' \
	>/dev/null
printf 'bad\n' | as_user "$B" attach --no-stdin in2 >"$T_TMP/n1.out" 2>&1 &
n1=$!
retry 200 grep -q tick "$T_TMP/n1.out" || fail "attach --no-stdin shows no output: $(cat "$T_TMP/n1.out")"
out=$(printf 'good\n' | { touch "$SYNC/go3"; as_user "$B" attach in2; })
rc=$?
expect_eq "attach after --no-stdin: exit code" 3 "$rc"
[[ $out == *"got good"* ]] || fail "input after --no-stdin: $out"
wait $n1
rc=$?
expect_eq "attach --no-stdin: exit code" 3 "$rc"
grep -q "got good" "$T_TMP/n1.out" || fail "--no-stdin attach output: $(cat "$T_TMP/n1.out")"
pass
