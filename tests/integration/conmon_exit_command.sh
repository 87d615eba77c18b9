#!/bin/bash
# The exit command runs with its arguments after the container exits and
# after the exit file is written; --exit-delay postpones it.
. "$(dirname "$0")/../lib/sandbox.sh"
. "$TOP/tests/lib/conmon.sh"
mon_init

dir="$T_TMP/ec"
mon_bundle "$dir" false sh -c 'exit 7'
cat > "$T_TMP/exitcmd.sh" <<EOS
#!/bin/sh
{ printf '%s|' "\$@"; echo; cat "$dir/exits/ec"; echo; } > "$T_TMP/exitcmd.out"
EOS
chmod +x "$T_TMP/exitcmd.sh"
mon_start ec "$dir" -l none --exit-command "$T_TMP/exitcmd.sh" \
	--exit-command-arg container --exit-command-arg "" --exit-command-arg cleanup \
	--exit-command-arg "two words" --exit-delay 1
rt start ec || fail "start"
expect_eq "exit" 7 "$(mon_wait_exit ec "$dir")"
retry 100 test -s "$T_TMP/exitcmd.out" || fail "exit command did not run"
expect_eq "exit command args" "container||cleanup|two words|" "$(head -1 "$T_TMP/exitcmd.out")"
expect_eq "exit file seen by the exit command" 7 "$(sed -n 2p "$T_TMP/exitcmd.out")"
pass
