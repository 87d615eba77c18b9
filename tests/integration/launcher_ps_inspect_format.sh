#!/bin/bash
# Scripts written for podman work on burrow's ps and inspect, as root and as
# an unprivileged user: ps -q, -a, --format with {{.ID}} {{.Names}}
# {{.Status}} {{.Ports}} {{.Image}} {{.Command}} {{json .}} and table;
# unknown fields and unsupported actions are refused naming them; the
# COMMAND column shows a bundle's own command (not /bin/sh); inspect prints
# podman's [{Id, Name, Created, State:{Status, Running, Pid, ExitCode,
# StartedAt, FinishedAt}, Config, NetworkSettings:{IPAddress, Ports}}] and
# takes --format ({{.State.Pid}}, {{.NetworkSettings.IPAddress}}).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow-slirp
launcher_rootfs
sandbox_net
B="$BIN/burrow"
export BURROW_STATE_DIR="$T_TMP/state"
on_exit "$B rm -f p1 p2 pb >/dev/null 2>&1"
on_exit "as_user $B rm -f u1 >/dev/null 2>&1"
on_exit "as_user $B system prune >/dev/null 2>&1"

# expect_refused DESCRIPTION TEXT CMD...: exit 125, stderr has TEXT, no stdout
expect_refused() {
	local d=$1 want=$2 out err rc; shift 2
	out=$("$@" 2>"$T_TMP/err"); rc=$?
	err=$(cat "$T_TMP/err")
	expect_eq "$d: exit code" 125 "$rc"
	[ -z "$out" ] || fail "$d: printed '$out'"
	[[ $err == *"$want"* ]] || fail "$d: message '$err' lacks '$want'"
}

# --- as root
id1=$("$B" run -d --name p1 --network none "$ROOTFS" sleep 1000) || fail "run -d p1"
id2=$("$B" run -d --name p2 --network none "$ROOTFS" sh -c 'exit 3') || fail "run -d p2"
retry 100 bash -c "[ \"\$('$B' inspect -f '{{.State.Status}}' p2)\" = exited ]" ||
	fail "p2 never exited: $("$B" ps -a)"

expect_eq "ps -q" "$id1" "$("$B" ps -q)"
expect_eq "ps -a -q" "$(printf '%s\n' "$id1" "$id2" | sort)" "$("$B" ps -a -q | sort)"
expect_eq "ps --format ID Names" "$id1 p1" "$("$B" ps --format '{{.ID}} {{.Names}}')"
expect_eq "ps --format Command" "sleep 1000" "$("$B" ps --format '{{.Command}}')"
expect_eq "ps --format Image" "$ROOTFS" "$("$B" ps --format '{{.Image}}')"
expect_eq "ps --format literal and \\t" "name:p1     x" "$("$B" ps --format 'name:{{.Names}}\tx')"
out=$("$B" ps -a --format 'table {{.Names}}\t{{.Status}}')
expect_eq "table header" "NAMES       STATUS" "$(head -1 <<<"$out")"
grep -q '^p1          Up .* ago$' <<<"$out" || fail "table row p1: $out"
grep -q '^p2          Exited (3) .* ago$' <<<"$out" || fail "table row p2: $out"
expect_eq "table ID title" "CONTAINER ID" "$("$B" ps --format 'table {{.ID}}' | head -1)"
json=$("$B" ps -a --format '{{json .}}')
expect_eq "{{json .}} is podman's JSON list" "p1 running [\"sleep\",\"1000\"]" \
	"$(jq -r '.[] | select(.Names[0] == "p1") | "\(.Names[0]) \(.State) \(.Command | tojson)"' <<<"$json")"
expect_eq "ps --format json: exit code" 3 "$("$B" ps -a --format json | jq '.[] | select(.Names[0] == "p2") | .ExitCode')"

expect_refused "unknown field" "ps has no field .Nope" "$B" ps --format '{{.Nope}}'
expect_refused "pipeline" "pipelines" "$B" ps --format '{{.Names | upper}}'
expect_refused "function" "'upper' is not supported" "$B" ps --format '{{upper .Names}}'
expect_refused "unterminated" "never closed" "$B" ps --format '{{.Names'
expect_refused "inspect unknown field" "inspect has no field .State.Bogus" \
	"$B" inspect -f '{{.State.Bogus}}' p1

# a bundle's own command in the COMMAND column and {{.Command}}
mkdir -p "$T_TMP/bundle"
ln -s "$ROOTFS" "$T_TMP/bundle/rootfs"
cfg=$("$B" inspect -f '{{.OCIConfigPath}}' p1)
jq '.process.args = ["sleep", "999"] | .root.path = "rootfs"' "$cfg" >"$T_TMP/bundle/config.json"
"$B" run -d --name pb --network none "$T_TMP/bundle" >/dev/null || fail "run -d a bundle"
expect_eq "bundle: {{.Command}}" "sleep 999" "$("$B" ps --format '{{.Names}}={{.Command}}' | grep '^pb=' | cut -d= -f2)"
"$B" ps | grep -q "^[0-9a-f]\{12\}  pb .*  sleep 999$" || fail "bundle: COMMAND column: $("$B" ps)"

# inspect: podman's shape
pid=$("$B" inspect p1 | jq -r '.[0].State.Pid')
[ "$pid" -gt 0 ] && kill -0 "$pid" || fail "inspect .State.Pid '$pid' is not a live process"
expect_eq "inspect --format .State.Pid" "$pid" "$("$B" inspect --format '{{.State.Pid}}' p1)"
grep -q "sleep" "/proc/$pid/cmdline" || fail "State.Pid $pid is not the container's sleep"
j=$("$B" inspect p1)
expect_eq "inspect: array of one" 1 "$(jq length <<<"$j")"
expect_eq "inspect: Id Name" "$id1 p1" "$(jq -r '.[0] | "\(.Id) \(.Name)"' <<<"$j")"
expect_eq "inspect: State" "running true 0 0001-01-01T00:00:00Z" \
	"$(jq -r '.[0].State | "\(.Status) \(.Running) \(.ExitCode) \(.FinishedAt)"' <<<"$j")"
for k in Created StartedAt; do
	v=$(jq -r ".[0].$k // .[0].State.$k" <<<"$j")
	[[ $v =~ ^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-][0-9][0-9]:[0-9][0-9])$ ]] ||
		fail "inspect: $k '$v' is not an RFC 3339 time"
done
expect_eq "inspect: Config.Cmd" '["sleep","1000"]' "$(jq -c '.[0].Config.Cmd' <<<"$j")"
expect_eq "inspect: Path Args" 'sleep ["1000"]' "$(jq -c -r '.[0] | "\(.Path) \(.Args | tojson)"' <<<"$j")"
# the keys scripts use, as podman 4.3 names them (seen on podman 4.3.1 here)
for k in Id Name Created Path Args State Image ImageName Rootfs OCIRuntime Config HostConfig \
	NetworkSettings Mounts State.Status State.Running State.Paused State.Dead State.Pid \
	State.ConmonPid State.ExitCode State.StartedAt State.FinishedAt State.OciVersion \
	Config.Env Config.Cmd Config.Image Config.WorkingDir Config.Hostname Config.User \
	Config.Tty Config.OpenStdin Config.StopTimeout Config.Entrypoint \
	NetworkSettings.IPAddress NetworkSettings.Ports NetworkSettings.Gateway \
	HostConfig.NetworkMode HostConfig.AutoRemove HostConfig.Memory HostConfig.NanoCpus \
	HostConfig.PidsLimit; do
	jq -e ".[0].$k != null" <<<"$j" >/dev/null || fail "inspect: no .$k"
done
expect_eq "inspect exited: ExitCode" 3 "$("$B" inspect -f '{{.State.ExitCode}}' p2)"
[ "$("$B" inspect -f '{{.State.FinishedAt}}' p2)" != "0001-01-01T00:00:00Z" ] ||
	fail "inspect exited: no FinishedAt"
expect_eq "inspect two" "p1 p2" "$(echo $("$B" inspect p1 p2 | jq -r '.[].Name'))"
expect_eq "inspect --format per container" "p1:running p2:exited" \
	"$(echo $("$B" inspect --format '{{.Name}}:{{.State.Status}}' p1 p2))"
"$B" inspect p1 nosuch >"$T_TMP/out" 2>&1
expect_eq "inspect of a missing one: exit code" 125 $?
grep -q "no such container: nosuch" "$T_TMP/out" || fail "inspect nosuch: $(cat "$T_TMP/out")"

# --- as the test user, with burrow-slirp and a forward
uid=$(as_user "$B" run -d --name u1 --network slirp -p 18410:80 "$ROOTFS" \
	httpd -f -p 80 -h /var/www) || fail "rootless run -d u1"
expect_eq "rootless ps -q" "$uid" "$(as_user "$B" ps -q)"
expect_eq "rootless {{.Ports}}" "u1 0.0.0.0:18410->80/tcp" \
	"$(as_user "$B" ps --format '{{.Names}} {{.Ports}}')"
expect_eq "rootless {{.NetworkSettings.IPAddress}}" "10.0.2.100" \
	"$(as_user "$B" inspect -f '{{.NetworkSettings.IPAddress}}' u1)"
expect_eq "rootless NetworkSettings.Ports" '{"80/tcp":[{"HostIp":"","HostPort":"18410"}]}' \
	"$(as_user "$B" inspect -f '{{json .NetworkSettings.Ports}}' u1)"
upid=$(as_user "$B" inspect -f '{{.State.Pid}}' u1)
grep -q httpd "/proc/$upid/cmdline" || fail "rootless State.Pid $upid is not httpd"
expect_eq "rootless ps json Ports" "18410 80 tcp" \
	"$(as_user "$B" ps --format json | jq -r '.[0].Ports[0] | "\(.host_port) \(.container_port) \(.protocol)"')"
# the other user sees none of it
expect_eq "second user's ps -a -q" "" "$(as_user_named "$TEST_USER2" "$B" ps -a -q)"
pass
