#!/bin/bash
# adv_launcher_kill_run.sh for `burrow run -d --network slirp ROOTFS sleep
# 600`: SIGKILL at each side-effecting syscall.  Its namespace holder is
# detached (it outlives the command); a command killed before it recorded
# the holder must not leave it, nor its burrow-slirp, running with nothing
# naming them.  After rm -f and prune nothing is left.  Under 60 s.
ADV_NET=slirp ADV_MODE=detach exec bash "$(dirname "$0")/adv_launcher_kill_run.sh"
