#!/bin/bash
# adv_launcher_kill_run.sh for `burrow pod create --network slirp`: SIGKILL
# at each side-effecting syscall.  A pod's namespace holder is detached; a
# command killed before it recorded the holder must not leave it, nor its
# burrow-slirp, running with nothing naming them.  After pod rm -f and prune
# nothing is left.  Under 60 s.
ADV_NET=slirp ADV_MODE=pod exec bash "$(dirname "$0")/adv_launcher_kill_run.sh"
