#!/bin/bash
# burrow-slirp's pasta face, side by side with the real pasta: the same
# command line (Podman's: --config-net, -t, -u, --dns-forward, -T/-U none,
# --no-map-gw or not, --quiet, --netns PATH with --userns) on two rootless
# "containers" in one sandbox gives the same namespace: addresses, routes,
# MTU, the tap's name; a remote peer reaches the forwarded port and the
# container sees the peer's real address; DNS through --dns-forward; the
# process forks to the background once configured and the foreground exits 0;
# a taken port is an error naming it; removing the namespace file ends it.
# The reference is the 2025 pasta of ../shared/anchors (Debian's 2023 one:
# slirp_pasta_config_net_2023.sh).
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/slirp.sh"
. "$TOP/tests/lib/slirp_fwd.sh"
. "$TOP/tests/lib/slirp_pasta.sh"

sandbox_net
sandbox_dns "name.test=$REMOTE_FAR4"
pasta_face
ARGS=(-t 18080:80 -u 18053:53 --dns-forward 169.254.0.1 --dns-host 127.0.0.1
	-T none -U none --map-guest-addr 169.254.1.2)

serve_echo remote tcp 5201
check_face burrow "$PASTA_FACE" "${ARGS[@]}"

# the reference: the 2025 pasta (Debian's 2023 one lacks --map-guest-addr),
# built once per machine from ../shared/anchors (about 20 s)
ref=$(pasta2025 2>"$T_TMP/build-pasta.log")
[ -x "$ref" ] || fail "building the reference pasta failed: $(tail -5 "$T_TMP/build-pasta.log")"
check_face pasta "$ref" "${ARGS[@]}"
diff -u "$T_TMP/view.pasta" "$T_TMP/view.burrow" >"$T_TMP/view.diff" ||
	fail "the namespace differs from $ref's: $(cat "$T_TMP/view.diff")"

port_blocker 4
taken_port taken "$PASTA_FACE"
pass
