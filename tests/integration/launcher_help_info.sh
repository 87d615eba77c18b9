#!/bin/bash
# burrow's own help and host report, as podman users expect them: --help for
# every command and subcommand (exit 0, the command's usage on stdout), a
# mistyped command gets "did you mean", help for no such command fails;
# info and version, as root and as an unprivileged user, in YAML, JSON and
# through a --format template.
. "$(dirname "$0")/../lib/sandbox.sh"
B="$BIN/burrow"
export BURROW_STATE_DIR="$T_TMP/state"

for c in run ps inspect logs stop kill rm exec attach pull images rmi info version \
	"pod create" "pod rm" "pod ps" "network create" "network ls" "network rm" \
	"image prune" "image ls" "image rm" "image pull" "system prune" pod network image; do
	# shellcheck disable=SC2086
	out=$("$B" $c --help 2>&1) || fail "burrow $c --help: exit $?: $out"
	head -1 <<<"$out" | grep -q '^Usage:$' || fail "burrow $c --help: no Usage line: $out"
	grep -q "^  burrow $c" <<<"$out" || fail "burrow $c --help does not show '$c': $out"
	# shellcheck disable=SC2086
	expect_eq "burrow $c -h" "$out" "$("$B" $c -h 2>&1)"
	# shellcheck disable=SC2086
	expect_eq "burrow help $c" "$out" "$("$B" help $c 2>&1)"
done
# --help after other options, and the command's own usage on a bad option
out=$("$B" run --rm --help) || fail "run --rm --help: exit $?"
grep -q -- "--pids-limit" <<<"$out" || fail "run --help lacks --pids-limit: $out"
out=$("$B" ps --bogus 2>&1 >/dev/null)
expect_eq "ps --bogus: exit code" 125 $?
grep -q "burrow ps \[-a\]" <<<"$out" || fail "ps --bogus does not show ps's usage: $out"
# the whole list
out=$("$B" --help) || fail "--help: exit $?"
for c in run ps inspect info version "pod create" "network create" "system prune"; do
	grep -q "^  $c" <<<"$out" || fail "--help lacks '$c'"
done

# did you mean
for t in "psa ps" "inpsect inspect" "imgaes images" "stpo stop" "verison version" \
	"netwrok network" "exce exec" "lgs logs"; do
	set -- $t
	out=$("$B" "$1" 2>&1 >/dev/null)
	expect_eq "$1: exit code" 125 $?
	[[ $out == *"unknown command '$1': did you mean '$2'?"* ]] || fail "$1: '$out'"
done
out=$("$B" xyzzy 2>&1 >/dev/null)
[[ $out == "burrow: unknown command 'xyzzy'"* && $out != *"did you mean"* ]] ||
	fail "xyzzy: '$out'"
out=$("$B" help frob 2>&1 >/dev/null)
expect_eq "help frob: exit code" 125 $?

# info and version, as root
info=$("$B" info --format json) || fail "info --format json"
expect_eq "info: rootless as root" false "$(jq -r .host.rootless <<<"$info")"
expect_eq "info: security.rootless" false "$(jq -r .host.security.rootless <<<"$info")"
expect_eq "info: runRoot" "$BURROW_STATE_DIR/containers" "$(jq -r .store.runRoot <<<"$info")"
expect_eq "info: crun found" "$(command -v crun)" "$(jq -r .host.ociRuntime.path <<<"$info")"
[[ $(jq -r .host.ociRuntime.version <<<"$info") == "crun version "* ]] || fail "info: crun version"
expect_eq "info: burrow-slirp found" "$BIN/burrow-slirp" "$(jq -r '.host.helpers["burrow-slirp"]' <<<"$info")"
expect_eq "info: pasta found" "$(command -v pasta)" "$(jq -r .host.helpers.pasta <<<"$info")"
expect_eq "info: version" "$(cat "$TOP/VERSION")" "$(jq -r .version.Version <<<"$info")"
cg=$(jq -r .host.cgroupVersion <<<"$info")
[ "$cg" = v1 ] || [ "$cg" = v2 ] || fail "info: cgroupVersion '$cg'"
expect_eq "info --format" "false $(cat "$TOP/VERSION")" \
	"$("$B" info --format '{{.Host.Rootless}} {{.Version.Version}}')"
yaml=$("$B" info) || fail "info"
grep -q '^host:$' <<<"$yaml" && grep -q '^  rootless: false$' <<<"$yaml" &&
	grep -q '^store:$' <<<"$yaml" || fail "info's YAML: $yaml"
out=$("$B" info --format '{{.host.nope}}' 2>&1 >/dev/null)
[[ $out == *"info has no field .host.nope"* ]] || fail "info --format unknown field: $out"
expect_eq "version --format" "$(cat "$TOP/VERSION")" "$("$B" version --format '{{.Client.Version}}')"
"$B" version | grep -q "^Version: *$(cat "$TOP/VERSION")$" || fail "version: $("$B" version)"
expect_eq "--version" "burrow version $(cat "$TOP/VERSION")" "$("$B" --version)"

# as the test user
info=$(as_user "$B" info --format json) || fail "rootless info"
expect_eq "rootless info: rootless" true "$(jq -r .host.rootless <<<"$info")"
[[ $(jq -r .store.runRoot <<<"$info") == "$T_TMP/xdg-$TEST_USER/"* ]] ||
	fail "rootless info: runRoot $(jq -r .store.runRoot <<<"$info")"
expect_eq "rootless info: graphRoot" "$(getent passwd "$TEST_USER" | cut -d: -f6)/.local/share/burrow" \
	"$(jq -r .store.graphRoot <<<"$info")"
expect_eq "rootless version" "$(cat "$TOP/VERSION")" "$(as_user "$B" version --format '{{.Client.Version}}')"
pass
