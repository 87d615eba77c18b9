#!/bin/bash
# soak.sh - `make soak`: mixed load for SOAK_SECONDS (default 600) in the
# sandbox of tests/lib/sandbox.sh; fails when a long-lived helper grows or
# when anything is left behind.  Not part of `make check`.
#
# Long-lived, sampled: burrow-slirp and burrow-mon of a rootless `burrow run
# -d --network slirp -p` container (the test user), burrow-dns serving a
# rootful burrow-bridge network (an anchor container on it keeps it up).
# Each round, in turn:
#   - a rootless `burrow run --rm --network slirp -p` container that resolves
#     a name through burrow-slirp's DNS and exits (start, forward, stop);
#   - a 4 MiB HTTP transfer from the remote peer through the long-lived
#     slirp forward;
#   - a rootful container set up with burrow-bridge on the DNS network with a
#     port forward, asked for names (its neighbours, an outside one from the
#     cache and a new one forwarded upstream; UDP and TCP), an echo transfer
#     through its forward, torn down;
#   - an echo transfer through the anchor's forward.
# Every SOAK_SAMPLE seconds (default a thirtieth of the run, at least 5),
# between two rounds (nothing in flight), the helpers' RSS and open fds are
# sampled.  Growth criterion: the samples of the first SOAK_WARMUP seconds
# (default a fifth of the run) are warm-up; the last sample may exceed the
# first one after warm-up by at most SOAK_FD_MARGIN fds (default 2) and by at
# most SOAK_RSS_MARGIN_KB KiB (default 512) or 10% of RSS, whichever is
# larger.  At the end every container is removed and nothing may remain:
# no burrow process, no `burrow ps -a` row, no link, nft table or state file
# of burrow-bridge, no burrow-dns or its records.
# `make soak SAN=1` runs the sanitizer build with ASan's quarantine off.
#   SOAK_SECONDS, SOAK_WARMUP, SOAK_SAMPLE, SOAK_FD_MARGIN, SOAK_RSS_MARGIN_KB
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
. "$TOP/tests/lib/bridge.sh"
. "$TOP/tests/lib/dns.sh"
need_bin burrow burrow-slirp burrow-mon burrow-bridge burrow-dns
[ -x "$TOOLS/echopeer" ] || fail "echopeer not built"

SECS=${SOAK_SECONDS:-600}
WARMUP=${SOAK_WARMUP:-$((SECS / 5))}
EVERY=${SOAK_SAMPLE:-$((SECS / 30 > 5 ? SECS / 30 : 5))}
FD_MARGIN=${SOAK_FD_MARGIN:-2}
RSS_MARGIN=${SOAK_RSS_MARGIN_KB:-512}
B="$BIN/burrow"
# a sanitizer build: AddressSanitizer keeps freed memory in a quarantine (up
# to 256 MB), which reads as RSS growth; without it growth is growth again
[ "$BUILD" = build-san ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
SAMPLES="$T_TMP/samples"

sandbox_net
sandbox_dns
launcher_rootfs
head -c $((4 << 20)) /dev/urandom > "$ROOTFS/var/www/big"
chmod 0644 "$ROOTFS/var/www/big"
BIG=$(stat -c %s "$ROOTFS/var/www/big")

# --- long-lived rootless container with a slirp forward
on_exit "as_user $B system prune >/dev/null 2>&1"
on_exit "as_user $B rm -f soakweb >/dev/null 2>&1"
as_user "$B" run -d --name soakweb --network slirp -p 18200:80 "$ROOTFS" \
	httpd -f -p 80 -h /var/www >/dev/null || fail "run -d soakweb"
wait_port in_remote "$HOST_IP4" 18200 || fail "forward 18200 never opened"
info=$(as_user "$B" inspect soakweb) || fail "inspect soakweb"
SLIRP_PID=$(jq -r .[0].Burrow.net_pid <<<"$info")
MON_PID=$(jq -r .[0].State.ConmonPid <<<"$info")
grep -q burrow-slirp "/proc/$SLIRP_PID/cmdline" 2>/dev/null || fail "net_pid $SLIRP_PID is not burrow-slirp"
grep -q burrow-mon "/proc/$MON_PID/cmdline" 2>/dev/null || fail "mon_pid $MON_PID is not burrow-mon"

# --- rootful network with DNS, an anchor container with a forward
ctr_ns anchor
ctr_ns churn
NET=$(dns_net soaknet bwsoak0 10.91.0.0/24 10.91.0.1)
# (nv_opts names the container after its ID: "anchor", "churn")
ANCHOR=$(nv_opts anchor '[{"host_ip":"","container_port":7,"host_port":18300,"range":1,"protocol":"tcp"}]' \
	"$(dns_att soaknet '"10.91.0.2"' '')" "$NET")
on_exit "nv_teardown anchor '$ANCHOR' >/dev/null 2>&1"
out=$(nv_setup anchor "$ANCHOR") || fail "setup anchor: $out"
nsenter --net="$(ctr_path anchor)" -- "$TOOLS/echopeer" serve-tcp 7 &
ANCHOR_SRV=$!
on_exit "kill $ANCHOR_SRV"
DNS_PID=$(dns_pid)
[ -n "$DNS_PID" ] || fail "no burrow-dns after the anchor's setup"
wait_port in_remote "$HOST_IP4" 18300 || fail "anchor forward 18300 never opened"

# sample: one line "SECONDS slirp_rss slirp_fds mon_rss mon_fds dns_rss dns_fds"
proc_rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo dead; }
proc_fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
sample() {
	local p line="$1"
	for p in "$SLIRP_PID" "$MON_PID" "$DNS_PID"; do
		[ -d "/proc/$p" ] || fail "helper $p died (round $round)"
		line="$line $(proc_rss "$p") $(proc_fds "$p")"
	done
	echo "$line" >> "$SAMPLES"
}

# http_size RUNNER HOST PORT PATH: bytes of the body of GET PATH
http_size() {
	"$1" timeout 30 bash -c '
		exec 3<>"/dev/tcp/$1/$2" || exit 1
		printf "GET %s HTTP/1.0\r\n\r\n" "$3" >&3
		sed "1,/^\r$/d" <&3 | wc -c
	' http_size "$2" "$3" "$4"
}

# churn's address comes from burrow-bridge's IPAM, a new lease each round
CHURN=$(nv_opts churn '[{"host_ip":"","container_port":7,"host_port":18301,"range":1,"protocol":"tcp"}]' \
	"$(dns_att soaknet '' '"churnalias"')" "$NET")
on_exit "nv_teardown churn '$CHURN' >/dev/null 2>&1"

# mark NAME: time the steps of a round; a round over 5 s is reported
mark() {
	local t=${EPOCHREALTIME/./}
	steps="$steps $1=$(((t - step_t) / 1000))ms"
	step_t=$t
}
round() {
	local out n t0=${EPOCHREALTIME/./}
	steps="" step_t=$t0
	# rootless: a short container with a forward that resolves a name
	out=$(as_user "$B" run --rm --network slirp -p 18201:80 "$ROOTFS" \
		nslookup peer.test 10.0.2.3 2>&1) || fail "round $round: run --rm: $out"
	[[ $out == *"$REMOTE_FAR4"* ]] || fail "round $round: nslookup through burrow-slirp: $out"
	mark run
	# rootless: a transfer through the long-lived forward
	n=$(http_size in_remote "$HOST_IP4" 18200 /big) || fail "round $round: GET /big failed"
	expect_eq "round $round: bytes through slirp forward" "$BIG" "$n"
	mark slirp-fwd
	# rootful: set up, names, a transfer, torn down
	out=$(nv_setup churn "$CHURN") || fail "round $round: setup churn: $out"
	nsenter --net="$(ctr_path churn)" -- "$TOOLS/echopeer" serve-tcp 7 &
	local srv=$!
	mark setup
	expect_q "round $round: churn finds anchor" "10.91.0.2" churn 10.91.0.1 anchor
	expect_q "round $round: anchor finds churn" "$(jfield "$out" ipnet | cut -d/ -f1)" \
		anchor 10.91.0.1 churnalias -t
	expect_q "round $round: outside name" "$REMOTE_FAR4" churn 10.91.0.1 peer.test
	# a name nobody asked before: forwarded upstream every round
	expect_q "round $round: new outside name" "NXDOMAIN" churn 10.91.0.1 "r$round.soak.test"
	mark dns
	wait_port in_remote "$HOST_IP4" 18301 || fail "round $round: forward 18301 never opened"
	out=$(in_remote timeout 30 "$TOOLS/echopeer" tcp "$HOST_IP4" 18301 $((1 << 20)) 2>&1) ||
		fail "round $round: echo through the churn forward: $out"
	mark bridge-fwd
	kill "$srv"; wait "$srv" 2>/dev/null
	out=$(nv_teardown churn "$CHURN") || fail "round $round: teardown churn: $out"
	mark teardown
	# rootful: a transfer through the anchor's forward
	out=$(in_remote timeout 30 "$TOOLS/echopeer" tcp "$HOST_IP4" 18300 $((4 << 20)) 2>&1) ||
		fail "round $round: echo through the anchor forward: $out"
	mark anchor-fwd
	n=$(((${EPOCHREALTIME/./} - t0) / 1000))
	[ "$n" -gt "$slowest" ] && slowest=$n
	[ "$n" -gt 5000 ] && echo "slow round $round: $n ms:$steps" | tee -a "$T_TMP/slow"
	return 0
}
slowest=0

# burrow-dns opens its upstream sockets on first use (up to 8 per family,
# picked at random): ask enough new names that the pool is complete before
# the first sample, so that it does not count as growth
for i in $(seq 1 64); do
	expect_q "warm-up query $i" "NXDOMAIN" anchor 10.91.0.1 "w$i.soak.test"
done

echo "soak: $SECS s (warm-up $WARMUP s, a sample every $EVERY s), fd margin $FD_MARGIN, RSS margin max($RSS_MARGIN KiB, 10%)"
echo "pids: burrow-slirp $SLIRP_PID, burrow-mon $MON_PID, burrow-dns $DNS_PID"
start=$(date +%s)
round=0 next=0
while :; do
	now=$(($(date +%s) - start))
	if [ "$now" -ge "$next" ] || [ "$now" -ge "$SECS" ]; then
		settle
		sample "$now"
		next=$((now + EVERY))
	fi
	[ "$now" -ge "$SECS" ] && break
	round=$((round + 1))
	round
done
[ "$(wc -l < "$SAMPLES")" -ge 3 ] || fail "only $(wc -l < "$SAMPLES") samples in $SECS s"

# the growth check: first sample after warm-up against the last one
first=$(awk -v w="$WARMUP" '$1 >= w { print; exit }' "$SAMPLES")
[ -n "$first" ] || first=$(head -n1 "$SAMPLES")
last=$(tail -n1 "$SAMPLES")
echo "rounds: $round (each: a rootless run --rm with a forward and a DNS query, 4 MiB over the slirp forward,"
echo "  a bridge setup with a forward, 4 DNS queries, 1 MiB echoed, teardown, 4 MiB echoed over the anchor's forward)"
echo "slowest round: $slowest ms; rounds over 5 s: $(cat "$T_TMP/slow" 2>/dev/null | wc -l)"
echo "samples (seconds; RSS KiB and fds of burrow-slirp, burrow-mon, burrow-dns):"
sed 's/^/    /' "$SAMPLES"
report=$(awk -v f="$first" -v l="$last" -v fm="$FD_MARGIN" -v rm="$RSS_MARGIN" 'BEGIN {
	split(f, a); split(l, b); split("burrow-slirp burrow-mon burrow-dns", name)
	bad = 0
	for (i = 0; i < 3; i++) {
		r0 = a[2 + 2 * i]; r1 = b[2 + 2 * i]; d0 = a[3 + 2 * i]; d1 = b[3 + 2 * i]
		m = r0 / 10 > rm ? r0 / 10 : rm
		printf "%s: RSS %d -> %d KiB (%+d, allowed %d), fds %d -> %d (%+d, allowed %d)\n",
			name[i + 1], r0, r1, r1 - r0, m, d0, d1, d1 - d0, fm
		if (r1 - r0 > m || d1 - d0 > fm) { print "GROWTH: " name[i + 1]; bad = 1 }
	}
	exit bad
}')
rc=$?
echo "$report"
[ $rc -eq 0 ] || fail "a helper grew over the run: $(grep GROWTH <<<"$report" | xargs)"

# nothing left behind
check "rm -f soakweb" as_user "$B" rm -f soakweb >/dev/null
kill "$ANCHOR_SRV"; wait "$ANCHOR_SRV" 2>/dev/null
out=$(nv_teardown anchor "$ANCHOR") || fail "teardown anchor: $out"
gone() { ! [ -d "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
retry 50 gone "$SLIRP_PID" || fail "burrow-slirp $SLIRP_PID left running"
retry 50 gone "$MON_PID" || fail "burrow-mon $MON_PID left running"
left=$(pgrep -u "$TEST_USER" -a -f "$BIN/" || true)
[ -z "$left" ] || fail "processes of the test user left: $left"
expect_eq "burrow ps -a" 0 "$(as_user "$B" ps -a --format json | jq length)"
dns_gone
no_trace
pass "$round rounds in $SECS s, no growth, nothing left"
