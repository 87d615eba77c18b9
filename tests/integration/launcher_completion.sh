#!/bin/bash
# make install installs what burrow's messages and the README point at: the
# programs, burrow-mkrootfs (which the "no root filesystem" error names),
# the helpers/ links for engines, the man pages and the bash, zsh and fish
# completions; bash completion offers the commands, options and the caller's
# container names (root's and an unprivileged user's apart), zsh registers
# it, fish offers commands and containers.
. "$(dirname "$0")/../lib/sandbox.sh"
need_cmd zsh zsh
need_cmd fish fish
D="$T_TMP/inst"
P="$D/usr/local"
make -s -C "$TOP" install DESTDIR="$D" PREFIX=/usr/local BUILD="$BUILD" >"$T_TMP/make.log" 2>&1 ||
	fail "make install: $(tail -5 "$T_TMP/make.log")"
chmod -R a+rX "$T_TMP/inst"
for f in bin/burrow bin/burrow-slirp bin/burrow-bridge bin/burrow-mon bin/burrow-mkrootfs; do
	[ -x "$P/$f" ] || fail "make install: no $f"
done
for h in netavark pasta aardvark-dns; do
	[ -x "$P/lib/burrow/helpers/$h" ] || fail "make install: helpers/$h does not lead to a program"
done
expect_eq "helpers/netavark" "$P/bin/burrow-bridge" "$(readlink -f "$P/lib/burrow/helpers/netavark")"
[ -f "$P/share/man/man1/burrow.1" ] || fail "make install: no burrow.1"
BASHC="$P/share/bash-completion/completions/burrow"
ZSHC="$P/share/zsh/site-functions/_burrow"
FISHC="$P/share/fish/vendor_completions.d/burrow.fish"
for f in "$BASHC" "$ZSHC" "$FISHC"; do [ -f "$f" ] || fail "make install: no $f"; done

# burrow-mkrootfs makes what burrow runs
B="$P/bin/burrow"
export BURROW_STATE_DIR="$T_TMP/state"
"$P/bin/burrow-mkrootfs" "$T_TMP/rootfs" || fail "burrow-mkrootfs"
chmod 0755 "$T_TMP/rootfs"
expect_eq "run on burrow-mkrootfs's tree" hi "$("$B" run --rm --network none "$T_TMP/rootfs" echo hi)"
on_exit "$B rm -f croot cgone >/dev/null 2>&1"
on_exit "as_user $B rm -f cuser >/dev/null 2>&1"
"$B" run -d --name croot --network none "$T_TMP/rootfs" sleep 1000 >/dev/null || fail "run croot"
"$B" run --name cgone --network none "$T_TMP/rootfs" true || fail "run cgone"
as_user "$B" run -d --name cuser --network none "$T_TMP/rootfs" sleep 1000 >/dev/null || fail "run cuser"

# complete WORD...: what bash completion offers after "burrow WORD..." (the
# last word is the one being completed)
complete_bash() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _burrow
		printf "%s\n" "${COMPREPLY[@]}"' complete_bash "$BASHC" "$B" "$@"
}
expect_eq "complete -p" "complete -F _burrow burrow" "$(bash -c "source '$BASHC'; complete -p burrow")"
out=$(complete_bash "")
for c in run ps inspect logs stop rm exec info version pod network; do
	grep -qx "$c" <<<"$out" || fail "bash: commands lack $c: $out"
done
expect_eq "bash: st" "stop" "$(complete_bash st)"
expect_eq "bash: stop (running ones)" "croot" "$(complete_bash stop "")"
expect_eq "bash: inspect (all)" "cgone croot" "$(complete_bash inspect "" | sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "bash: rm c" "cgone croot" "$(complete_bash rm c | sort | tr '\n' ' ' | sed 's/ $//')"
grep -qx host <<<"$(complete_bash run --network "")" || fail "bash: --network lacks host"
grep -qx -- --pids-limit <<<"$(complete_bash run --p)" || fail "bash: run --p lacks --pids-limit"
expect_eq "bash: pod" "create rm ps" "$(complete_bash pod "" | tr '\n' ' ' | sed 's/ $//')"
# the user's completion offers the user's containers only
out=$(as_user bash -c 'source "$1"; COMP_WORDS=("$2" stop ""); COMP_CWORD=2; _burrow
	printf "%s\n" "${COMPREPLY[@]}"' x "$BASHC" "$B")
expect_eq "bash as $TEST_USER: stop" cuser "$out"

# zsh: the file parses and compinit registers it for burrow
zsh -n "$ZSHC" || fail "zsh: _burrow does not parse"
out=$(HOME=$T_TMP zsh -fc "fpath=('${ZSHC%/*}' \$fpath); autoload -Uz compinit; compinit -u -d '$T_TMP/zcd'; print \${_comps[burrow]}")
expect_eq "zsh: compinit registers _burrow" _burrow "$out"

# fish: commands and containers
fish -n "$FISHC" || fail "fish: burrow.fish does not parse"
fc() { HOME=$T_TMP PATH="$P/bin:$PATH" fish -c "source '$FISHC'; complete -C '$1'" | cut -f1; }
grep -qx run <<<"$(fc "burrow ")" || fail "fish: commands lack run: $(fc "burrow ")"
expect_eq "fish: stop" croot "$(fc "burrow stop ")"
pass
