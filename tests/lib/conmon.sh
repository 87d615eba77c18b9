# shellcheck shell=bash
# conmon.sh - helpers for burrow-mon's integration tests (source after sandbox.sh)
#
#   mon_init [rootless]    pick the runtime, make the busybox rootfs in $T_TMP;
#                          "rootless": supervisor and runtime run as $TEST_USER
#   mon_bundle DIR TTY ARG...   an OCI bundle running ARG... (TTY: true/false)
#   mon_start ID DIR [burrow-mon args...]   start burrow-mon for bundle DIR,
#                          wait for the sync pipe; sets MON_CPID, MON_PID
#   mon_wait_exit ID       wait for $DIR/exits/ID; prints its content
# Containers are deleted and supervisors killed on exit.

MON_RUNTIME=${MON_RUNTIME:-}
MON_AS=()	# the runner of supervisor and runtime: nothing (root) or as_user
MON_SPEC=()	# extra "runtime spec" flags

# mon_own PATH...: hand PATH to the test user in rootless mode
mon_own() { [ ${#MON_AS[@]} -eq 0 ] || chown -R "$TEST_USER:" "$@"; }

# Sanitizer reports of the detached supervisor would go to /dev/null: send
# them to files and fail the test when there are any (SAN=1 builds).
san_capture
eval "$(declare -f pass | sed '1s/^pass/_sandbox_pass/')"
pass() { expect_no_san_report "a burrow-mon process"; _sandbox_pass "$@"; }

mon_init() {
	if [ "${1:-}" = rootless ]; then
		MON_AS=(as_user)
		MON_SPEC=(--rootless)
	fi
	if [ -z "$MON_RUNTIME" ]; then
		MON_RUNTIME=$(command -v crun || command -v runc) || fail "no crun or runc (Debian packages, installed by make deps)"
	fi
	"$TOP/scripts/mkrootfs.sh" "$T_TMP/rootfs" >/dev/null || fail "mkrootfs"
	MON_ROOT="$T_TMP/runtime-root"
	mkdir -p "$MON_ROOT"
	mon_own "$MON_ROOT"
	[ -x "${MON_BIN:-$BIN/burrow-mon}" ] || fail "${MON_BIN:-$BIN/burrow-mon} not built"
}

# rt ARGS...: the runtime with a state directory of our own
rt() { "${MON_AS[@]}" "$MON_RUNTIME" --root "$MON_ROOT" "$@"; }

# _json_str S: S as a JSON string
_json_str() {
	local s=${1//\\/\\\\}
	s=${s//\"/\\\"}
	printf '"%s"' "$s"
}

mon_bundle() {
	local dir=$1 tty=$2; shift 2
	local args="" a
	for a in "$@"; do args+="${args:+,}$(_json_str "$a")"; done
	mkdir -p "$dir"
	rm -f "$dir/config.json"
	mon_own "$dir"
	"${MON_AS[@]}" "$MON_RUNTIME" spec "${MON_SPEC[@]}" --bundle "$dir" || fail "$MON_RUNTIME spec"
	# args is one line; the spec's args array ends at its first "]";
	# sed's "c" text eats one level of backslashes
	args=${args//\\/\\\\}
	sed -i -e "s/\"terminal\": true/\"terminal\": $tty/" \
		-e "/\"args\": \\[/,/\\]/c\\		\"args\": [$args]," \
		-e "s|\"path\": \"rootfs\"|\"path\": \"$T_TMP/rootfs\"|" "$dir/config.json"
	grep -q "\"path\": \"$T_TMP/rootfs\"" "$dir/config.json" || fail "bundle: rootfs path not set"
}

# mon_start ID DIR [ARGS...]: burrow-mon supervising container ID from bundle DIR
mon_start() {
	local id=$1 dir=$2; shift 2
	mkdir -p "$dir/exits" "$dir/persist"
	mon_own "$dir"
	on_exit "rt delete -f $id"
	on_exit "[ -s $dir/conmon.pid ] && kill -9 \$(cat $dir/conmon.pid)"
	"${MON_AS[@]}" env _OCI_SYNCPIPE=9 ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" \
		"${MON_BIN:-$BIN/burrow-mon}" --api-version 1 -c "$id" -u "$id" -n "$id" \
		-r "$MON_RUNTIME" --runtime-arg --root --runtime-arg "$MON_ROOT" \
		-b "$dir" -p "$dir/pidfile" --exit-dir "$dir/exits" --persist-dir "$dir/persist" \
		--conmon-pidfile "$dir/conmon.pid" --full-attach --log-level debug "$@" \
		9>"$dir/sync" || fail "burrow-mon exited with $?"
	retry 200 grep -q '}' "$dir/sync" || fail "no sync message from burrow-mon"
	MON_CPID=$(sed -n 's/^{"data": \(-\{0,1\}[0-9]*\).*/\1/p' "$dir/sync")
	MON_PID=$(cat "$dir/conmon.pid")
	[ "${MON_CPID:-0}" -gt 0 ] || fail "sync pipe says: $(cat "$dir/sync")"
}

# mon_wait_exit ID DIR: wait (up to 20 s) for the exit file, print it
mon_wait_exit() {
	retry 200 test -s "$2/exits/$1" || fail "no exit file for $1"
	cat "$2/exits/$1"
}

# mon_gone PID: the process PID no longer exists (or is a zombie)
mon_gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
