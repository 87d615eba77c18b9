# shellcheck shell=bash
# podman5.sh - Podman 5 built from its Go module (scripts/consumers.sh) for the
# tests that drive the current engine (source after sandbox.sh).
#
#   P5        the podman 5 binary in the consumers cache
#   P5_VER    its version ("5.7.1")
#   pm ARGS   that Podman on the test's own storage in $PM, as the test user
#   pm_setup_rootless  a private rootless Podman 5 with burrow as pasta, netavark
#   pm_expect_clean    nothing of it left, no sanitizer report
#   _pm_cleanup, slirp_pids, peer_says PORT, HTTPD: see below
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

# The tests' private Podman 5 ($PM: storage, run root, containers.conf, home),
# as the test user; extra environment words in the PM_ENV array
PM_ENV=()
pm() {
	as_user env CONTAINERS_CONF="$PM/containers.conf" HOME="$PM/home" PODMAN_IGNORE_CGROUPSV1_WARNING=1 \
		"${PM_ENV[@]}" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		timeout -k 5 60 "$P5" --root "$PM/storage" --runroot "$PM/run" --tmpdir "$PM/tmp" \
		--storage-driver vfs "$@"
}
# _pm_procs: the test user's processes started by this test's Podman
_pm_procs() {
	local p
	for p in $(pgrep -u "$TEST_USER"); do
		tr '\0' '\n' 2>/dev/null < "/proc/$p/environ" |
			grep -qx "CONTAINERS_CONF=$PM/containers.conf" && echo "$p"
	done
}
# _pm_cleanup: containers, pods, storage and stray processes of this Podman
# (register with on_exit once $PM is made)
_pm_cleanup() {
	pm rm -af -t 0
	pm pod rm -af -t 0
	pm unshare rm -rf "$PM/storage" "$PM/run"
	local i found p
	for ((i = 0; i < 30; i++)); do
		found=0
		for p in $(_pm_procs); do kill -9 "$p"; found=1; done
		[ $found = 0 ] && [ "$i" -ge 2 ] && break
		sleep 0.2
	done
}
# slirp_pids: the test user's burrow-slirp processes on this test's namespaces
# (Podman keeps them under its XDG_RUNTIME_DIR in $T_TMP, or its run root in $PM)
slirp_pids() {
	local p found=1
	for p in $(pgrep -u "$TEST_USER"); do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$(readlink -f "$BIN/burrow-slirp")" ] &&
			tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -qE -- "--netns ($T_TMP|$PM)/" &&
			{ echo "$p"; found=0; }
	done
	return $found
}
# peer_says PORT: the container's CGI page through the published PORT, fetched
# by the remote peer: the client address the container sees
peer_says() {
	local i out
	for ((i = 0; i < 50; i++)); do
		out=$(in_remote curl -s --max-time 5 "http://$HOST_IP4:$1/cgi-bin/peer" 2>/dev/null)
		# httpd listens on IPv6: an IPv4 client shows as [::ffff:A.B.C.D]
		[ -n "$out" ] && { sed 's/\[::ffff:\(.*\)\]/\1/' <<<"$out"; return 0; }
		sleep 0.2
	done
	return 1
}
HTTPD=(httpd -f -p 80 -h /var/www)

# pm_setup_rootless: a private rootless Podman 5 in $PM (a short folder: Podman
# refuses a run root longer than 50 characters) with burrow-slirp as its pasta
# and burrow-bridge as its netavark, for tests run as the test user:
#   $PM/rootfs      the busybox root filesystem, with a CGI page
#                   /cgi-bin/peer printing the client address the container sees
#   $PM/helpers/    helper_binaries_dir: `pasta` records its argv in $PM/argv,
#                   then runs burrow-slirp through a link named pasta (the face
#                   is chosen by that name); `netavark` -> burrow-bridge
#   $PM/containers.conf  runc, cgroupfs, file events, pasta as the rootless network
# Sanitizer reports of every burrow program go to $T_TMP/san. Files the caller
# adds to $PM afterwards must be readable by the test user.
pm_setup_rootless() {
	"$TOP/scripts/mkrootfs.sh" "$T_TMP/rootfs" >/dev/null || fail "mkrootfs"
	san_capture
	PM=$(mktemp -d /tmp/bwp5.XXXXXX)
	on_exit "rm -rf $PM"
	mkdir -p "$PM/tmp" "$PM/home" "$PM/helpers" "$PM/real"
	cp -a "$T_TMP/rootfs" "$PM/rootfs"
	mkdir -p "$PM/rootfs/var/www/cgi-bin"
	printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "peer=$REMOTE_ADDR"\n' \
		> "$PM/rootfs/var/www/cgi-bin/peer"
	chmod 0755 "$PM/rootfs/var/www/cgi-bin/peer"
	ln -s "$BIN/burrow-slirp" "$PM/real/pasta"
	cat > "$PM/helpers/pasta" <<-W
	#!/bin/sh
	printf '%s\n' "\$*" >> "$PM/argv"
	exec "$PM/real/pasta" "\$@"
	W
	chmod 0755 "$PM/helpers/pasta"
	ln -s "$BIN/burrow-bridge" "$PM/helpers/netavark"
	cat > "$PM/containers.conf" <<-EOC
	[containers]
	default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
	log_driver = "k8s-file"
	[engine]
	cgroup_manager = "cgroupfs"
	events_logger = "file"
	runtime = "runc"
	helper_binaries_dir = ["$PM/helpers"]
	[network]
	default_rootless_network_cmd = "pasta"
	EOC
	chown -R "$TEST_USER:" "$PM"
	chmod 0755 "$PM"
	on_exit _pm_cleanup
}

# pm5_rootful [NETWORK_LINES...]: Podman 5 rootful in the sandbox host with the
# whole suite plugged in by configuration (source bridge_podman.sh first, for
# $PM_TMP): helper_binaries_dir holds netavark -> burrow-bridge and
# aardvark-dns -> burrow-dns, conmon_path is burrow-mon, runc (Debian's crun
# 1.8 refuses the runtime-spec version Podman 5 writes: "unknown version
# specified"); each NETWORK_LINE goes into containers.conf's [network].
# burrow-dns keeps its records in the default folder ($DNS_DIR, dns_pid), as
# in a real deployment: Podman's clean-up does not pass our environment on.
# pm is redefined for it: Podman 5 isolated in $PM_TMP, in the sandbox host,
# at most 60 s (PM_TIMEOUT="-s INT 3": leave an attach after 3 s as Ctrl-C
# would).  Call again to rewrite containers.conf.
pm5_rootful() {
	[ -e "$PM_TMP/helpers/netavark" ] || {
		ln -s "$BRIDGE" "$PM_TMP/helpers/netavark"
		ln -s "$BIN/burrow-dns" "$PM_TMP/helpers/aardvark-dns"
		unset BURROW_DNS_DIR
		DNS_DIR=/run/burrow/dns
		[ -n "$(dns_pid)" ] && skip "a burrow-dns already serves $DNS_DIR on this machine"
		on_exit 'p=$(dns_pid) && kill $p'
		on_exit _pm5_unmount_all
	}
	{
		cat <<-C
		[containers]
		default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
		log_driver = "k8s-file"
		[engine]
		helper_binaries_dir = ["$PM_TMP/helpers"]
		conmon_path = ["$BIN/burrow-mon"]
		runtime = "runc"
		events_logger = "file"
		cgroup_manager = "cgroupfs"
		[network]
		network_backend = "netavark"
		network_config_dir = "$PM_TMP/networks"
		C
		printf '%s\n' "$@"
	} > "$PM_TMP/containers.conf"
	pm() {
		# shellcheck disable=SC2086
		nsenter --net="/run/netns/$HOST_NS" -- env CONTAINERS_CONF="$PM_TMP/containers.conf" \
			PODMAN_IGNORE_CGROUPSV1_WARNING=1 timeout ${PM_TIMEOUT:--k 5 60} \
			"$P5" --root "$PM_TMP/root" --runroot "$PM_TMP/runroot" --tmpdir "$PM_TMP/tmp" \
			--storage-driver vfs "$@"
	}
}
dns_pid() { cat "$DNS_DIR/burrow-dns.pid" 2>/dev/null; }
_pm5_unmount_all() {
	local m
	for m in $(awk -v p="$PM_TMP" 'index($2, p) == 1 {print $2}' /proc/mounts | sort -r); do
		umount -l "$m"
	done
}

# pm_expect_clean: after the last container of a pm_setup_rootless Podman:
# its clean-up leaves no process of this Podman, no burrow-slirp, and no
# sanitizer report from any burrow program
pm_expect_clean() {
	_pm_cleanup
	expect_eq "processes left" "" "$(_pm_procs)"
	expect_eq "burrow-slirp left" "" "$(slirp_pids)"
	expect_no_san_report
}
