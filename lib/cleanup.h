/* SPDX-License-Identifier: GPL-2.0-or-later
 * cleanup.h - scope-bound release of fds and heap memory
 *
 *	_cleanup_close_ int fd = open(...);   closed when fd goes out of scope
 *	_cleanup_free_ char *s = strdup(...); freed when s goes out of scope
 * Hand ownership on with take_fd(&fd) / take_ptr(&p).
 */
#ifndef BURROW_CLEANUP_H
#define BURROW_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void cleanup_closep(int *fd)
{
	int saved = errno;

	if (*fd >= 0)
		close(*fd);
	errno = saved;
}

static inline void cleanup_freep(void *p)
{
	free(*(void **)p);
}

static inline void cleanup_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/* take_fd() - return *fd and leave -1 behind, so cleanup does not close it */
static inline int take_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

/* take_ptr() - return *p and leave NULL behind */
static inline void *take_ptr(void *p)
{
	void *r = *(void **)p;

	*(void **)p = NULL;
	return r;
}

#define _cleanup_close_  __attribute__((cleanup(cleanup_closep)))
#define _cleanup_free_   __attribute__((cleanup(cleanup_freep)))
#define _cleanup_fclose_ __attribute__((cleanup(cleanup_fclosep)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif /* BURROW_CLEANUP_H */
