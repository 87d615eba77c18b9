/* SPDX-License-Identifier: GPL-2.0-or-later
 * attach.h - `burrow attach`: connect the terminal (or stdio) to a detached
 * container through its burrow-mon's attach socket (BUNDLE/attach, unix
 * SOCK_SEQPACKET: output arrives as messages whose first byte is the stream,
 * 2 stdout or 3 stderr; what we send goes to the container's stdin), until
 * the container exits or the detach keys (ctrl-p ctrl-q unless told) are
 * typed
 */
#ifndef BURROW_LAUNCHER_ATTACH_H
#define BURROW_LAUNCHER_ATTACH_H

#include <stddef.h>

#define ATTACH_KEYS_MAX 16		/* longest detach sequence */
#define ATTACH_DEFAULT_KEYS "ctrl-p,ctrl-q"

/* The detach sequence and the scanner's state between reads */
struct attach_keys {
	unsigned char seq[ATTACH_KEYS_MAX];
	size_t len;		/* 0: detaching is off */
	size_t held;		/* bytes of @seq seen last, held back */
};

/* What `burrow attach` was asked for besides the container */
struct attach_opts {
	struct attach_keys keys;	/* from attach_parse_keys() */
	int sig_proxy;		/* pass the signals we get to the container */
	int no_stdin;		/* do not read our stdin */
};

/**
 * attach_parse_keys() - parse a detach sequence in Podman's syntax
 * @spec:	comma-separated keys, each one character or ctrl-X with X one of
 *		a-z, @, [, \, ], ^, _ ("ctrl-p,ctrl-q"); "" turns detaching off
 * @k:		out: the sequence, scanner state reset
 * @err:	out: what is wrong with @spec
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL
 */
int attach_parse_keys(const char *spec, struct attach_keys *k, char *err, size_t errlen);

/**
 * attach_scan_keys() - pass input through, holding back the detach keys
 * @k:		sequence and state (from attach_parse_keys())
 * @in:		bytes read from our input
 * @n:		their number
 * @out:	what to send to the container: room for @n + ATTACH_KEYS_MAX
 *		bytes (the start of the sequence held back from the previous
 *		call is sent first when it turns out not to be the sequence)
 * @outn:	out: bytes written to @out
 *
 * Return: 1 when the whole sequence was typed (@out holds what came before
 * it), else 0
 */
int attach_scan_keys(struct attach_keys *k, const char *in, size_t n, char *out, size_t *outn);

/**
 * cmd_attach() - `burrow attach [OPTIONS] ID`
 * @ref:	ID, name or unique ID prefix
 * @o:		detach keys, signal proxying, stdin
 *
 * Our stdin goes to the container when it was started with -t or -i and
 * @o->no_stdin is not set (with -t and a terminal on our side, in raw mode,
 * its size passed on and kept up to date); its output comes to our stdout
 * and stderr.  SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 are
 * passed to the container with @o->sig_proxy, else they end the attach.
 *
 * Return: the container's exit code when it ended while attached, 0 after
 * the detach keys, 128 + the signal that ended it, 1 or 125 when attaching
 * failed
 */
int cmd_attach(const char *ref, const struct attach_opts *o);

#endif /* BURROW_LAUNCHER_ATTACH_H */
