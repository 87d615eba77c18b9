#!/bin/bash
# burrow pod: two containers of a pod share its network namespace (rootless:
# and its user namespace): busybox httpd in one, wget to 127.0.0.1 from the
# other; the pod's -p forward reaches the server from the host; pod rm -f
# removes the containers, the helper, the holder and the record.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_cmd pasta passt
launcher_rootfs
sandbox_net
B="$BIN/burrow"
# alive PID: running and not a zombie (this machine's init may not reap)
alive() { [[ -r /proc/$1/status ]] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
on_exit "as_user $B system prune"
on_exit "as_user $B pod rm -f web"

id=$(as_user "$B" pod create --name web --network pasta -p 18093:80) || fail "pod create"
[[ $id =~ ^[0-9a-f]{12}$ ]] || fail "pod create printed '$id'"
out=$(as_user "$B" pod create --name web 2>&1) && fail "a second pod named web"
[[ $out == *"already in use"* ]] || fail "duplicate name error: $out"
out=$(as_user "$B" pod ps) || fail "pod ps"
[[ $out == *"$id"*web*running*pasta*18093:80* ]] || fail "pod ps: $out"
holder=$(as_user "$B" pod ps --format json | jq -r '.[0].id') || fail "pod ps --format json"
expect_eq "pod ps json id" "$id" "$holder"
statedir=$(as_user bash -c 'echo ${BURROW_STATE_DIR:-$XDG_RUNTIME_DIR/burrow}')
hpid=$(as_user jq -r .holder_pid "$statedir/pods/$id/state.json") || fail "pod record"
npid=$(as_user jq -r .net_pid "$statedir/pods/$id/state.json")
alive "$hpid" && alive "$npid" || fail "holder $hpid or pasta $npid not running"

as_user "$B" run -d --name srv --network pod:web "$ROOTFS" \
	httpd -f -p 80 -h /var/www >/dev/null || fail "run srv in the pod"
out=$(retry_out 50 as_user "$B" run --rm --network pod:web "$ROOTFS" \
	wget -q -O- http://127.0.0.1:80/) || fail "no page over the pod's localhost"
expect_eq "srv over the pod's localhost" "hello from a burrow container" "$out"
page=$(retry_out 50 ns_http_get in_remote "$HOST_IP4" 18093) ||
	fail "the pod's -p 18093:80 does not reach srv from the remote peer"
expect_eq "srv through the pod's forward" "hello from a burrow container" "$page"
spid=$(as_user "$B" inspect srv | jq -r .[0].State.Pid) || fail "inspect srv"
[[ -n $spid && $(readlink /proc/"$hpid"/ns/net) == "$(readlink /proc/"$spid"/ns/net)" ]] ||
	fail "srv ($spid) is not in the pod's network namespace"
out=$(as_user "$B" run --rm --network pod:web -p 8080:80 "$ROOTFS" true 2>&1) &&
	fail "-p accepted with --network pod:"
[[ $out == *"pod create -p"* ]] || fail "-p error: $out"
out=$(as_user "$B" run --rm --network pod:nope "$ROOTFS" true 2>&1) && fail "joined a missing pod"
[[ $out == *"no such pod"* ]] || fail "missing pod error: $out"

out=$(as_user "$B" pod rm web 2>&1) && fail "pod rm removed a pod with a running container"
[[ $out == *"running container"* ]] || fail "pod rm error: $out"
out=$(as_user "$B" pod rm -f web) || fail "pod rm -f web"
expect_eq "pod rm prints the ID" "$id" "$out"
for ((i = 0; i < 100; i++)); do
	alive "$hpid" || alive "$npid" || break
	sleep 0.1
done
alive "$hpid" && fail "the pod's holder $hpid is still running"
alive "$npid" && fail "the pod's pasta $npid is still running"
[[ -e $statedir/pods/$id ]] && fail "the pod's record is left"
out=$(as_user "$B" ps -a --format json | jq length)
expect_eq "no containers left" 0 "$out"

# a pod whose holder died shows as dead and system prune removes it
on_exit "as_user $B pod rm -f gone >/dev/null 2>&1"
gid=$(as_user "$B" pod create --name gone --network pasta) || fail "pod create gone"
ghold=$(as_user jq -r .holder_pid "$statedir/pods/$gid/state.json")
gnet=$(as_user jq -r .net_pid "$statedir/pods/$gid/state.json")
kill -KILL "$ghold"
for ((i = 0; i < 100; i++)); do alive "$ghold" || break; sleep 0.1; done
out=$(as_user "$B" pod ps)
[[ $out == *gone*dead* ]] || fail "pod ps after the holder died: $out"
out=$(as_user "$B" system prune) || fail "system prune"
[[ $out == *"$gid (pod)"* ]] || fail "system prune did not remove pod gone: $out"
[[ -e $statedir/pods/$gid ]] && fail "dead pod's record left"
for ((i = 0; i < 100; i++)); do alive "$gnet" || break; sleep 0.1; done
alive "$gnet" && fail "dead pod's pasta $gnet left running"

# rootful: the same with root's state directory, in the sandbox's host namespace
on_exit "in_host $B pod rm -f rpod"
in_host "$B" pod create --name rpod --network pasta -p 18094:80 >/dev/null || fail "rootful pod create"
in_host "$B" run -d --name rsrv --network pod:rpod "$ROOTFS" \
	httpd -f -p 80 -h /var/www >/dev/null || fail "rootful run in the pod"
out=$(retry_out 50 in_host "$B" run --rm --network pod:rpod "$ROOTFS" \
	wget -q -O- http://127.0.0.1:80/) || fail "rootful: no page over the pod's localhost"
expect_eq "rootful srv over localhost" "hello from a burrow container" "$out"
page=$(retry_out 50 ns_http_get in_remote "$HOST_IP4" 18094) || fail "rootful: no page via -p"
expect_eq "rootful forward" "hello from a burrow container" "$page"
rstate=$(in_host bash -c 'echo ${BURROW_STATE_DIR:-/run/burrow}')
rid=$(in_host "$B" pod ps --format json | jq -r '.[] | select(.name == "rpod") | .id')
check "rootful pod rm -f" in_host "$B" pod rm -f rpod
[[ -e $rstate/pods/$rid ]] && fail "rootful pod record left"
grep -q "pods/$rid" /proc/mounts && fail "rootful pod's netns bind mount left"
in_host "$B" ps -a --format json | jq -e 'map(select(.Names[0] == "rsrv")) | length == 0' >/dev/null ||
	fail "rootful container of the pod left"
pass
