#!/bin/bash
# Every option burrow-mon accepts does what it says (the others are refused
# by name: tests/unit/test_conmon_cli.c).  Covered here, where no other test
# does: -s, --no-pivot, --no-new-keyring, --runtime-arg and --runtime-opt
# reach the runtime's command line; --socket-dir-path makes and removes the
# CUUID symlink the attach socket is reached through; --sync supervises in
# the caller's process; --no-sync-log skips the fdatasync of the log;
# --syslog sends burrow-mon's own messages to syslog too;
# --version and --help print what Podman parses.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init
command -v strace >/dev/null || fail "strace not installed (scripts/deps.sh installs it)"

# the runtime's command line, from a runtime that records it and fails
cat >"$T_TMP/fakert" <<EOS
#!/bin/sh
echo "\$*" >"$T_TMP/argv"
echo "fake runtime says no" >&2
exit 1
EOS
chmod +x "$T_TMP/fakert"
mkdir -p "$T_TMP/fb"
_OCI_SYNCPIPE=9 "$BIN/burrow-mon" --api-version 1 -c fake -r "$T_TMP/fakert" -b "$T_TMP/fb" \
	-p "$T_TMP/fb/pid" -s --no-pivot --no-new-keyring --runtime-arg --root \
	--runtime-arg /rr --runtime-opt --preserve-fds --runtime-opt 0 -l none \
	--conmon-pidfile "$T_TMP/fb/conmon.pid" 9>"$T_TMP/fb/sync" || fail "burrow-mon exited with $?"
retry 100 grep -q '}' "$T_TMP/fb/sync" || fail "no sync message"
expect_eq "runtime command line" \
	"--systemd-cgroup --root /rr create --bundle $T_TMP/fb --pid-file $T_TMP/fb/pid --no-pivot --no-new-keyring --preserve-fds 0 fake" \
	"$(cat "$T_TMP/argv")"
grep -q '"data": -1, "message": "fake runtime says no"' "$T_TMP/fb/sync" || fail "sync: $(cat "$T_TMP/fb/sync")"

# --syslog: burrow-mon's own messages (here the runtime's failure) also go
# to syslog.  /dev/log is ours in a private mount namespace: a tmpfs on /dev
# with /dev/null and a datagram socket that records what arrives.
unshare -m --propagation private sh -c '
	mount -t tmpfs tmpfs /dev && mknod -m 666 /dev/null c 1 3 || exit 2
	socat -u UNIX-RECV:/dev/log OPEN:"$1/syslog",creat,append & s=$!
	for _ in $(seq 50); do [ -S /dev/log ] && break; sleep 0.1; done
	_OCI_SYNCPIPE=9 "$2" -c slog -r "$1/fakert" -b "$1/fb" -p "$1/fb/pid2" --syslog -l none \
		--sync 9>"$1/fb/sync2"
	for _ in $(seq 50); do [ -s "$1/syslog" ] && break; sleep 0.1; done
	kill $s' sh "$T_TMP" "$BIN/burrow-mon"
grep -q 'burrow-mon\[[0-9]*\]: .*fake runtime says no' "$T_TMP/syslog" ||
	fail "--syslog: syslog got '$(cat "$T_TMP/syslog" 2>/dev/null)'"

# --version: the line Podman parses; --help: the options
"$BIN/burrow-mon" --version | head -1 | grep -qx 'conmon version 2.1.6' || fail "--version"
"$BIN/burrow-mon" --help | grep -q -- '--sdnotify-socket' || fail "--help"

# --socket-dir-path without --full-attach: DIR/CUUID -> bundle, gone at exit
dir="$T_TMP/sd"; mkdir -p "$T_TMP/socks" "$dir/exits"
mon_bundle "$dir" false sh -c 'read -r l; echo "got $l"'
_OCI_SYNCPIPE=9 "$BIN/burrow-mon" --api-version 1 -c sd -u uuid-sd -r "$MON_RUNTIME" \
	--runtime-arg --root --runtime-arg "$MON_ROOT" -b "$dir" -p "$dir/pidfile" -i \
	--exit-dir "$dir/exits" --conmon-pidfile "$dir/conmon.pid" --socket-dir-path "$T_TMP/socks" \
	-l "k8s-file:$dir/ctr.log" 9>"$dir/sync" || fail "burrow-mon (socket dir)"
on_exit "rt delete -f sd"
retry 100 grep -q '}' "$dir/sync" || fail "no sync message (socket dir)"
expect_eq "symlink in --socket-dir-path" "$dir" "$(readlink "$T_TMP/socks/uuid-sd")"
rt start sd || fail "start sd"
out=$("$TOOLS/attachc" "$T_TMP/socks/uuid-sd/attach" -s hi -u "got hi" -t 10) || fail "attach via the symlink: $out"
expect_eq "exit code (socket dir)" 0 "$(mon_wait_exit sd "$dir")"
retry 50 test ! -L "$T_TMP/socks/uuid-sd" || fail "symlink left in --socket-dir-path"

# --sync: the caller's own process supervises and returns after the exit
dir="$T_TMP/sy"; mkdir -p "$dir/exits"
mon_bundle "$dir" false sh -c 'exit 3'
_OCI_SYNCPIPE=9 "$BIN/burrow-mon" --api-version 1 -c sy -r "$MON_RUNTIME" \
	--runtime-arg --root --runtime-arg "$MON_ROOT" -b "$dir" -p "$dir/pidfile" --sync \
	--exit-dir "$dir/exits" --conmon-pidfile "$dir/conmon.pid" -l none 9>"$dir/sync" &
sync_pid=$!
on_exit "kill $sync_pid; rt delete -f sy"
retry 100 grep -qs '}' "$dir/sync" || fail "no sync message (--sync)"
expect_eq "--conmon-pidfile with --sync" "$sync_pid" "$(cat "$dir/conmon.pid")"
kill -0 $sync_pid || fail "--sync: the calling process left before the container exited"
rt start sy || fail "start sy"
wait $sync_pid || fail "--sync: burrow-mon exited with $?"
expect_eq "exit code (--sync)" 3 "$(cat "$dir/exits/sy")"

# --no-sync-log: no fdatasync of the log at exit (one without the flag)
for flag in "" --no-sync-log; do
	id=ns${flag:+x}; dir="$T_TMP/$id"; mkdir -p "$dir/exits"
	mon_bundle "$dir" false sh -c 'echo logged'
	# (LeakSanitizer cannot run under ptrace: off for a SAN=1 build)
	strace -f -qq -e trace=fdatasync -o "$dir/strace" \
		env _OCI_SYNCPIPE=9 ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" "$BIN/burrow-mon" --api-version 1 -c "$id" -r "$MON_RUNTIME" \
		--runtime-arg --root --runtime-arg "$MON_ROOT" -b "$dir" -p "$dir/pidfile" --sync \
		--exit-dir "$dir/exits" -l "k8s-file:$dir/ctr.log" $flag 9>"$dir/sync" &
	st=$!
	on_exit "kill $st; rt delete -f $id"
	retry 100 grep -qs '}' "$dir/sync" || fail "no sync message ($id)"
	rt start "$id" || fail "start $id"
	wait $st
	expect_eq "exit code ($id)" 0 "$(cat "$dir/exits/$id")"
	n=$(grep -c 'fdatasync(' "$dir/strace")
	if [ -n "$flag" ]; then
		expect_eq "fdatasync calls with --no-sync-log" 0 "$n"
	else
		[ "$n" -ge 1 ] || fail "no fdatasync of the log without --no-sync-log"
	fi
done
pass
