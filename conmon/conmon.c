// SPDX-License-Identifier: GPL-2.0-or-later
/* conmon.c - burrow-mon: main() parses the command line, mon_run() does the rest */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "mon.h"

int main(int argc, char **argv)
{
	static struct mon_opts o;
	char errbuf[256];
	int level = LOG_LVL_WARN;

	if (cli_parse(argc, argv, &o, errbuf, sizeof(errbuf))) {
		fprintf(stderr, "burrow-mon: %s\n", errbuf);
		fprintf(stderr, "Run 'burrow-mon --help' for the options.\n");
		return 1;
	}
	if (o.help) {
		fputs(cli_usage(), stdout);
		return 0;
	}
	if (o.version) {
		/* Podman parses the first line: "conmon version X.Y.Z" */
		printf("conmon version 2.1.6\nburrow-mon %s\n", BURROW_VERSION);
		return 0;
	}
	if (o.log_level)
		level = log_level_parse(o.log_level);	/* checked by cli_parse() */
	log_init("burrow-mon", (enum log_level)level, o.syslog);
	return mon_run(&o);
}
