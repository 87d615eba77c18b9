#!/bin/bash
# burrow-bridge teardown returns without waiting on the kernel: closing a
# NETLINK_NETFILTER socket runs nf_tables' release notifier, which waits for
# the last commit's deferred frees (an RCU grace period: 6-11 ms on the test
# machine, most of a teardown).  So the process that answers the caller never
# closes one: its nftables socket stays open until it exits, and by then its
# deleting child holds a copy and pays that wait.  Checked from the calls the
# process makes (strace), not from a clock: a loaded machine cannot make it
# flaky.  And the teardown is complete once the child is done.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/bridge.sh"
command -v strace >/dev/null || fail "strace missing (scripts/deps.sh installs it)"
sandbox_net
ctr_ns k; ctr_ns a
NET=$(nv_net tnet bt0 10.86.0.0/24 10.86.0.1)
PORTS='[{"host_ip":"","container_port":80,"host_port":8080,"range":1,"protocol":"tcp"}]'
R=$(nv_opts rrrr '[]' "$(nv_att tnet eth0 '')" "$NET")
A=$(nv_opts aaaa "$PORTS" "$(nv_att tnet eth0 '')" "$NET")
on_exit "nv_teardown a '$A'; nv_teardown k '$R'"
# a resident, so that a's teardown is the common one: the table stays
out=$(nv_setup k "$R") || fail "setup k: $out"
out=$(nv_setup a "$A") || fail "setup a: $out"

log="$T_TMP/strace"
# LeakSanitizer cannot run under ptrace (make SAN=1): this run goes without it
in_host strace -E "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" -f -qq -e trace=socket,close,clone,clone3,fork,exit_group -o "$log" \
	"$BRIDGE" --config "$BR_CFG" teardown "$(ctr_path a)" <<<"$A" >/dev/null ||
	fail "teardown a under strace failed"
flock "$BR_CFG/burrow-bridge/lock" true
# the first process is the one the caller waits for; track which of its
# descriptors are NETLINK_NETFILTER sockets, in the order of its calls
verdict=$(awk 'NR == 1 { pid = $1 } $1 != pid { next }
	/socket\(/ && / = [0-9]+$/ { fd = $NF; nf[fd] = /NETLINK_NETFILTER/; if (nf[fd]) opened++ }
	/close\(/ { match($0, /close\([0-9]+/); fd = substr($0, RSTART + 6, RLENGTH - 6); if (nf[fd]) closed++; nf[fd] = 0 }
	/clone/ { child++ }
	END { printf "%d %d %d\n", opened, closed, child }' "$log")
read -r opened closed child <<<"$verdict"
((opened >= 1)) || fail "the teardown opened no NETLINK_NETFILTER socket (strace: $(head -c 2000 "$log"))"
((child >= 1)) || fail "the teardown started no deleting child"
expect_eq "NETLINK_NETFILTER sockets the answering process closed before it exited" 0 "$closed"

# the child finished the job: a's links, forward and record are gone
in_ctr a ip link show eth0 >/dev/null 2>&1 && fail "a's eth0 is still there after the child"
in_host nft list map inet burrow fwd4any 2>/dev/null | grep -q 8080 && fail "a's forward is still there"
[ -z "$(find "$BR_CFG/burrow-bridge/ctr" -name 'aaaa*' 2>/dev/null)" ] || fail "a's record is still there"
out=$(nv_teardown k "$R") || fail "teardown k: $out"
no_trace
pass
