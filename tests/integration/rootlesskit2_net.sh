#!/bin/bash
# rootlesskit 2 (the rootless mode of Docker and nerdctl) with burrow-slirp, as
# the test user in the sandbox host:
#   --net=slirp4netns --slirp4netns-binary=burrow-slirp, port drivers builtin
#     and slirp4netns: the child reaches the remote peer, and a port published
#     with `rootlessctl add-ports` is reached from the remote peer;
#   --net=pasta with burrow-slirp as pasta, port drivers implicit (pasta's own
#     -t auto follows the child's listening socket) and none.
# Each helper runs through a wrapper that logs the argv rootlesskit passes;
# the pasta one is compared with rootlesskit 2.3's exact call.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/consumers.sh"
need_bin burrow-slirp
need_cmd socat socat
need_cmd newuidmap uidmap
need_consumer rootlesskit rootlessctl
sandbox_net
serve_remote() {
	nsenter --net="/run/netns/$REMOTE_NS" -- socat TCP-LISTEN:5000,fork,reuseaddr \
		SYSTEM:'echo remote "$SOCAT_PEERADDR"' 2>/dev/null &
	on_exit "kill $! 2>/dev/null"
}
serve_remote
wait_port in_host "$REMOTE_FAR4" 5000 || fail "remote server did not start"

# wrappers: log argv (one word a line, then "--") and exec burrow-slirp
WRAP="$T_TMP/wrap"; mkdir -p "$WRAP"
for face in slirp4netns pasta; do
	flag=; [ $face = pasta ] && flag=--pasta
	printf '#!/bin/sh\nfor a; do printf "%%s\\n" "$a"; done >>"%s"\necho -- >>"%s"\nexec "%s" %s "$@"\n' \
		"$T_TMP/$face.argv" "$T_TMP/$face.argv" "$BIN/burrow-slirp" "$flag" >"$WRAP/$face"
	chmod 0755 "$WRAP/$face"
	: >"$T_TMP/$face.argv"; chown "$TEST_USER" "$T_TMP/$face.argv"
done

# the child: report its address and what the remote peer saw, serve port 80,
# then wait (rootlesskit's child is root in its user namespace)
cat >"$T_TMP/child.sh" <<'EOF'
#!/bin/sh
d=$1
ip -o -4 addr show "$2" | awk '{print $4}' >"$d/addr.tmp"; mv "$d/addr.tmp" "$d/addr"
timeout 5 socat -T3 - TCP:203.0.113.10:5000,connect-timeout=3 </dev/null >"$d/out.tmp" 2>&1; mv "$d/out.tmp" "$d/out"
socat TCP-LISTEN:80,fork,reuseaddr SYSTEM:'echo child "$SOCAT_PEERADDR"' &
echo $! >"$d/srv"
# and an unprivileged port, which -t auto can publish on the host as the user
socat TCP-LISTEN:8180,fork,reuseaddr SYSTEM:'echo child "$SOCAT_PEERADDR"' &
echo $! >>"$d/srv"
while [ ! -e "$d/stop" ]; do sleep 0.2; done
kill $(cat "$d/srv")
EOF
chmod 0755 "$T_TMP/child.sh"

# rk LABEL HOSTPORT ARGS...: run rootlesskit with ARGS, check the child's network,
# publish HOSTPORT (or rely on pasta's -t auto when HOSTPORT is "auto:PORT"),
# check it from the remote peer, stop, check nothing is left
rk() {
	local label=$1 hp=$2 d="$T_TMP/rk-$1" i pid t0 t1
	shift 2
	mkdir -p "$d/state"; chown -R "$TEST_USER" "$d"
	t0=$(date +%s%N)
	as_user env PATH="$WRAP:/usr/sbin:/usr/bin:/sbin:/bin" "$CONSUMERS_BIN/rootlesskit" \
		--state-dir="$d/state/rk" --disable-host-loopback "$@" \
		"$T_TMP/child.sh" "$d" tap0 >"$d/log" 2>&1 &
	pid=$!
	on_exit "touch $d/stop; kill $pid 2>/dev/null"
	for ((i = 0; i < 100; i++)); do
		[ -e "$d/out" ] && break
		kill -0 "$pid" 2>/dev/null || { cat "$d/log" >&2; fail "$label: rootlesskit exited: $(tail -3 "$d/log")"; }
		sleep 0.1
	done
	t1=$(date +%s%N)
	[ -e "$d/out" ] || { cat "$d/log" >&2; cat "$T_TMP/pasta.argv" >&2; fail "$label: the child did not start"; }
	echo "rootlesskit $label: child up and remote answered in $(((t1 - t0) / 1000000)) ms" >>"$T_TMP/times"
	expect_eq "$label: child's address" "10.0.2.100/24" "$(cat "$d/addr")"
	expect_eq "$label: the remote peer answers the child" "remote $HOST_IP4" "$(cat "$d/out")"
	local port=$hp
	if [[ "$hp" == auto:* ]]; then
		port=${hp#auto:}
	elif [ -n "$hp" ]; then
		local out
		out=$(as_user "$CONSUMERS_BIN/rootlessctl" --socket="$d/state/rk/api.sock" \
			add-ports "0.0.0.0:$hp:80/tcp" 2>&1) || fail "$label: rootlessctl add-ports: $out"
		out=$(as_user "$CONSUMERS_BIN/rootlessctl" --socket="$d/state/rk/api.sock" list-ports 2>&1)
		[[ "$out" == *"$hp"* ]] || fail "$label: list-ports does not show $hp: $out"
	fi
	if [ -n "$port" ]; then
		local got
		got=$(retry_out 50 in_remote socat -T2 - "TCP:$HOST_IP4:$port,connect-timeout=1") ||
			fail "$label: remote -> host:$port reached nothing ($(tail -3 "$d/log"))"
		[[ "$got" == "child "* ]] || fail "$label: remote -> host:$port got '$got'"
	fi
	touch "$d/stop"
	for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && fail "$label: rootlesskit still runs after its child exited"
	wait "$pid" || fail "$label: rootlesskit exited $? ($(tail -3 "$d/log"))"
	sleep 0.3
	if [ -n "$port" ]; then
		in_remote socat -T1 - "TCP:$HOST_IP4:$port,connect-timeout=1" </dev/null 2>/dev/null | grep -q . &&
			fail "$label: host:$port still forwards after rootlesskit exited"
	fi
	pgrep -u "$TEST_USER" -f "$BIN/burrow-slirp" >/dev/null && fail "$label: burrow-slirp left running"
	return 0
}
# retry_out N CMD...: retry CMD until it prints something; print that
retry_out() {
	local n=$1 i out
	shift
	for ((i = 0; i < n; i++)); do
		out=$("$@" </dev/null 2>/dev/null) && [ -n "$out" ] && { echo "$out"; return 0; }
		sleep 0.1
	done
	return 1
}

rk slirp-builtin 8101 --net=slirp4netns --slirp4netns-binary="$WRAP/slirp4netns" --port-driver=builtin
rk slirp-slirp 8102 --net=slirp4netns --slirp4netns-binary="$WRAP/slirp4netns" --port-driver=slirp4netns
rk pasta-none "" --net=pasta --pasta-binary="$WRAP/pasta" --port-driver=none
# implicit asks pasta for -t auto -u auto: the child's listener on 8180 is
# published on the host (port 80 would need privileges the user lacks, with
# the real pasta too)
rk pasta-implicit auto:8180 --net=pasta --pasta-binary="$WRAP/pasta" --port-driver=implicit

# the exact pasta call of rootlesskit 2.3.6 (after its --version probes)
echo "argv rootlesskit passed to pasta:"; tr '\n' ' ' <"$T_TMP/pasta.argv" | sed 's/ -- /\n/g'; echo
echo "argv rootlesskit passed to slirp4netns:"; tr '\n' ' ' <"$T_TMP/slirp4netns.argv" | sed 's/ -- /\n/g'; echo
grep -qx -- --config-net "$T_TMP/pasta.argv" || fail "rootlesskit did not call pasta with --config-net"
grep -qx -- --tcp-ports=auto "$T_TMP/pasta.argv" || fail "pasta was never called with --tcp-ports=auto"
grep -qx -- --tcp-ports=none "$T_TMP/pasta.argv" || fail "pasta was never called with --tcp-ports=none"
print_times
pass
