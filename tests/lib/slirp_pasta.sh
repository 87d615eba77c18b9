# shellcheck shell=bash
# slirp_pasta.sh - burrow-slirp's pasta face side by side with a real pasta
# (source after sandbox.sh, slirp.sh and slirp_fwd.sh)
#
#   pasta_face              $PASTA_FACE: a "pasta" link to burrow-slirp
#   ns_file NAME            bind the current container's netns to a file ($NSF)
#   run_pasta BIN NSF ARGS  the engine's call (--config-net ARGS --quiet
#                           --netns NSF --userns ...), as the test user, with
#                           /etc/resolv.conf the sandbox's stub resolver
#   view                    what the container sees, made comparable
#   check_face NAME BIN ARGS  one container, one helper, the checks; its view
#                           in $T_TMP/view.NAME

pasta_face() {
	PASTA_FACE="$T_TMP/bin/pasta"
	mkdir -p "$T_TMP/bin" && ln -s "$BIN/burrow-slirp" "$PASTA_FACE"
	chmod 0755 "$T_TMP/bin"
}

# ns_file NAME: bind the current container's network namespace to a file, as
# Podman does for its rootless namespaces; its path in $NSF (not printed: a
# command substitution's subshell would lose the on_exit that unmounts it)
ns_file() {
	NSF="$T_TMP/netns-$1"
	: > "$NSF"
	on_exit "umount -l $NSF"
	mount --bind "/proc/$CTR_PID/ns/net" "$NSF" || fail "mount --bind netns to $NSF"
}

# as_user_resolv CMD...: as_user in a mount namespace of its own whose
# /etc/resolv.conf is the sandbox's (a pasta without --dns-host forwards to
# the first nameserver there: never the machine's real resolver)
as_user_resolv() {
	local xdg; xdg=$(_user_xdg "$TEST_USER")
	nsenter --net="/run/netns/$HOST_NS" -- unshare -m --propagation private \
		sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"' "$BURROW_RESOLV_CONF" \
		setpriv --reuid="$TEST_USER" --regid="$(id -g "$TEST_USER")" --init-groups \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin XDG_RUNTIME_DIR="$xdg" \
		BURROW_RESOLV_CONF="$BURROW_RESOLV_CONF" "$@"
}

# run_pasta BINARY NSFILE ARGS...: the engine's call, as the test user; its
# combined output in $T_TMP/out.$(basename NSFILE); returns pasta's status
run_pasta() {
	local bin=$1 nsf=$2; shift 2
	as_user_resolv "$bin" --config-net "$@" --quiet --netns "$nsf" \
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

# check_face NAME BINARY ARGS...: one container, one helper with ARGS (which
# forward host port 18080 to the container's 80 and --dns-forward
# 169.254.0.1), all the checks
check_face() {
	local name=$1 bin=$2 nsf pid out
	shift 2
	slirp_container
	ns_file "$name"
	nsf=$NSF
	run_pasta "$bin" "$nsf" "$@" ||
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

# taken_port NAME BINARY: a host port a blocker holds: an error naming it,
# exit status non-zero, nothing left running; the message in $T_TMP/out.netns-NAME
taken_port() {
	local name=$1 bin=$2 nsf
	slirp_container
	ns_file "$name"
	nsf=$NSF
	run_pasta "$bin" "$nsf" -t 18090 && fail "$name: a taken port was accepted"
	grep -q "18090" "$T_TMP/out.netns-$name" ||
		fail "$name: the error does not name the port: $(cat "$T_TMP/out.netns-$name")"
	pgrep -u "$TEST_USER" -f -- "--netns $nsf" && fail "$name: left running after a failed start"
	_stop_pid_job "$CTR_PID" ""
}

# port_blocker 4|dual: something of the test user's holds host TCP port 18090,
# on IPv4 only or on both families (one dual-stack socket); its PID in $BLOCKER
port_blocker() {
	local spec=TCP4-LISTEN:18090
	[ "$1" = dual ] && spec=TCP6-LISTEN:18090,ipv6only=0
	as_user socat "$spec,reuseaddr,fork" - </dev/null &
	BLOCKER=$!
	on_exit "pkill -P $BLOCKER; kill $BLOCKER"
	retry 100 _listening "$HOST_NS" tcp 18090 || fail "blocker did not start"
}
