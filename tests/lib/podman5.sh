# shellcheck shell=bash
# podman5.sh - Podman 5 built from its Go module (scripts/consumers.sh) for the
# tests that drive the current engine (source after sandbox.sh).
#
#   P5        the podman 5 binary in the consumers cache
#   P5_VER    its version ("5.7.1")
# When the binary is not cached yet it is built here (several minutes, once per
# machine). Where the Go module proxy cannot be reached (consumers.sh exits 77)
# the test is skipped, with that reason: never passed. Any other build failure
# fails the test.
need_cmd crun crun
P5_DIR=$("$TOP/scripts/consumers.sh" --path)
P5="$P5_DIR/podman"
if [ ! -x "$P5" ]; then
	_p5_out=$("$TOP/scripts/consumers.sh" 2>&1)
	_p5_rc=$?
	if [ ! -x "$P5" ]; then
		[ $_p5_rc = 77 ] &&
			skip "Podman 5 is not built and the Go module proxy cannot be reached ($(tail -1 <<<"$_p5_out"))"
		fail "Podman 5 could not be built by scripts/consumers.sh: $(tail -5 <<<"$_p5_out")"
	fi
fi
P5_VER=$("$P5" --version 2>&1 | awk '{print $3}')
[[ "$P5_VER" == 5.* ]] || fail "$P5 is not Podman 5: '$("$P5" --version 2>&1)'"
export P5 P5_VER
