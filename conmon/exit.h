/* SPDX-License-Identifier: GPL-2.0-or-later
 * exit.h - what happens when the container exits: its exit code in the exit
 * and persist directories, the OOM marker, the exit command
 */
#ifndef BURROW_CONMON_EXIT_H
#define BURROW_CONMON_EXIT_H

#include <stddef.h>
#include <sys/types.h>

/* The container's memory cgroup OOM-kill counter, read at start and at exit */
struct oom_watch {
	int fd;			/* memory.events or memory.oom_control; -1: not visible */
	long long start;	/* oom_kill when the container started */
};

/**
 * exit_code_from_status() - conmon's exit code: the status, or 128 + signal
 * @wstatus:	status from waitpid()
 *
 * Return: 0-255
 */
int exit_code_from_status(int wstatus);

/**
 * exit_write_file() - write @code as decimal text (no newline) to @dir/@name,
 * atomically (a temporary file renamed into place)
 * @dir:	directory
 * @name:	file name
 * @code:	exit code
 *
 * Return: 0, or -errno
 */
int exit_write_file(const char *dir, const char *name, int code);

/**
 * oom_parse_count() - the value of "oom_kill N" in a memory.events or
 * memory.oom_control text
 * @text:	file content, NUL-terminated
 *
 * Return: the count, or -1 when the key is absent
 */
long long oom_parse_count(const char *text);

/**
 * oom_watch_open() - find @pid's memory cgroup and remember its OOM-kill count
 * @w:		result (w->fd is -1 when there is nothing to watch)
 * @pid:	container PID
 */
void oom_watch_open(struct oom_watch *w, pid_t pid);

/**
 * oom_watch_fired() - whether the OOM killer struck since oom_watch_open()
 * @w:		watch
 *
 * Return: 1 or 0
 */
int oom_watch_fired(struct oom_watch *w);

/**
 * oom_watch_close() - release the watch
 * @w:		watch
 */
void oom_watch_close(struct oom_watch *w);

/**
 * exit_run_command() - start the exit command, detached, after @delay seconds
 * @path:	program
 * @args:	its arguments (argv[1...])
 * @n:		number of @args
 * @delay:	seconds to wait first (in the child)
 *
 * Return: the child's PID, or -errno
 */
pid_t exit_run_command(const char *path, const char *const *args, size_t n, int delay);

#endif /* BURROW_CONMON_EXIT_H */
