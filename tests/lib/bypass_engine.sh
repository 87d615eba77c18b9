# shellcheck shell=bash
# bypass_engine.sh - what the tests of burrow-bypass under an engine share
# (source after sandbox.sh):
#   bypass_remote_peer       a TCP server on the remote peer, port 9000, that
#                            answers with the address it saw
#   bypass_agent_start SOCK  burrow-bypass as the test user listening on SOCK
#                            (its pid in $bp, log in SOCK's folder/bypass.log),
#                            started before the container, ended at exit
bypass_remote_peer() {
	in_remote socat TCP4-LISTEN:9000,reuseaddr,fork SYSTEM:'echo peer-saw-$SOCAT_PEERADDR' &
	on_exit "kill_netns_procs $REMOTE_NS"
	wait_port in_remote "$REMOTE_FAR4" 9000 || fail "remote server did not start"
}

bypass_agent_start() {
	local dir
	dir=$(dirname "$1")
	as_user sh -c 'echo $$ > "$1"; exec "$2" --listener-timeout=60 "$3"' sh "$dir/bypass.pid" \
		"$BIN/burrow-bypass" "$1" >"$dir/bypass.log" 2>&1 &
	retry 50 test -s "$dir/bypass.pid" || fail "burrow-bypass did not start"
	bp=$(cat "$dir/bypass.pid")
	on_exit "kill $bp 2>/dev/null"
	retry 50 test -S "$1" || fail "burrow-bypass did not listen: $(cat "$dir/bypass.log")"
}
