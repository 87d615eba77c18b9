/* SPDX-License-Identifier: GPL-2.0-or-later
 * ctl.h - the control FIFOs in the bundle ("ctl" and "winsz") through which
 * the engine resizes the terminal and asks for the log to be reopened
 */
#ifndef BURROW_CONMON_CTL_H
#define BURROW_CONMON_CTL_H

#include <stddef.h>

#define CTL_WINDOW_RESIZE	1	/* "1 HEIGHT WIDTH" */
#define CTL_REOPEN_LOG		2	/* "2 0 0" */

struct ctl_fifo {
	int fd;			/* read end, non-blocking */
	int keep_fd;		/* our own write end, so there is never EOF */
	size_t len;		/* bytes of an incomplete line in buf */
	char buf[128];
};

/* One parsed control message */
struct ctl_msg {
	int type;
	int a;
	int b;
};

/**
 * ctl_parse_line() - parse "TYPE A B" (decimal, blank separated)
 * @line:	text without the newline
 * @len:	its length
 * @m:		result
 *
 * Return: 0, or -EINVAL
 */
int ctl_parse_line(const char *line, size_t len, struct ctl_msg *m);

/**
 * ctl_open() - create (mode 0660) and open the FIFO @dir/@name
 * @f:		result
 * @dir:	the bundle directory
 * @name:	"ctl" or "winsz"
 *
 * Return: 0, or -errno
 */
int ctl_open(struct ctl_fifo *f, const char *dir, const char *name);

/**
 * ctl_read() - read what is available and hand each complete line to @cb
 * @f:		FIFO
 * @cb:		called once per well-formed message
 * @arg:	passed to @cb
 *
 * Return: number of messages handled
 */
int ctl_read(struct ctl_fifo *f, void (*cb)(const struct ctl_msg *m, void *arg), void *arg);

/**
 * ctl_close() - close both ends
 * @f:		FIFO (fd may be -1)
 */
void ctl_close(struct ctl_fifo *f);

#endif /* BURROW_CONMON_CTL_H */
