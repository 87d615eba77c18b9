#!/bin/bash
# nerdctl_rootless.sh with nerdctl 1.7 (scripts/consumers.sh's nerdctl1): the
# previous generation, as Podman 4.3 beside Podman 5
NERDCTL=nerdctl1
. "$(dirname "$0")/nerdctl_rootless.sh"
