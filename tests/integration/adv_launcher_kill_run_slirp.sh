#!/bin/bash
# adv_launcher_kill_run.sh with --network slirp: SIGKILL at each side-effecting
# syscall of a rootless `burrow run --rm --network slirp ROOTFS true` (namespace
# holder, burrow-slirp, the user namespace's maps); nothing is left after rm
# -f and prune, no burrow-slirp outlives its namespace.  Under 60 s.
ADV_NET=slirp exec bash "$(dirname "$0")/adv_launcher_kill_run.sh"
