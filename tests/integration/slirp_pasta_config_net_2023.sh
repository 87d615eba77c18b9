#!/bin/bash
# burrow-slirp's pasta face side by side with Debian 12's pasta
# (0~git20230309, /usr/bin/pasta), on the command line both take (no
# --map-guest-addr, --dns-host or --map-host-loopback, which the 2023 pasta
# lacks; its --dns-forward answers from the first nameserver of
# /etc/resolv.conf, here the sandbox's stub in a private mount namespace):
# the same namespace (addresses, routes, MTU, the tap's name), a remote peer
# reaches the forwarded port and the container sees the peer's real address,
# DNS through --dns-forward, the foreground exits 0 once configured, a taken
# port is an error naming it for both, removing the namespace file ends both.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"
. "$TOP/tests/lib/slirp_pasta.sh"
need_bin burrow-slirp
need_cmd socat
[ -x /usr/bin/pasta ] || fail "Debian's pasta is not installed (scripts/deps.sh installs passt)"

sandbox_net
sandbox_dns "name.test=$REMOTE_FAR4"
pasta_face
ARGS=(-t 18080:80 -u 18053:53 --dns-forward 169.254.0.1 -T none -U none --no-map-gw)

serve_echo remote tcp 5201
check_face burrow "$PASTA_FACE" "${ARGS[@]}"
check_face pasta2023 /usr/bin/pasta "${ARGS[@]}"
diff -u "$T_TMP/view.pasta2023" "$T_TMP/view.burrow" >"$T_TMP/view.diff" ||
	fail "the namespace differs from /usr/bin/pasta's: $(cat "$T_TMP/view.diff")"

# a port taken on both families: both refuse it, naming it
port_blocker dual
taken_port taken "$PASTA_FACE"
taken_port taken2023 /usr/bin/pasta
pkill -P "$BLOCKER"; kill "$BLOCKER" 2>/dev/null
retry 100 bash -c "! nsenter --net=/run/netns/$HOST_NS ss -Hltn 'sport = :18090' | grep -q ." ||
	fail "blocker still listening"
# taken on IPv4 only: burrow-slirp (and pasta 2025) refuse it; the 2023 pasta
# binds IPv6 alone and goes on, IPv4 clients reaching the other program (a
# difference doc/burrow-slirp.1 lists: checked so that the page stays true)
port_blocker 4
taken_port taken4 "$PASTA_FACE"
slirp_container
ns_file v4taken2023
run_pasta /usr/bin/pasta "$NSF" -t 18090 ||
	fail "the 2023 pasta refused a port taken on IPv4 only now: $(cat "$T_TMP/out.netns-v4taken2023") (update doc/burrow-slirp.1)"
pid=$(pgrep -u "$TEST_USER" -n -f -- "--netns $NSF") && kill "$pid"
pass
