#!/bin/bash
# include-cycles.sh - list the include cycles between modules, fail on any.
#   scripts/include-cycles.sh [DIR]     (default: the source tree this script is in)
#
# A module is a .c/.h pair: folder/name.c and folder/name.h are the module
# folder/name, in any folder (build*/ and dot-folders left out).  Every
# `#include "x.h"` line of either file is an edge to the module of x.h, looked
# up as the compiler does with -I. -Ilib: next to the including file first,
# then from the top of the tree, then in lib/.  Includes of files that are not
# in the tree (<...>, generated headers) make no edge.  A module including
# its own header is no edge.
#
# Each cycle found is printed on one line, "a -> b -> c -> a", followed by
# the include lines that make its edges: for every module on a cycle, the
# shortest cycle through it (each cycle printed once).
# Exit status: 0 when there is no cycle, 1 when there is one, 2 on bad usage.
set -u
TOP=${1:-$(cd "$(dirname "$0")/.." && pwd)}
[ -d "$TOP" ] || { echo "include-cycles.sh: $TOP: not a folder" >&2; exit 2; }
cd "$TOP" || exit 2

# edges: "FROM TO FILE:LINE: #include ..." one per include line that names a
# module of the tree
edges() {
	find . -path ./.git -prune -o -path './build*' -prune -o -path '*/.*' -prune -o \
		-type f \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' | sort |
	while IFS= read -r f; do
		dir=$(dirname "$f")
		from=${f%.*}
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*"' "$f" |
		while IFS= read -r line; do
			inc=${line#*\"}
			inc=${inc%%\"*}
			to=
			for cand in "$dir/$inc" "$inc" "lib/$inc"; do
				cand=${cand#./}
				if [ -f "$cand" ]; then to=$cand; break; fi
			done
			[ -n "$to" ] || continue
			case $to in *.c | *.h) ;; *) continue ;; esac
			# "a/../b.h" as b.h: one name per module
			to=$(realpath -m --relative-to=. "$to")
			to=${to%.*}
			[ "$to" = "$from" ] && continue
			printf '%s %s %s:%s\n' "$from" "$to" "$f" "${line%%:*}: ${line#*:}"
		done
	done
}

edges | awk '
	{
		from = $1; to = $2
		wit = $0; sub(/^[^ ]+ [^ ]+ /, "", wit)
		if (!((from, to) in seen)) {
			seen[from, to] = 1
			nadj[from]++
			adj[from, nadj[from]] = to
			witness[from, to] = wit
		}
		node[from] = 1; node[to] = 1
	}
	# the shortest cycle through @u (breadth-first from it), printed once
	# whichever of its modules it was found from
	function cycle_through(u,    head, tail, x, i, v, k, n, path, start, cyc) {
		split("", parent)
		split("", queued)
		head = tail = 1
		queue[1] = u
		queued[u] = 1
		while (head <= tail) {
			x = queue[head++]
			for (i = 1; i <= nadj[x]; i++) {
				v = adj[x, i]
				if (v == u) {
					n = 0
					for (k = x; k != u; k = parent[k])
						rev[++n] = k
					rev[++n] = u
					for (k = 1; k <= n; k++)
						path[k] = rev[n + 1 - k]
					start = 1
					for (k = 2; k <= n; k++)
						if (path[k] < path[start])
							start = k
					for (k = 0; k < n; k++)
						ring[k] = path[(start - 1 + k) % n + 1]
					ring[n] = ring[0]
					cyc = ring[0]
					for (k = 1; k <= n; k++)
						cyc = cyc " -> " ring[k]
					if (cyc in printed)
						return
					printed[cyc] = 1
					ncyc++
					print "include cycle: " cyc
					for (k = 0; k < n; k++)
						print "    " witness[ring[k], ring[k + 1]]
					return
				}
				if (!(v in queued)) {
					queued[v] = 1
					parent[v] = x
					queue[++tail] = v
				}
			}
		}
	}
	END {
		n = 0
		for (u in node)
			names[++n] = u
		# a fixed order, so that the output is the same on every run
		for (i = 2; i <= n; i++) {
			x = names[i]
			for (j = i - 1; j >= 1 && names[j] > x; j--)
				names[j + 1] = names[j]
			names[j + 1] = x
		}
		for (i = 1; i <= n; i++)
			cycle_through(names[i])
		if (ncyc) {
			print ncyc " include cycle(s) between modules (a module is a .c/.h pair): " \
			      "move what both sides need into a module of its own, below both"
			exit 1
		}
		print "no include cycle between " n " modules"
	}'
