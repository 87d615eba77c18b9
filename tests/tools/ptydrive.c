// SPDX-License-Identifier: GPL-2.0-or-later
/* ptydrive.c - run a command on a new pseudo-terminal and drive it like a
 * person at a keyboard, for tests that need a terminal with no terminal
 * around them (CI).  Steps run in order:
 *
 *   ptydrive [-T SECONDS] STEP... -- CMD [ARG...]
 *	-e TEXT   wait until TEXT appears in the output (after the last match)
 *	-s TEXT   type TEXT; C escapes \n \r \t \\ and \xHH are understood
 *	-r        wait until the command put the terminal in raw mode (no ICANON)
 *	-T SEC    give up after SEC seconds in all (default 20): exit 124
 *
 * Everything the command prints is copied to our stdout.  After the last
 * step we read on until the command closes the terminal, and exit with its
 * status (128 + signal when killed).  The terminal is 24x80.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static char seen[1 << 20];
static size_t seen_len, match_from;
static struct timespec t_end;

static long ms_left(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t_end.tv_sec - t.tv_sec) * 1000 + (t_end.tv_nsec - t.tv_nsec) / 1000000;
}

/* read what is there (waiting up to @ms); -1 at the end of the terminal */
static int pump(int m, long ms)
{
	struct pollfd p = { .fd = m, .events = POLLIN };
	char buf[4096];
	ssize_t n;

	if (poll(&p, 1, ms < 0 ? 0 : (int)ms) <= 0)
		return 0;
	n = read(m, buf, sizeof(buf));
	if (n <= 0)
		return (n < 0 && errno == EINTR) ? 0 : -1;
	if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
		return -1;
	fflush(stdout);
	if (seen_len + (size_t)n > sizeof(seen)) {
		/* keep the second half: a match spans at most what was asked */
		memmove(seen, seen + sizeof(seen) / 2, sizeof(seen) / 2);
		seen_len -= sizeof(seen) / 2;
		match_from = match_from > sizeof(seen) / 2 ? match_from - sizeof(seen) / 2 : 0;
	}
	memcpy(seen + seen_len, buf, (size_t)n);
	seen_len += (size_t)n;
	return 1;
}

static size_t unescape(const char *s, char *out)
{
	size_t o = 0;

	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			out[o++] = *s;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'x': {
			char hex[3] = { 0 };

			if (s[1] && s[2]) {
				hex[0] = s[1];
				hex[1] = s[2];
				out[o++] = (char)strtol(hex, NULL, 16);
				s += 2;
			}
			break;
		}
		default: out[o++] = *s; break;
		}
	}
	return o;
}

static int done;

/* whether the command ended (reaped into *@status) */
static int ended(pid_t pid, int *status)
{
	if (!done && waitpid(pid, status, WNOHANG) == pid)
		done = 1;
	return done;
}

static int is_raw(const char *slave)
{
	struct termios t;
	int fd = open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC), r = 0;

	if (fd >= 0 && tcgetattr(fd, &t) == 0)
		r = !(t.c_lflag & ICANON);
	if (fd >= 0)
		close(fd);
	return r;
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	const char *slave;
	int i, m, cmd = -1, status, hold;
	double secs = 20;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			cmd = i + 1;
			break;
		}
		if (!strcmp(argv[i], "-T") && i + 1 < argc)
			secs = atof(argv[++i]);
		else if ((!strcmp(argv[i], "-e") || !strcmp(argv[i], "-s")) && i + 1 < argc)
			i++;
		else if (strcmp(argv[i], "-r"))
			cmd = -2;
	}
	if (cmd < 0 || cmd >= argc) {
		fprintf(stderr, "usage: ptydrive [-T SECONDS] [-e TEXT | -s TEXT | -r]... -- CMD [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t_end);
	t_end.tv_sec += (time_t)secs;
	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0 || grantpt(m) || unlockpt(m) || !(slave = ptsname(m))) {
		perror("ptydrive: posix_openpt");
		return 2;
	}
	ioctl(m, TIOCSWINSZ, &ws);
	/* we hold the terminal's slave side open while the steps run: without
	 * it, the master reads as hung up until the command has opened it */
	hold = open(slave, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (hold < 0) {
		perror("ptydrive: open slave");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("ptydrive: fork");
		return 2;
	}
	if (pid == 0) {
		int s;

		setsid();
		s = open(slave, O_RDWR);
		if (s < 0 || ioctl(s, TIOCSCTTY, 0) < 0)
			_exit(127);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		execvp(argv[cmd], argv + cmd);
		fprintf(stderr, "ptydrive: exec %s: %s\n", argv[cmd], strerror(errno));
		_exit(127);
	}
	for (i = 1; i < cmd - 1; i++) {
		if (!strcmp(argv[i], "-T")) {
			i++;
		} else if (!strcmp(argv[i], "-e")) {
			const char *want = argv[++i];
			char *hit;

			for (;;) {
				seen[seen_len] = '\0';
				hit = memmem(seen + match_from, seen_len - match_from, want, strlen(want));
				if (hit) {
					match_from = (size_t)(hit - seen) + strlen(want);
					break;
				}
				if (ms_left() <= 0 || pump(m, 100) < 0 || ended(pid, &status)) {
					fprintf(stderr, "\nptydrive: '%s' not seen\n", want);
					goto fail;
				}
			}
		} else if (!strcmp(argv[i], "-s")) {
			char buf[4096];
			size_t n = unescape(argv[++i], buf);

			if (write(m, buf, n) != (ssize_t)n) {
				perror("ptydrive: write");
				goto fail;
			}
		} else if (!strcmp(argv[i], "-r")) {
			while (!is_raw(slave)) {
				if (ms_left() <= 0 || pump(m, 20) < 0 || ended(pid, &status)) {
					fprintf(stderr, "\nptydrive: the terminal never went raw\n");
					goto fail;
				}
			}
		}
	}
	/* the rest of the output, until the command closes the terminal */
	close(hold);
	while (ms_left() > 0) {
		if (pump(m, ms_left()) < 0)
			break;
	}
	if (ms_left() <= 0) {
		fprintf(stderr, "\nptydrive: the command did not end\n");
		goto fail;
	}
	if (!done)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
fail:
	if (!done) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	return 124;
}
