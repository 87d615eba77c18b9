# shellcheck shell=bash
# idmap.sh - helpers for burrow-idmap's integration tests (source after sandbox.sh)
#
#   private_etc SUBUID SUBGID CMD...   run CMD (a command or as_user ...) in a private
#                                      mount namespace where the given files are
#                                      bind-mounted over /etc/subuid and /etc/subgid;
#                                      the real files are never modified
#   private_bind SRC DST -- CMD...     same idea for any one file (e.g. over newuidmap)
#   test_subid_file NAME TEXT          write TEXT to $T_TMP/NAME, mode 0644; print the path
#   IDMAP=$BIN/burrow-idmap

IDMAP="$BIN/burrow-idmap"
[ -x "$IDMAP" ] || fail "burrow-idmap not built ($IDMAP)"
# as_user checks /run/netns/$HOST_NS; keep the name visible in child shells
export HOST_NS IDMAP
export -f as_user as_user_named _user_xdg

test_subid_file() {
	local f="$T_TMP/$1"
	printf '%b' "$2" > "$f"
	chmod 0644 "$f"
	echo "$f"
}

private_etc() {
	local u=$1 g=$2; shift 2
	unshare -m --propagation private -- bash -c \
		'mount --bind "$1" /etc/subuid && mount --bind "$2" /etc/subgid && shift 2 && "$@"' \
		private_etc "$u" "$g" "$@"
}

private_bind() {
	local src=$1 dst=$2; shift 3
	unshare -m --propagation private -- bash -c \
		'mount --bind "$1" "$2" && shift 2 && "$@"' private_bind "$src" "$dst" "$@"
}

# expected map lines, formatted as /proc/PID/uid_map shows them
map_line() { printf '%10u %10u %10u\n' "$1" "$2" "$3"; }
