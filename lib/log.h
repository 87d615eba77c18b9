/* SPDX-License-Identifier: GPL-2.0-or-later
 * log.h - leveled logging to stderr (and optionally syslog)
 */
#ifndef BURROW_LOG_H
#define BURROW_LOG_H

#include <stdarg.h>

enum log_level { LOG_LVL_ERROR = 0, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/**
 * log_init() - set the program name, threshold and destinations
 * @prog:	name printed before each message ("burrow-netns")
 * @level:	messages above this level are dropped
 * @use_syslog:	also send messages to syslog(3)
 */
void log_init(const char *prog, enum log_level level, int use_syslog);

/**
 * log_level_parse() - parse "error", "warn", "info", "debug" (or "warning")
 * @name:	level name, case-insensitive
 *
 * Return: the level, or -1 if @name is not a level
 */
int log_level_parse(const char *name);

/**
 * log_set_level() - change the threshold
 * @level:	new threshold
 */
void log_set_level(enum log_level level);

/**
 * log_msg() - print one message if @level passes the threshold
 * @level:	severity
 * @fmt:	printf format; a trailing newline is added
 */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * die() - print an error and exit(1); for start-up code in main() only
 * @fmt:	printf format
 */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define err(...)   log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif /* BURROW_LOG_H */
