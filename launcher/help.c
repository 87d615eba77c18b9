// SPDX-License-Identifier: GPL-2.0-or-later
/* help.c - usage text per command and "did you mean" (see help.h) */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "help.h"

#define WORD_MAX 64	/* help_distance(): longer words are "far" */

/* One block per command or subcommand, as `burrow --help` shows it (each
 * line indented by two there); the first line starts with the name. */
struct help_block {
	const char *name;
	const char *text;
};

static const struct help_block blocks[] = {
	{ "run",
"run [OPTIONS] ROOTFS|BUNDLE|IMAGE [CMD...]   run a container\n"
"    -d, --detach          start it and return; a supervisor stays\n"
"        --rm              remove it when it exits\n"
"        --name NAME       name (default: its ID)\n"
"    -p, --publish SPEC    forward a host port: [ADDR:]HOST:CTR[/udp] (slirp:\n"
"                          the container sees the client's real address)\n"
"        --network MODE    slirp, pasta, none, host, container:ID, pod:NAME or\n"
"                          (root) bridge[:NAME] (default network: burrow)\n"
"                          (default: slirp if burrow-slirp is installed, else pasta)\n"
"    -e, --env K=V         environment\n"
"    -v, --volume SRC:DST[:ro]  bind mount\n"
"    -w, --workdir DIR     working directory\n"
"    -u, --user UID[:GID]  user inside the container\n"
"        --hostname NAME   host name\n"
"        --runtime NAME    crun (default) or runc\n"
"        --stop-timeout N  seconds from SIGTERM to SIGKILL (10): for burrow\n"
"                          stop, and in the foreground from the first INT,\n"
"                          TERM, HUP or QUIT we pass on (a second one kills\n"
"                          at once)\n"
"    -m, --memory SIZE     memory limit: bytes, or with b, k, m or g (at least 6m)\n"
"        --cpus N          CPU time: N CPUs' worth (0.5: half of one)\n"
"        --pids-limit N    at most N processes (-1: no limit)\n"
"                          (limits are set in the container's cgroup as root;\n"
"                          rootless, they are refused, never ignored)\n"
"    -i, --interactive     keep stdin open\n"
"    -t, --tty             a terminal (foreground: stdin must be one)\n"
"        --pull POLICY     IMAGE: missing (default), always or never\n"
"        --tls-verify=false  IMAGE: pull over http or without verifying TLS\n"
"    -P, --publish-all     IMAGE: its ExposedPorts on free host ports\n" },
	{ "pull",
"pull [-q] [--tls-verify=false] REF  copy an image into the store (skopeo):\n"
"                                  NAME[:TAG], docker://, oci:DIR, oci-archive:FILE,\n"
"                                  docker-archive:FILE, containers-storage:\n" },
	{ "images", "images [-q] [--format json]       list the store's images\n" },
	{ "rmi", "rmi [-f] IMAGE...                 remove images and the layers only they use\n" },
	{ "image prune", "image prune                       remove blobs and layers no image uses\n" },

	{ "ps",
"ps [-a] [-q] [--format FORMAT]    list containers (-a: exited ones too; -q: IDs)\n"
"                                  FORMAT: json, table, or a Go template:\n"
"                                  {{.ID}} {{.Names}} {{.Status}} {{.State}}\n"
"                                  {{.Ports}} {{.Image}} {{.Command}} {{.Created}}\n"
"                                  {{.Pid}} {{.ExitCode}} {{.Networks}}, {{json .}},\n"
"                                  text, \\t, \"table \" for a header row\n" },
	{ "inspect",
"inspect [-f FORMAT] ID...         containers as podman prints them: a JSON array,\n"
"                                  or a Go template per container ({{.State.Pid}},\n"
"                                  {{.NetworkSettings.IPAddress}}, {{json .Config}})\n" },
	{ "logs", "logs [-f] ID                      output of a detached container\n" },
	{ "stop",
"stop [-t SECONDS] ID...           SIGTERM, then SIGKILL after SECONDS (run's\n"
"                                  --stop-timeout, 10), saying so when it does\n" },
	{ "kill", "kill [-s SIGNAL] ID...            send a signal (KILL)\n" },
	{ "rm", "rm [-f] ID...                     remove (with -f: kill it first)\n" },
	{ "exec", "exec [-i] [-t] ID CMD...          run a command in a running container\n" },
	{ "attach",
"attach [OPTIONS] ID               connect to a container started with -d: its\n"
"                                  output, and with -t or -i our input; exit\n"
"                                  status: the container's\n"
"        --detach-keys SEQ         keys that detach (default ctrl-p,ctrl-q): keys\n"
"                                  separated by commas, each a character or\n"
"                                  ctrl-X (X: a-z @ [ \\ ] ^ _); \"\" turns it off\n"
"        --sig-proxy=false         signals we get end the attach instead of going\n"
"                                  to the container (INT TERM HUP QUIT USR1 USR2)\n"
"        --no-stdin                do not pass our input\n" },
	{ "pod create",
"pod create [--name N] [-p SPEC]... [--network slirp|pasta|none|bridge[:NAME]]\n"
"                                  a network namespace (with its helper and\n"
"                                  port forwards) for run --network pod:NAME\n" },
	{ "pod rm", "pod rm [-f] NAME                  remove a pod and its containers (-f: running ones too)\n" },
	{ "pod ps", "pod ps [--format json]            list pods\n" },
	{ "network create",
"network create [--subnet CIDR]... [--ipv6] [--internal] [--disable-dns] NAME\n"
"                                  a rootful bridge network (default: the next\n"
"                                  free 10.89.N.0/24, with --ipv6 also fd89:0:0:N::/64;\n"
"                                  \"burrow\" is 10.89.0.0/24) with a DNS server\n"
"                                  (burrow-dns) for its containers' names\n" },
	{ "network ls", "network ls [--format json]        list bridge networks\n" },
	{ "network rm", "network rm NAME                   remove a bridge network no container uses\n" },
	{ "system prune",
"system prune                      remove stopped containers and leftovers of crashed runs\n" },
	{ "info",
"info [--format json|TEMPLATE]     the host as burrow sees it: runtime, rootless,\n"
"                                  cgroups, store paths, network helpers found\n" },
	{ "version",
"version [--format json|TEMPLATE]  burrow's version, and the runtime's\n" },
};

/* other names of commands: their own help, not in the full list */
static const struct help_block alias_blocks[] = {
	{ "image ls", "image ls [-q] [--format json]     the same as images\n" },
	{ "image rm", "image rm [-f] IMAGE...            the same as rmi\n" },
	{ "image pull", "image pull [-q] [--tls-verify=false] REF  the same as pull\n" },
};

#define NBLOCKS (sizeof(blocks) / sizeof(blocks[0]))
#define NALIASES (sizeof(alias_blocks) / sizeof(alias_blocks[0]))

static const char head[] =
"Usage: burrow COMMAND [OPTIONS]\n"
"Run containers from a root filesystem or an image with crun or runc, rootless\n"
"when not root, with no daemon: all state is files under the state directory.\n"
"\n";

static const char tail[] =
"\n"
"Exit status of run: the container's; 125 when burrow or the runtime failed,\n"
"126 when the command cannot run, 127 when it is not found.\n"
"  -h, --help     this text (burrow COMMAND --help: the command's own)\n"
"  -V, --version  version\n";

/* top-level commands, then aliases: what suggestions may offer */
static const char *const commands[] = {
	"run", "ps", "inspect", "logs", "stop", "kill", "rm", "exec", "attach", "pull",
	"images", "rmi", "image", "pod", "network", "system", "info", "version", "help",
	NULL,
};
static const char *const aliases[] = { "list", "ls", NULL };

/* @text with its first line after @first, the others after @rest */
static void put_indented(FILE *fp, const char *text, const char *first, const char *rest)
{
	const char *p = text, *nl;

	while (*p) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		fprintf(fp, "%s%.*s\n", p == text ? first : rest, (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

/* @name is @topic, or @topic is a command and @name one of its subcommands */
static int in_topic(const char *name, const char *topic)
{
	size_t n = strlen(topic);

	return !strcmp(name, topic) || (!strncmp(name, topic, n) && name[n] == ' ');
}

int help_print(FILE *fp, const char *topic)
{
	size_t i, found = 0;

	if (!topic) {
		fputs(head, fp);
		for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
			put_indented(fp, blocks[i].text, "  ", "  ");
		fputs(tail, fp);
		return 0;
	}
	for (i = 0; i < NBLOCKS + NALIASES; i++) {
		const struct help_block *b = i < NBLOCKS ? &blocks[i] : &alias_blocks[i - NBLOCKS];

		if (!in_topic(b->name, topic))
			continue;
		fputs(found++ ? "" : "Usage:\n", fp);
		put_indented(fp, b->text, "  burrow ", "         ");
	}
	if (!found)
		return -ENOENT;
	fprintf(fp, "\nSee burrow(1) for details; burrow --help lists every command.\n");
	return 0;
}

int help_exists(const char *topic)
{
	size_t i;

	for (i = 0; i < NBLOCKS; i++)
		if (in_topic(blocks[i].name, topic))
			return 1;
	for (i = 0; i < NALIASES; i++)
		if (in_topic(alias_blocks[i].name, topic))
			return 1;
	return 0;
}

int help_is_command(const char *name)
{
	size_t i;

	for (i = 0; commands[i]; i++)
		if (!strcmp(name, commands[i]))
			return 1;
	for (i = 0; aliases[i]; i++)
		if (!strcmp(name, aliases[i]))
			return 1;
	return 0;
}

/* the least of three */
static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t help_distance(const char *a, const char *b)
{
	size_t d[WORD_MAX + 1][WORD_MAX + 1], la = strlen(a), lb = strlen(b), i, j;

	if (la > WORD_MAX || lb > WORD_MAX)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	return d[la][lb];
}

const char *help_suggest(const char *word)
{
	const char *best = NULL, *prefix = NULL;
	size_t i, bestd = (size_t)-1, limit = strlen(word) <= 3 ? 1 : 2, nprefix = 0;

	if (!*word)
		return NULL;
	for (i = 0; commands[i]; i++) {
		size_t dist = help_distance(word, commands[i]);

		if (dist < bestd) {
			bestd = dist;
			best = commands[i];
		}
		if (!strncmp(commands[i], word, strlen(word))) {
			prefix = commands[i];
			nprefix++;
		}
	}
	if (best && bestd <= limit)
		return best;
	return nprefix == 1 ? prefix : NULL;
}

const char *const *help_commands(void)
{
	return commands;
}
