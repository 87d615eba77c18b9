#!/bin/bash
# burrow-slirp takes Podman's slirp4netns command line: --help names every
# option Podman probes for, and the exact argv Podman 4.3 passes (here with
# --userns-path, as we run outside the user namespace) brings the network up;
# --disable-host-loopback keeps the host's 127.0.0.1 out of reach;
# --enable-sandbox fails by name where no empty root can be made.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"

help=$("$BIN/burrow-slirp" --help) || fail "--help failed"
for o in --configure --exit-fd --ready-fd --mtu --cidr --disable-host-loopback \
	 --netns-type --userns-path --api-socket --enable-ipv6 --enable-sandbox \
	 --enable-seccomp --disable-dns --outbound-addr --outbound-addr6 --macaddress \
	 --target-type --help --version; do
	grep -q -- "$o" <<<"$help" || fail "--help does not mention $o"
done
"$BIN/burrow-slirp" --version | grep -q '^slirp4netns version ' || fail "--version format"
out=$("$BIN/burrow-slirp" --mtu=10 1 tap0 2>&1) && fail "MTU 10 accepted"
[[ $out == *"--mtu: expected a number from 1280 to 65521, got '10'"* ]] ||
	fail "MTU message: $out"
# TAPNAME takes lib/name's link-name rule, checked before any namespace is opened
for bad in tap/0 'tap:0' .. "tap$(printf '\177')"; do
	out=$("$BIN/burrow-slirp" --netns-type=path /nonexistent "$bad" 2>&1) && fail "tap name '$bad' accepted"
	[[ $out == *"bad tap device name"* ]] || fail "tap name '$bad': $out"
done

# --enable-sandbox is a requirement, not a wish: in a user namespace that may
# make no more of them (user.max_user_namespaces=0 there) the empty root
# cannot be made, and burrow-slirp says so by name; without the option it runs
sandbox_try() {
	as_user unshare --user --map-root-user --net sh -c \
		'echo 0 > /proc/sys/user/max_user_namespaces || exit 3; exec timeout 3 "$@" -c $$ tap0' \
		_ "$BIN/burrow-slirp" "$@" 2>&1
}
out=$(sandbox_try --enable-sandbox); rc=$?
expect_eq "--enable-sandbox without user namespaces: exit status" 1 "$rc"
[[ $out == *"--enable-sandbox: no empty filesystem root: "* ]] || fail "--enable-sandbox message: $out"
out=$(sandbox_try); rc=$?
expect_eq "no --enable-sandbox, no user namespaces: still runs (until timeout)" 124 "$rc"

sandbox_net
slirp_container
serve_echo remote tcp 7020
serve_echo host tcp 7021 127.0.0.1
: > "$T_TMP/ready"; chown "$TEST_USER" "$T_TMP/ready"
exit_fifo "$T_TMP/exit.fifo"
as_user bash -c 'exec 3<"$1" 4>"$2"; shift 2; exec "$@"' _ "$T_TMP/exit.fifo" "$T_TMP/ready" \
	"$BIN/burrow-slirp" --disable-host-loopback --mtu=65520 --enable-sandbox --enable-seccomp \
	--enable-ipv6 -c -e 3 -r 4 --api-socket "$T_TMP/xdg-$TEST_USER/api.sock" \
	--userns-path="/proc/$CTR_PID/ns/user" --netns-type=path "/proc/$CTR_PID/ns/net" tap0 \
	2>"$T_TMP/slirp.log" &
job=$!
ready() { [ "$(cat "$T_TMP/ready")" = 1 ]; }
retry 100 ready || { kill $job; fail "not ready: $(cat "$T_TMP/slirp.log")"; }
pid=$(pgrep -u "$TEST_USER" -f "^$BIN/burrow-slirp .*/proc/$CTR_PID/ns/net tap0\$" | head -1)
[ -n "$pid" ] || fail "burrow-slirp process not found"
on_exit "_stop_pid_job $pid $job"
expect_eq "MTU" "mtu 65520" "$(in_ctr ip -o link show tap0 | grep -o "mtu [0-9]*")"
out=$(in_ctr timeout 30 "$TOOLS/echopeer" tcp "$REMOTE_FAR4" 7020 100000 2>&1)
expect_eq "TCP to the remote peer" ok "$out"
out=$(in_ctr timeout 20 "$TOOLS/echopeer" connect 10.0.2.2 7021 2>&1)
[ -n "$out" ] && ! grep -q "^ok" <<<"$out" || fail "host loopback reachable with --disable-host-loopback"
pass
