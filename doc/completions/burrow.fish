# fish completion for burrow(1): commands, options, and the names of
# containers and images (asked of burrow itself).
# Installed as $PREFIX/share/fish/vendor_completions.d/burrow.fish.

function __burrow_containers
	burrow ps $argv --format '{{.Names}}' 2>/dev/null
end

function __burrow_images
	burrow images 2>/dev/null | awk 'NR > 1 { print $1 }'
end

set -l __burrow_cmds run ps inspect logs stop kill rm exec attach pull images rmi image pod network system info version help
complete -c burrow -f
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a run -d 'run a container'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a ps -d 'list containers'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a inspect -d 'containers as JSON'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a logs -d 'output of a detached container'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a stop -d 'SIGTERM, then SIGKILL'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a kill -d 'send a signal'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a rm -d 'remove containers'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a exec -d 'run a command in a container'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a attach -d 'connect to a detached container'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a pull -d 'copy an image into the store'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a images -d 'list images'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a rmi -d 'remove images'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a image -d 'prune, ls, rm, pull'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a pod -d 'create, rm, ps'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a network -d 'create, ls, rm'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a system -d 'prune'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a info -d 'the host as burrow sees it'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a version -d 'versions'
complete -c burrow -n "not __fish_seen_subcommand_from $__burrow_cmds" -a help -d 'usage of a command'
complete -c burrow -l help -d 'usage'

# containers: all of them for inspect, logs, rm; running ones for the rest
complete -c burrow -n '__fish_seen_subcommand_from inspect logs rm' -a '(__burrow_containers -a)'
complete -c burrow -n '__fish_seen_subcommand_from stop kill exec attach' -a '(__burrow_containers)'
complete -c burrow -n '__fish_seen_subcommand_from rmi' -a '(__burrow_images)'
complete -c burrow -n '__fish_seen_subcommand_from run' -F -a '(__burrow_images)'
complete -c burrow -n '__fish_seen_subcommand_from image' -a 'prune ls rm pull'
complete -c burrow -n '__fish_seen_subcommand_from pod' -a 'create rm ps'
complete -c burrow -n '__fish_seen_subcommand_from network' -a 'create ls rm'
complete -c burrow -n '__fish_seen_subcommand_from system' -a 'prune'
complete -c burrow -n '__fish_seen_subcommand_from help' -a "$__burrow_cmds"

# options
complete -c burrow -n '__fish_seen_subcommand_from run' -s d -l detach -d 'start it and return'
complete -c burrow -n '__fish_seen_subcommand_from run' -l rm -d 'remove it when it exits'
complete -c burrow -n '__fish_seen_subcommand_from run' -l name -r -d 'name'
complete -c burrow -n '__fish_seen_subcommand_from run' -s p -l publish -r -d 'forward a host port'
complete -c burrow -n '__fish_seen_subcommand_from run' -l network -r -a 'slirp pasta none host bridge' -d 'network'
complete -c burrow -n '__fish_seen_subcommand_from run' -s e -l env -r -d 'environment'
complete -c burrow -n '__fish_seen_subcommand_from run' -s v -l volume -r -F -d 'bind mount'
complete -c burrow -n '__fish_seen_subcommand_from run' -s w -l workdir -r -d 'working directory'
complete -c burrow -n '__fish_seen_subcommand_from run' -s u -l user -r -d 'user'
complete -c burrow -n '__fish_seen_subcommand_from run' -l hostname -r -d 'host name'
complete -c burrow -n '__fish_seen_subcommand_from run' -l runtime -r -a 'crun runc' -d 'OCI runtime'
complete -c burrow -n '__fish_seen_subcommand_from run' -l stop-timeout -r -d 'seconds'
complete -c burrow -n '__fish_seen_subcommand_from run' -s m -l memory -r -d 'memory limit'
complete -c burrow -n '__fish_seen_subcommand_from run' -l cpus -r -d 'CPUs'
complete -c burrow -n '__fish_seen_subcommand_from run' -l pids-limit -r -d 'processes'
complete -c burrow -n '__fish_seen_subcommand_from run' -s i -l interactive -d 'keep stdin open'
complete -c burrow -n '__fish_seen_subcommand_from run' -s t -l tty -d 'a terminal'
complete -c burrow -n '__fish_seen_subcommand_from run' -l pull -r -a 'missing always never' -d 'pull policy'
complete -c burrow -n '__fish_seen_subcommand_from run' -s P -l publish-all -d "the image's ports"
complete -c burrow -n '__fish_seen_subcommand_from ps' -s a -l all -d 'exited ones too'
complete -c burrow -n '__fish_seen_subcommand_from ps' -s q -l quiet -d 'IDs only'
complete -c burrow -n '__fish_seen_subcommand_from ps images' -l format -r -a 'json table' -d 'format'
complete -c burrow -n '__fish_seen_subcommand_from inspect info version' -s f -l format -r -d 'json or a Go template'
complete -c burrow -n '__fish_seen_subcommand_from stop' -s t -l time -r -d 'seconds'
complete -c burrow -n '__fish_seen_subcommand_from kill' -s s -l signal -r -a 'TERM KILL INT HUP QUIT USR1 USR2' -d 'signal'
complete -c burrow -n '__fish_seen_subcommand_from rm rmi' -s f -l force -d 'force'
complete -c burrow -n '__fish_seen_subcommand_from logs' -s f -l follow -d 'follow'
