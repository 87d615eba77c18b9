// SPDX-License-Identifier: GPL-2.0-or-later
/* xtlegacy.c - the accept rule in iptables-legacy's FORWARD chain */

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nft.h"
#include "xtlegacy.h"

extern char **environ;

#define XTL_MAX_COPIES 8	/* a delete loop's bound */

int xtl_in_use(int v6)
{
	char buf[256];
	FILE *f = fopen(v6 ? "/proc/net/ip6_tables_names" : "/proc/net/ip_tables_names", "re");
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(buf, sizeof(buf), f))
		found = !strcmp(buf, "filter\n");
	fclose(f);
	return found;
}

/* Run PROGRAM -w OP FORWARD [1] <our rule>, output to /dev/null: its exit
 * status, or -errno if it could not run */
static int xtl_run(int v6, const char *op)
{
	static const char *const dirs[] = { "/usr/sbin/", "/sbin/", "" };
	const char *prog = v6 ? "ip6tables-legacy" : "iptables-legacy";
	char mark[32], path[64];
	const char *argv[] = { prog, "-w", op, "FORWARD", "-m", "mark", "--mark", mark,
			       "-m", "comment", "--comment", NFTB_XT_COMMENT, "-j", "ACCEPT", NULL };
	posix_spawn_file_actions_t fa;
	int rc = -ENOENT, status;
	size_t i;
	pid_t pid;

	snprintf(mark, sizeof(mark), "0x%x/0x%x", NFTB_ACCEPT_MARK, NFTB_ACCEPT_MARK);
	if (posix_spawn_file_actions_init(&fa))
		return -ENOMEM;
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && rc == -ENOENT; i++) {
		snprintf(path, sizeof(path), "%s%s", dirs[i], prog);
		if (*dirs[i] && access(path, X_OK))
			continue;
		rc = -(*dirs[i] ? posix_spawn : posix_spawnp)(&pid, path, &fa, NULL,
							       (char *const *)argv, environ);
	}
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		return rc;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -EIO;
}

int xtl_accept(int v6, int add)
{
	int rc, i;

	for (i = 0; i < XTL_MAX_COPIES; i++) {
		rc = xtl_run(v6, "-C");
		if (rc < 0)
			return rc;
		if (add)
			return rc == 0 ? 0 : xtl_run(v6, "-I") ? -EIO : 0;
		if (rc)
			return 0;	/* none (left) */
		if (xtl_run(v6, "-D"))
			return -EIO;
	}
	return 0;
}
