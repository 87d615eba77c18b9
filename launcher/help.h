/* SPDX-License-Identifier: GPL-2.0-or-later
 * help.h - burrow's usage text, one block per command: `burrow --help`
 * prints them all, `burrow CMD --help` (and `burrow CMD SUB --help`) the
 * command's own; "did you mean" for a mistyped command (edit distance).
 */
#ifndef BURROW_LAUNCHER_HELP_H
#define BURROW_LAUNCHER_HELP_H

#include <stddef.h>
#include <stdio.h>

/**
 * help_print() - print the usage of @topic, or of everything
 * @fp:		where to
 * @topic:	NULL (all), a command ("ps"), a command with subcommands
 *		("pod": all of its blocks) or one subcommand ("pod create")
 *
 * Return: 0, or -ENOENT when @topic is no command (nothing printed)
 */
int help_print(FILE *fp, const char *topic);

/**
 * help_exists() - whether help_print() has a text for @topic
 */
int help_exists(const char *topic);

/**
 * help_is_command() - whether @name is one of burrow's commands (or an alias)
 */
int help_is_command(const char *name);

/**
 * help_distance() - edit distance between @a and @b (insertions, deletions,
 *		     substitutions and swaps of neighbours count 1 each)
 * @a:		a word of at most 64 bytes (longer ones count as far)
 * @b:		another
 *
 * Return: the distance
 */
size_t help_distance(const char *a, const char *b);

/**
 * help_suggest() - the command @word was probably meant to be: the nearest
 *		    one within distance 2 (1 for words of up to 3 letters), or
 *		    the only command @word is a prefix of
 * @word:	what the user typed
 *
 * Return: a command name (static), or NULL
 */
const char *help_suggest(const char *word);

/**
 * help_commands() - the top-level command names, NULL-terminated (for
 *		     suggestions and the completion scripts' test)
 */
const char *const *help_commands(void);

#endif /* BURROW_LAUNCHER_HELP_H */
