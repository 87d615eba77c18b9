#!/bin/bash
# burrow-slirp's pasta face, side by side with the real pasta: the same
# command line (Podman's: --config-net, -t, -u, --dns-forward, -T/-U none,
# --no-map-gw or not, --quiet, --netns PATH with --userns) on two rootless
# "containers" in one sandbox gives the same namespace: addresses, routes,
# MTU, the tap's name; a remote peer reaches the forwarded port and the
# container sees the peer's real address; DNS through --dns-forward; the
# process forks to the background once configured and the foreground exits 0;
# a taken port is an error naming it; removing the namespace file ends it.
# The reference is the 2025 pasta of ../shared/anchors.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"

sandbox_net
sandbox_dns "name.test=$REMOTE_FAR4"
PASTA_FACE="$T_TMP/bin/pasta"
mkdir -p "$T_TMP/bin" && ln -s "$BIN/burrow-slirp" "$PASTA_FACE"
chmod 0755 "$T_TMP/bin"

# ns_file NAME: bind the current container's network namespace to a file, as
# Podman does for its rootless namespaces; its path in $NSF (not printed: a
# command substitution's subshell would lose the on_exit that unmounts it)
ns_file() {
	NSF="$T_TMP/netns-$1"
	: > "$NSF"
	on_exit "umount -l $NSF"
	mount --bind "/proc/$CTR_PID/ns/net" "$NSF" || fail "mount --bind netns to $NSF"
}

# run_pasta BINARY NSFILE ARGS...: the engine's call, as the test user; its
# combined output in $T_TMP/out.$(basename NSFILE); returns pasta's status
run_pasta() {
	local bin=$1 nsf=$2; shift 2
	as_user "$bin" --config-net "$@" --quiet --netns "$nsf" \
		--userns "/proc/$CTR_PID/ns/user" >"$T_TMP/out.${nsf##*/}" 2>&1
}

# view: what the container sees, made comparable: no link-local routes, no
# MAC; routes without their protocol, metric and preferred source, once each
# (pasta adds a second link route for the address's prefix, without a source;
# burrow-slirp leaves the kernel's: doc/burrow-slirp.1 lists it)
view() {
	{
		in_ctr ip -o link show | awk '$2 != "lo:" {print $2, $4, $5}'
		in_ctr ip -o addr show scope global | awk '{print $2, $3, $4}'
		in_ctr ip route show |
			sed 's/ proto [a-z]*//; s/ metric [0-9]*//; s/ src [0-9.]*//; s/ *$//' | sort -u
		in_ctr ip -6 route show | grep -v '^fe80\|^multicast\|^ff00' |
			sed 's/ proto [a-z]*//; s/ metric [0-9]*//; s/ pref medium//; s/ *$//' | sort -u
	} 2>&1
}

# check_face NAME BINARY: one container, one helper, all the checks
check_face() {
	local name=$1 bin=$2 nsf pid out
	slirp_container
	ns_file "$name"
	nsf=$NSF
	run_pasta "$bin" "$nsf" -t 18080:80 -u 18053:53 --dns-forward 169.254.0.1 --dns-host 127.0.0.1 \
		-T none -U none --map-guest-addr 169.254.1.2 ||
		fail "$name: foreground exit $? (want 0): $(cat "$T_TMP/out.netns-$name")"
	pid=$(pgrep -u "$TEST_USER" -n -f -- "--netns $nsf") ||
		fail "$name: nothing left running in the background"
	on_exit "kill -KILL $pid"
	view > "$T_TMP/view.$name"
	ctr_peer_server tcp 80
	out=$(peer_of in_remote socat -T5 - "TCP4:$HOST_IP4:18080")
	expect_eq "$name: the remote peer's address in the container" "peer=$REMOTE_IP4" "$out"
	out=$(in_ctr "$TOOLS/dnsq" 169.254.0.1 name.test 2>&1)
	grep -q "$REMOTE_FAR4" <<<"$out" || fail "$name: DNS through --dns-forward: $out"
	if [ "$name" = burrow ]; then
		# a port nobody serves on the remote: refused at once (a reset). The
		# 2025 pasta leaves the container's connect() to time out (~2 min):
		# a difference doc/burrow-slirp.1 lists
		out=$(in_ctr timeout 10 "$TOOLS/echopeer" connect "$REMOTE_FAR4" 9 2>&1; echo "rc=$?")
		grep -q "rc=1$" <<<"$out" || fail "$name: closed remote port: $out"
	fi
	# removing the namespace file (Podman: lazy unmount, then remove) ends it
	umount -l "$nsf" && rm -f "$nsf"
	retry 100 bash -c "! kill -0 $pid 2>/dev/null" ||
		fail "$name: still running after its namespace file went"
	_stop_pid_job "$CTR_PID" ""
}

serve_echo remote tcp 5201
check_face burrow "$PASTA_FACE"

# the reference: the 2025 pasta (Debian's 2023 one lacks --map-guest-addr),
# built once per machine from ../shared/anchors (about 20 s)
ref=$("$TOP/../shared/anchors/build-pasta.sh" 2>"$T_TMP/build-pasta.log" | tail -1)
[ -x "$ref" ] || fail "building the reference pasta failed: $(tail -5 "$T_TMP/build-pasta.log")"
check_face pasta "$ref"
diff -u "$T_TMP/view.pasta" "$T_TMP/view.burrow" >"$T_TMP/view.diff" ||
	fail "the namespace differs from $ref's: $(cat "$T_TMP/view.diff")"

# a taken port: an error that names it, exit status non-zero, nothing left
as_user socat TCP4-LISTEN:18090,reuseaddr,fork - </dev/null &
blk=$!
on_exit "kill $blk"
retry 100 _listening "$HOST_NS" tcp 18090 || fail "blocker did not start"
slirp_container
ns_file taken
nsf=$NSF
run_pasta "$PASTA_FACE" "$nsf" -t 18090 && fail "a taken port was accepted"
grep -q "18090" "$T_TMP/out.netns-taken" ||
	fail "the error does not name the port: $(cat "$T_TMP/out.netns-taken")"
pgrep -u "$TEST_USER" -f -- "--netns $nsf" && fail "left running after a failed start"
pass
