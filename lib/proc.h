/* SPDX-License-Identifier: GPL-2.0-or-later
 * proc.h - facts about processes every program needs: a process's start
 * time (which tells a reused PID from the process recorded), whether it
 * still runs, the path of a sibling binary next to our own, and a sleep
 */
#ifndef BURROW_PROC_H
#define BURROW_PROC_H

#include <stddef.h>
#include <sys/types.h>

/**
 * proc_start_time() - start time of @pid, field 22 of /proc/PID/stat
 * @pid:	process (a zombie still has one)
 * @start:	out: clock ticks since boot; 0 on failure
 *
 * Return: 0, -ESRCH if there is no such process, -EINVAL if its stat line
 *	   cannot be read as one, or another -errno
 */
int proc_start_time(pid_t pid, unsigned long long *start);

/**
 * proc_alive() - whether @pid runs (exists and is no zombie) and still is
 *		  the process that started at @start
 * @pid:	process
 * @start:	its recorded start time (proc_start_time()); 0: any
 *
 * Return: 1 if so, 0 if not
 */
int proc_alive(pid_t pid, unsigned long long start);

/**
 * proc_sibling() - the path of @name in the folder of our own executable
 *		    (/proc/self/exe), whether or not it exists
 * @name:	file name, e.g. "burrow-dns"
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: 0, -ENAMETOOLONG, or -errno of readlink(/proc/self/exe)
 */
int proc_sibling(const char *name, char *buf, size_t len);

/**
 * proc_self_exe() - the path of our own executable
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: 0, -ENAMETOOLONG, or -errno of readlink(/proc/self/exe)
 */
int proc_self_exe(char *buf, size_t len);

/**
 * proc_stdio_null() - point stdin, stdout and stderr at /dev/null (a daemon
 *		       or holder that must not keep its creator's pipes or
 *		       terminal open)
 *
 * Return: 0, or -errno of open(/dev/null) (stdio then stays as it was)
 */
int proc_stdio_null(void);

/**
 * proc_sleep_ms() - sleep @ms milliseconds, the whole time even if a signal
 *		     handler runs meanwhile
 * @ms:		milliseconds
 */
void proc_sleep_ms(unsigned ms);

#endif /* BURROW_PROC_H */
