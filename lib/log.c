// SPDX-License-Identifier: GPL-2.0-or-later
/* log.c - leveled logging to stderr and syslog */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "log.h"

static const char *log_prog = "burrow";
static enum log_level log_threshold = LOG_LVL_WARN;
static int log_syslog;

static const char *const log_names[] = { "error", "warning", "info", "debug" };

void log_init(const char *prog, enum log_level level, int use_syslog)
{
	log_prog = prog;
	log_threshold = level;
	log_syslog = use_syslog;
	if (use_syslog)
		openlog(prog, LOG_PID, LOG_DAEMON);
}

int log_level_parse(const char *name)
{
	unsigned i;

	if (!strcasecmp(name, "warn"))
		return LOG_LVL_WARN;
	if (!strcasecmp(name, "trace"))
		return LOG_LVL_DEBUG;
	if (!strcasecmp(name, "fatal"))
		return LOG_LVL_ERROR;
	for (i = 0; i < sizeof(log_names) / sizeof(log_names[0]); i++)
		if (!strcasecmp(name, log_names[i]))
			return (int)i;
	return -1;
}

void log_set_level(enum log_level level)
{
	log_threshold = level;
}

/* Format and emit one message; keeps errno intact for the caller. */
static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	int saved = errno;
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (level == LOG_LVL_ERROR || level == LOG_LVL_WARN)
		fprintf(stderr, "%s: %s%s\n", log_prog,
			level == LOG_LVL_WARN ? "warning: " : "", buf);
	else
		fprintf(stderr, "%s: %s\n", log_prog, buf);
	if (log_syslog)
		syslog(prio[level], "%s", buf);
	errno = saved;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_threshold)
		return;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
