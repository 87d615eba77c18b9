#!/bin/bash
# burrow run --network slirp -p (rootless): busybox httpd in the container is
# reached through burrow-slirp's forward from the sandbox's remote peer and
# from the host namespace's 127.0.0.1, and its log shows the remote peer's
# real address; slirp is the default backend for pod create -p; a taken port
# fails clearly (caught by burrow's own check, and by burrow-slirp's when only
# its IPv6 bind collides) and leaves no record and no helper behind; rm -f
# stops burrow-slirp.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/launcher.sh"
need_bin burrow-slirp
launcher_rootfs
sandbox_net
B="$BIN/burrow"
# alive PID: running and not a zombie (this machine's init may not reap)
alive() { [[ -r /proc/$1/status ]] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
gone() { ! alive "$1"; }
# helpers_for PORT: burrow-slirp processes forwarding host port PORT
helpers_for() { pgrep -u "$TEST_USER" -f "burrow-slirp .*-p ([^ ]*:)?$1:" || true; }
on_exit "as_user $B system prune"
on_exit "as_user $B pod rm -f spod"
on_exit "as_user $B rm -f sweb"

# run -d --network slirp -p: the remote peer and the host's loopback
id=$(as_user "$B" run -d --name sweb --network slirp -p 18084:80 "$ROOTFS" \
	httpd -f -v -p 80 -h /var/www) || fail "run -d --network slirp -p failed"
wait_port in_remote "$HOST_IP4" 18084 || fail "forwarded port 18084 never opened"
page=$(retry_out 50 ns_http_get in_remote "$HOST_IP4" 18084) ||
	fail "no page from the remote peer through the forward"
expect_eq "page from the remote peer" "hello from a burrow container" "$page"
page=$(retry_out 50 ns_http_get in_host 127.0.0.1 18084) ||
	fail "no page from the host's 127.0.0.1"
expect_eq "page from the host's loopback" "hello from a burrow container" "$page"
as_user "$B" ps | grep -q "^$id .*running .*slirp .*18084:80" || fail "ps: $(as_user "$B" ps)"
helper=$(as_user "$B" inspect sweb | jq -r .[0].Burrow.net_pid) || fail "inspect sweb"
grep -q burrow-slirp "/proc/$helper/cmdline" 2>/dev/null || fail "PID $helper is not burrow-slirp"
# httpd -v logs each client: the remote peer by its own address (an
# IPv4-mapped one on httpd's IPv6 socket), the host's loopback as the gateway
logs() { as_user "$B" logs sweb 2>&1 | grep -q "$1"; }
retry 50 logs "$REMOTE_IP4\]:" || fail "httpd did not see $REMOTE_IP4: $(as_user "$B" logs sweb)"
retry 50 logs "10\.0\.2\.2\]:" || fail "httpd did not see 10.0.2.2: $(as_user "$B" logs sweb)"

# pod create -p without --network: slirp forwards the pod's ports
pid=$(as_user "$B" pod create --name spod -p 18087:80) || fail "pod create -p"
out=$(as_user "$B" pod ps)
[[ $out == *"$pid"*spod*running*slirp*18087:80* ]] || fail "pod ps (default backend): $out"
as_user "$B" run -d --name psrv --network pod:spod "$ROOTFS" \
	httpd -f -p 80 -h /var/www >/dev/null || fail "run psrv in the pod"
page=$(retry_out 50 ns_http_get in_remote "$HOST_IP4" 18087) ||
	fail "the pod's -p 18087:80 does not reach psrv from the remote peer"
expect_eq "psrv through the pod's forward" "hello from a burrow container" "$page"
check "pod rm -f" as_user "$B" pod rm -f spod
nohelper() { [ -z "$(helpers_for "$1")" ]; }
retry 50 nohelper 18087 ||
	fail "the pod's burrow-slirp is left: $(helpers_for 18087)"

# a taken port (IPv4 listener): burrow's check names it, nothing is created
as_user socat TCP4-LISTEN:18088,reuseaddr,fork - </dev/null &
blocker=$!
on_exit "kill $blocker"
retry 100 in_host bash -c "exec 3<>/dev/tcp/127.0.0.1/18088" 2>/dev/null || fail "blocker did not start"
out=$(as_user "$B" run --name taken --network slirp -p 18088:80 "$ROOTFS" true 2>&1) &&
	fail "-p to a taken port succeeded"
[[ $out == *"18088/tcp is already in use"* ]] || fail "taken port error: $out"
as_user "$B" ps -a | grep -q taken && fail "a record of the failed run is left"
nohelper 18088 || fail "burrow-slirp left for the taken port"

# taken for IPv6 only ([::1]): burrow's IPv4 check passes, burrow-slirp's
# dual-stack bind fails; the run fails all the same and undoes everything
as_user socat TCP6-LISTEN:18089,bind=[::1],reuseaddr,fork - </dev/null 2>/dev/null &
blocker6=$!
on_exit "kill $blocker6"
# the sandbox's host namespace has lo up with ::1 on it: a blocker that does
# not start is a broken test, not a case to leave out
retry 100 in_host bash -c "exec 3<>/dev/tcp/::1/18089" 2>/dev/null ||
	fail "IPv6 blocker on [::1]:18089 did not start (ip -6 addr: $(in_host ip -6 -o addr show dev lo))"
out=$(as_user "$B" run --name taken6 --network slirp -p 18089:80 "$ROOTFS" true 2>&1) &&
	fail "-p to a port taken on [::1] succeeded"
[[ $out == *"burrow-slirp could not forward a port"*18089*"in use"* ]] ||
	fail "IPv6 taken port error: $out"
as_user "$B" ps -a | grep -q taken6 && fail "a record of the failed run is left"
retry 50 nohelper 18089 || fail "burrow-slirp left: $(helpers_for 18089)"

# rm -f stops the helper and closes the port
check "rm -f sweb" as_user "$B" rm -f sweb
retry 50 gone "$helper" || fail "burrow-slirp $helper left running"
ns_http_get in_remote "$HOST_IP4" 18084 >/dev/null 2>&1 && fail "the port still answers after rm"
out=$(as_user "$B" ps -a --format json | jq length)
expect_eq "no containers left" 0 "$out"
pass
