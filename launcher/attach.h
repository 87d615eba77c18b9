/* SPDX-License-Identifier: GPL-2.0-or-later
 * attach.h - `burrow attach`: connect the terminal (or stdio) to a detached
 * container through its burrow-mon's attach socket (BUNDLE/attach, unix
 * SOCK_SEQPACKET: output arrives as messages whose first byte is the stream,
 * 2 stdout or 3 stderr; what we send goes to the container's stdin), until
 * the container exits or the detach keys ctrl-p ctrl-q are typed
 */
#ifndef BURROW_LAUNCHER_ATTACH_H
#define BURROW_LAUNCHER_ATTACH_H

#include <stddef.h>

#define ATTACH_KEY_1 0x10	/* ctrl-p */
#define ATTACH_KEY_2 0x11	/* ctrl-q */

/* The detach-key scanner's state between reads */
struct attach_keys {
	int pending;		/* the last byte seen was ctrl-p, held back */
};

/**
 * attach_scan_keys() - pass input through, holding back the detach keys
 * @k:		state, zeroed before the first call
 * @in:		bytes read from our input
 * @n:		their number
 * @out:	what to send to the container: room for @n + 1 bytes (a ctrl-p
 *		held back from the previous call is sent first when it turns out
 *		not to start the sequence)
 * @outn:	out: bytes written to @out
 *
 * Return: 1 when ctrl-p ctrl-q was typed (@out holds what came before it),
 * else 0
 */
int attach_scan_keys(struct attach_keys *k, const char *in, size_t n, char *out, size_t *outn);

/**
 * cmd_attach() - `burrow attach ID`
 * @ref:	ID, name or unique ID prefix
 *
 * Our stdin goes to the container when it was started with -t or -i (with
 * -t and a terminal on our side, in raw mode, its size passed on and kept
 * up to date); its output comes to our stdout and stderr.
 *
 * Return: the container's exit code when it ended while attached, 0 after
 * the detach keys, 1 or 125 when attaching failed
 */
int cmd_attach(const char *ref);

#endif /* BURROW_LAUNCHER_ATTACH_H */
