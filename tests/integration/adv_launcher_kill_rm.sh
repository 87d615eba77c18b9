#!/bin/bash
# adv_launcher_kill_run.sh for `burrow rm -f` of a detached container with
# --network slirp (made anew before each step): SIGKILL at each
# side-effecting syscall of the removal; ps -a then shows at most that one
# record, a second rm -f and prune remove everything (runtime state, holder,
# burrow-slirp, supervisor, folder).  Under 60 s.
ADV_NET=slirp ADV_MODE=rm exec bash "$(dirname "$0")/adv_launcher_kill_run.sh"
