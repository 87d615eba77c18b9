#!/bin/bash
# Rootless nerdctl 2.2 (nerdctl1_rootless.sh: 1.7, with NERDCTL=nerdctl1) on
# rootless containerd 2.2 through rootlesskit 2, with burrow-slirp as
# rootlesskit's network helper, as the test user in the sandbox host (which
# rootlesskit sees as its host):
#   round slirp-builtin:  --net=slirp4netns --slirp4netns-binary=burrow-slirp,
#     --port-driver=builtin
#   round slirp-slirp:    the same with --port-driver=slirp4netns, and
#     rootlesskit killed with SIGKILL at the end (the next round starts over
#     the state dir it left)
#   round pasta-implicit: --net=pasta with a `pasta -> burrow-slirp` link,
#     --port-driver=implicit (rootlesskit 2.3 refuses builtin and slirp4netns
#     with pasta): a --net host container's port is published by pasta's own
#     -t auto
#   round pasta2025-implicit: the same with the real pasta 2025 as the link's
#     target: `nerdctl run -p` under the pasta network must end as it ends
#     there (nerdctl 1.7 and 2.2 both take a port API from rootlesskit, which
#     has none with the implicit driver, and their OCI hook panics on it;
#     should a later nerdctl publish the port, this test then requires it to
#     be reached through burrow-slirp's pasta face)
# rootlesskit runs as containerd-rootless.sh runs it (--state-dir
# $XDG_RUNTIME_DIR/containerd-rootless, --copy-up=/etc,/run,/var/lib,
# --propagation=rslave, --disable-host-loopback); its child does what the
# script's child half does (drop the copied-up links, bind the user's folders
# on /run/containerd, /var/lib/containerd, /var/lib/cni, /etc/containerd) and
# execs containerd. The user's nerdctl finds rootlesskit's child through
# $XDG_RUNTIME_DIR/containerd-rootless/child_pid, enters it, and publishes
# ports through rootlesskit's API socket. Its "bridge" CNI plugin is
# burrow-bridge, run inside rootlesskit's namespaces (a CNI bin folder of the
# user's). Each round: `nerdctl run -d -p 8096:80` (pasta: --net host on
# 8096) reached from the remote peer at the sandbox host's address, a
# container on nerdctl's bridge network reaches the remote peer, then
# `nerdctl rm -f` and stopping rootlesskit leave no process, no burrow-bridge
# record and no file outside the test's folders.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/consumers.sh"
need_bin burrow-slirp burrow-bridge
need_cmd socat socat
need_cmd newuidmap uidmap
need_cmd nsenter util-linux
need_cmd /usr/sbin/runc runc
need_cmd /usr/lib/cni/portmap containernetworking-plugins
NERDCTL=${NERDCTL:-nerdctl}
need_consumer containerd containerd-shim-runc-v2 "$NERDCTL" rootlesskit rootlessctl
sandbox_net
san_capture
touch "$T_TMP/start"

# the remote peer answers with the address it sees
nsenter --net="/run/netns/$REMOTE_NS" -- socat TCP-LISTEN:5000,fork,reuseaddr \
	SYSTEM:'echo remote "$SOCAT_PEERADDR"' 2>/dev/null &
on_exit "kill $! 2>/dev/null"
wait_port in_host "$REMOTE_FAR4" 5000 || fail "remote server did not start"

# the user's folders: HOME and the XDG ones (XDG_RUNTIME_DIR from as_user)
XDG=$(as_user printenv XDG_RUNTIME_DIR)
U="$T_TMP/user"
mkdir -p "$U/home" "$U/data" "$U/config/containerd" "$U/helpers" "$U/cni-bin"
cni_plugin_dir "$U/cni-bin"
ln -sf "$BIN/burrow-bridge" "$U/cni-bin/bridge"
ln -s "$BIN/burrow-slirp" "$U/helpers/pasta"
# containerd's default config path, /etc/containerd/config.toml, is this
# file in the child (bound there like containerd-rootless.sh does)
cat >"$U/config/containerd/config.toml" <<'EOT'
version = 3
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.blockfile", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing", "io.containerd.nri.v1.nri"]
EOT
# rootlesskit's child: containerd-rootless.sh's child half, in our words
cat >"$U/helpers/child.sh" <<'EOT'
#!/bin/sh
set -e
rm -f /run/containerd /run/xtables.lock /var/lib/containerd /var/lib/cni /etc/containerd
bind() { mkdir -p "$1" "$2"; mount --bind "$1" "$2"; }
bind "$XDG_RUNTIME_DIR/containerd" /run/containerd
bind "$XDG_DATA_HOME/containerd" /var/lib/containerd
bind "$XDG_DATA_HOME/cni" /var/lib/cni
bind "$XDG_CONFIG_HOME/containerd" /etc/containerd
exec containerd
EOT
chmod 0755 "$U/helpers/child.sh"
chown -R "$TEST_USER:" "$U"
UENV=(env HOME="$U/home" XDG_DATA_HOME="$U/data" XDG_CONFIG_HOME="$U/config" "${SAN_ENV[@]}"
	PATH="$CONSUMERS_BIN:/usr/sbin:/usr/bin:/sbin:/bin")

"$TOP/scripts/mkrootfs.sh" "$T_TMP/rootfs" || fail "mkrootfs"
IMG=localhost/burrow/busybox:1
oci_image_tar "$T_TMP/rootfs" "$T_TMP/img.tar" "$IMG"
chmod 0644 "$T_TMP/img.tar"

# nerd ARGS...: the user's nerdctl (rootless: it enters rootlesskit's child)
nerd() {
	as_user "${UENV[@]}" "$CONSUMERS_BIN/$NERDCTL" --cni-path "$U/cni-bin" \
		--snapshotter native --cgroup-manager none "$@"
}

# users_procs USERNS: pids of processes in user namespace USERNS (rootlesskit's
# child, containerd, its shims, the containers) or running from our folders
users_procs() {
	local p
	for p in /proc/[0-9]*; do
		if [ "$(readlink "$p/ns/user" 2>/dev/null)" = "$1" ] ||
			tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q -e "$T_TMP" -e "$BIN/burrow-slirp"; then
			echo "${p#/proc/}"
		fi
	done
}
# kill_userns USERNS: clean-up after a failed round
kill_userns() {
	local p
	for p in $(users_procs "$1"); do [ "$p" != $$ ] && kill -KILL "$p" 2>/dev/null; done
	return 0
}
# rootful burrow's state root on the host: rootlesskit's copy-up of /run
# shows it to the child as a link to the host's folder, which root in the
# child cannot write (burrow-bridge must keep its state in the user's folder)
if [ ! -d /run/burrow ]; then
	mkdir -m 0700 /run/burrow || fail "mkdir /run/burrow"
	on_exit "rmdir /run/burrow"
fi
echo "$("$CONSUMERS_BIN/$NERDCTL" --version), $("$CONSUMERS_BIN/rootlesskit" --version)"
home_before=$(find /home/"$TEST_USER" 2>/dev/null | sort)

# publish_pasta LABEL: `nerdctl run -p 8097:80` under rootlesskit's pasta
# network; its outcome (reached, or the error without times and addresses)
# goes to $T_TMP/pub-LABEL for the comparison with the real pasta's round
publish_pasta() {
	local out got
	if out=$(nerd run -d --name webp -p 8097:80 "$IMG" httpd -f -p 80 -h /var/www 2>&1); then
		got=$(retry_get 50 in_remote "$HOST_IP4" 8097) ||
			fail "$1: nerdctl run -p 8097:80 succeeded but remote -> host:8097 got nothing"
		[[ "$got" == *"hello from a burrow container"* ]] || fail "$1: remote -> host:8097 got '$got'"
		echo published >"$T_TMP/pub-$1"
	else
		sed -E 's/time="[^"]*"//g; s/0x[0-9a-f]+/0x/g; s/[+]0x//g' <<<"$out" >"$T_TMP/pub-$1"
	fi
	out=$(nerd rm -f webp 2>&1) || fail "$1: nerdctl rm -f webp: $out"
}

# round LABEL api|auto TERM|KILL ROOTLESSKIT-NET-ARGS...: containerd under
# rootlesskit; api: nerdctl run -p through rootlesskit's port API; auto:
# pasta's -t auto publishes a --net host container; both directions, rm -f,
# stop rootlesskit with the signal (KILL: as kill -9 or the OOM killer would,
# leaving its state dir for the next start to take over), nothing left
round() {
	local label=$1 mode=$2 sig=$3 rk pid cpid uns nsfd i t0 t1 out got log="$T_TMP/rk-$1.log"
	shift 3
	t0=$(date +%s%N)
	as_user "${UENV[@]}" "$CONSUMERS_BIN/rootlesskit" \
		--state-dir="$XDG/containerd-rootless" "$@" \
		--disable-host-loopback --copy-up=/etc --copy-up=/run --copy-up=/var/lib \
		--propagation=rslave "$U/helpers/child.sh" >"$log" 2>&1 &
	pid=$!
	on_exit "kill $pid 2>/dev/null"
	# up when nerdctl gets containerd's version through rootlesskit's child
	# (without child_pid nerdctl still exits 0, with the client's part only;
	# after a killed round the old socket file is still there)
	for ((i = 0; i < 300; i++)); do
		out=$(nerd version 2>&1) && [[ "$out" == *"Server:"*containerd* ]] && break
		kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "$label: rootlesskit exited: $(tail -3 "$log")"; }
		sleep 0.1
	done
	[[ "$out" == *"Server:"*containerd* ]] || { cat "$log" >&2; fail "$label: containerd did not answer: $out"; }
	t1=$(date +%s%N)
	echo "$label: rootlesskit + containerd up in $(((t1 - t0) / 1000000)) ms" >>"$T_TMP/times"
	cpid=$(cat "$XDG/containerd-rootless/child_pid") || fail "$label: no child_pid"
	uns=$(readlink "/proc/$cpid/ns/user") || fail "$label: no user namespace of $cpid"
	# held open to the end, so that its inode number (what users_procs
	# compares) is not given to another test's namespace once ours is empty
	exec {nsfd}<"/proc/$cpid/ns/user" || fail "$label: open /proc/$cpid/ns/user"
	on_exit "exec $nsfd<&-"
	# $pid is the subshell that runs as_user; rootlesskit is the child's parent
	rk=$(awk '/^PPid:/ {print $2}' "/proc/$cpid/status")
	[[ "$(tr '\0' ' ' <"/proc/$rk/cmdline")" == "$CONSUMERS_BIN/rootlesskit "* ]] ||
		fail "$label: the parent of rootlesskit's child ($rk) is not rootlesskit"
	on_exit "kill_userns $uns; kill $rk 2>/dev/null"
	pgrep -u "$TEST_USER" -f -- "^($BIN/burrow-slirp|$U/helpers/pasta) .* $cpid( tap0)?\$" >/dev/null ||
		fail "$label: $(readlink -f "$U/helpers/pasta") is not running under rootlesskit: $(tail -3 "$log")"

	if [ -z "$(nerd images -q 2>/dev/null)" ]; then
		out=$(nerd load -i "$T_TMP/img.tar" 2>&1) || fail "$label: nerdctl load: $out"
	fi
	if [ "$mode" = api ]; then
		# nerdctl publishes 8096 through rootlesskit's API, then CNI's portmap
		# takes it from the child's 8096 to the container's 80
		t0=$(date +%s%N)
		out=$(nerd run -d --name web -p 8096:80 "$IMG" httpd -f -p 80 -h /var/www 2>&1) ||
			{ tail -20 "$log" >&2; fail "$label: nerdctl run -d -p 8096:80: $out"; }
		t1=$(date +%s%N)
		echo "$label: nerdctl run -d -p: $(((t1 - t0) / 1000000)) ms" >>"$T_TMP/times"
	else
		# rootlesskit's pasta network has no port API (nerdctl's -p needs it):
		# pasta's own -t auto publishes what listens in the child, here a
		# --net host container; the bridge container still goes out
		out=$(nerd run -d --name web "$IMG" 2>&1) ||
			{ tail -20 "$log" >&2; fail "$label: nerdctl run -d: $out"; }
		out=$(nerd run -d --name webh --net host "$IMG" httpd -f -p 8096 -h /var/www 2>&1) ||
			{ tail -20 "$log" >&2; fail "$label: nerdctl run -d --net host: $out"; }
		publish_pasta "$label"
	fi
	grep -q '"type": *"bridge"' "$U/config/cni/net.d/"*.conflist ||
		fail "$label: nerdctl's conflist has no bridge plugin: $(cat "$U/config/cni/net.d/"*)"
	got=$(retry_get 50 in_remote "$HOST_IP4" 8096) ||
		fail "$label: remote -> host:8096 got nothing ($(tail -3 "$log"))"
	[[ "$got" == *"hello from a burrow container"* ]] || fail "$label: remote -> host:8096 got '$got'"
	out=$(nerd exec web sh -c "nc -w 3 $REMOTE_FAR4 5000 </dev/null" 2>&1)
	expect_eq "$label: the remote peer answers the container" "remote $HOST_IP4" "$out"
	out=$(nerd rm -f web $([ "$mode" = api ] || echo webh) 2>&1) || fail "$label: nerdctl rm -f: $out"
	retry_get 3 in_remote "$HOST_IP4" 8096 >/dev/null && fail "$label: host:8096 still forwards after rm -f"
	# burrow-bridge kept its records in the user's $XDG_RUNTIME_DIR/burrow
	[ -d "$XDG/burrow/burrow-bridge" ] || fail "$label: no burrow-bridge state in $XDG/burrow"
	out=$(find "$XDG/burrow/burrow-bridge" -mindepth 2 -path '*ctr*' ! -name lock)
	[ -z "$out" ] || fail "$label: burrow-bridge records left after rm -f: $out"
	out=$(as_user "$CONSUMERS_BIN/rootlessctl" --socket="$XDG/containerd-rootless/api.sock" list-ports 2>&1)
	[[ "$out" == *8096* ]] && fail "$label: rootlesskit still publishes 8096 after rm -f: $out"

	# stop rootlesskit as its service manager would (SIGTERM), or kill it
	kill -"$sig" "$rk"
	for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$pid" 2>/dev/null && fail "$label: rootlesskit still runs 10 s after SIG$sig"
	wait "$pid"
	for ((i = 0; i < 30; i++)); do [ -z "$(users_procs "$uns")" ] && break; sleep 0.1; done
	out=$(users_procs "$uns")
	[ -z "$out" ] || fail "$label: left running: $(for p in $out; do tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline"; echo; done)"
	[ "$sig" = TERM ] && [ -e "$XDG/containerd-rootless" ] &&
		fail "$label: rootlesskit's state dir left: $(ls -A "$XDG/containerd-rootless")"
	return 0
}

round slirp-builtin api TERM --net=slirp4netns --mtu=65520 --slirp4netns-binary="$BIN/burrow-slirp" \
	--slirp4netns-sandbox=auto --slirp4netns-seccomp=auto --port-driver=builtin
round slirp-slirp api KILL --net=slirp4netns --mtu=65520 --slirp4netns-binary="$BIN/burrow-slirp" \
	--slirp4netns-sandbox=auto --slirp4netns-seccomp=auto --port-driver=slirp4netns
round pasta-implicit auto TERM --net=pasta --mtu=65520 --pasta-binary="$U/helpers/pasta" --port-driver=implicit
# the same round with the real pasta 2025 (built once per machine from
# ../shared/anchors), through the same link
ref=$(pasta2025 2>"$T_TMP/build-pasta.log")
[ -x "$ref" ] || fail "building the reference pasta failed: $(tail -5 "$T_TMP/build-pasta.log")"
ln -sf "$ref" "$U/helpers/pasta"
round pasta2025-implicit auto TERM --net=pasta --mtu=65520 --pasta-binary="$U/helpers/pasta" --port-driver=implicit
ln -sf "$BIN/burrow-slirp" "$U/helpers/pasta"
# run -p under the pasta network ends the same with burrow-slirp as pasta
# as with the real one
expect_eq "nerdctl run -p under --net=pasta with burrow-slirp as pasta, against the real pasta" \
	"$(cat "$T_TMP/pub-pasta2025-implicit")" "$(cat "$T_TMP/pub-pasta-implicit")"
out=$(grep -o -e '^published$' -e 'panic: [^\\]*' -e 'ocihook\.[A-Za-z]*' "$T_TMP/pub-pasta-implicit" | head -2)
echo "nerdctl run -p under --net=pasta, both pastas: ${out:-$(head -c 200 "$T_TMP/pub-pasta-implicit")}" | tr '\n' ' '; echo

# nothing outside the test's folders
expect_eq "files in $TEST_USER's home" "$home_before" "$(find /home/"$TEST_USER" 2>/dev/null | sort)"
# (by name, tests' own folders aside: other tests run as $TEST_USER meanwhile
# and may write there; not root's: all this test starts runs as $TEST_USER or
# its subordinate ids, and other sessions' root-owned logs are not ours)
out=$(find /tmp /var/tmp /dev/shm /run -maxdepth 1 -newer "$T_TMP/start" ! -user root ! -name 'burrow-test.*' \( -name '*containerd*' \
	-o -name '*nerdctl*' -o -name '*rootless*' -o -name '*cni*' -o -name '*runc*' -o -name '*slirp*' \
	-o -name '*pasta*' -o -name 'xtables.lock' \) 2>/dev/null)
[ -z "$out" ] || fail "files left: $out"
expect_no_san_report
print_times
pass
