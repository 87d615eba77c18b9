# bash completion for burrow(1): commands, options, and the names of
# containers, pods, networks and images (asked of burrow itself).
# Installed as $PREFIX/share/bash-completion/completions/burrow.

_burrow_containers() {	# $1: "-a" for all, "" for running ones
	"$_burrow_bin" ps $1 --format '{{.Names}}' 2>/dev/null
}

_burrow_images() {
	"$_burrow_bin" images 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_burrow_pods() {
	"$_burrow_bin" pod ps 2>/dev/null | awk 'NR > 1 { print $2 }'
}

_burrow_networks() {
	"$_burrow_bin" network ls 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_burrow() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local _burrow_bin=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]} sub=${COMP_WORDS[2]} words opts
	local commands="run ps inspect logs stop kill rm exec attach pull images rmi image
		pod network system info version help"

	COMPREPLY=()
	if ((COMP_CWORD == 1)); then
		mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
		return
	fi
	case $prev in	# options that take a value
	--network | --net)
		words="slirp pasta none host bridge $(_burrow_networks | sed 's/^/bridge:/')
			$(_burrow_containers | sed 's/^/container:/') $(_burrow_pods | sed 's/^/pod:/')"
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		return ;;
	--runtime) mapfile -t COMPREPLY < <(compgen -W "crun runc" -- "$cur"); return ;;
	--pull) mapfile -t COMPREPLY < <(compgen -W "missing always never" -- "$cur"); return ;;
	-s | --signal)
		mapfile -t COMPREPLY < <(compgen -W "TERM KILL INT HUP QUIT USR1 USR2 STOP CONT" -- "$cur")
		return ;;
	--format | -f)
		if [[ $cmd == inspect || $cmd == ps || $cmd == info || $cmd == version ]]; then
			mapfile -t COMPREPLY < <(compgen -W "json table '{{.Names}}' '{{.ID}}'" -- "$cur")
			return
		fi ;;
	-v | --volume) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
	--name | -p | --publish | -e | --env | -w | --workdir | -u | --user | --hostname | \
	--stop-timeout | -m | --memory | --cpus | --pids-limit | -t | --time | --subnet | \
	--detach-keys | --tls-verify)
		return ;;
	esac
	case $cmd in
	run)
		opts="-d --detach --rm --name -p --publish --network -e --env -v --volume -w --workdir
			-u --user --hostname --runtime --stop-timeout -m --memory --cpus --pids-limit
			-i --interactive -t --tty --pull --tls-verify -P --publish-all --help"
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		else	# a root filesystem, a bundle or an image
			mapfile -t COMPREPLY < <(compgen -d -- "$cur"; compgen -W "$(_burrow_images)" -- "$cur")
		fi ;;
	ps) mapfile -t COMPREPLY < <(compgen -W "-a --all -q --quiet --format --help" -- "$cur") ;;
	inspect | logs | rm)
		if [[ $cur == -* ]]; then
			opts="--help"
			[[ $cmd == inspect ]] && opts="-f --format --help"
			[[ $cmd == logs ]] && opts="-f --follow --help"
			[[ $cmd == rm ]] && opts="-f --force --help"
			mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_burrow_containers -a)" -- "$cur")
		fi ;;
	stop | kill | exec | attach)
		if [[ $cur == -* ]]; then
			opts="--help"
			[[ $cmd == stop ]] && opts="-t --time --help"
			[[ $cmd == kill ]] && opts="-s --signal --help"
			[[ $cmd == exec ]] && opts="-i --interactive -t --tty --help"
			[[ $cmd == attach ]] && opts="--detach-keys --sig-proxy=false --no-stdin --help"
			mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_burrow_containers)" -- "$cur")
		fi ;;
	pull) mapfile -t COMPREPLY < <(compgen -W "-q --quiet --tls-verify=false --help" -- "$cur") ;;
	images) mapfile -t COMPREPLY < <(compgen -W "-q --quiet --format --help" -- "$cur") ;;
	rmi) mapfile -t COMPREPLY < <(compgen -W "-f --force $(_burrow_images)" -- "$cur") ;;
	image)
		if ((COMP_CWORD == 2)); then
			mapfile -t COMPREPLY < <(compgen -W "prune ls rm pull" -- "$cur")
		fi ;;
	pod)
		if ((COMP_CWORD == 2)); then
			mapfile -t COMPREPLY < <(compgen -W "create rm ps" -- "$cur")
		elif [[ $sub == rm && $cur != -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_burrow_pods)" -- "$cur")
		elif [[ $sub == create ]]; then
			mapfile -t COMPREPLY < <(compgen -W "--name -p --publish --network --help" -- "$cur")
		fi ;;
	network)
		if ((COMP_CWORD == 2)); then
			mapfile -t COMPREPLY < <(compgen -W "create ls rm" -- "$cur")
		elif [[ $sub == rm ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_burrow_networks)" -- "$cur")
		elif [[ $sub == create ]]; then
			mapfile -t COMPREPLY < <(compgen -W "--subnet --ipv6 --internal --disable-dns --help" -- "$cur")
		fi ;;
	system) ((COMP_CWORD == 2)) && mapfile -t COMPREPLY < <(compgen -W "prune" -- "$cur") ;;
	info | version) mapfile -t COMPREPLY < <(compgen -W "-f --format --help" -- "$cur") ;;
	help) ((COMP_CWORD == 2)) && mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur") ;;
	esac
	return 0
}
complete -F _burrow burrow
