// SPDX-License-Identifier: GPL-2.0-or-later
/* notify.c - seccomp user notification plumbing */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "cleanup.h"
#include "file.h"
#include "notify.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL
#endif

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS	/* Linux 6.6 uapi, newer than Debian 12's headers */
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif

int notify_sync_wakeup(int lfd)
{
	return ioctl(lfd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0 ?
	       -errno : 0;
}

int notify_recv(int lfd, struct seccomp_notif *n)
{
	memset(n, 0, sizeof(*n));
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, n) < 0)
		return -errno;
	return 0;
}

int notify_valid(int lfd, uint64_t id)
{
	return ioctl(lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* send one response */
static int respond(int lfd, uint64_t id, int64_t val, int error, uint32_t flags)
{
	struct seccomp_notif_resp r = { .id = id, .val = val, .error = error, .flags = flags };

	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &r) < 0)
		return -errno;
	return 0;
}

int notify_continue(int lfd, uint64_t id)
{
	return respond(lfd, id, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
}

int notify_reply(int lfd, uint64_t id, int64_t val)
{
	if (val < 0)
		return respond(lfd, id, 0, (int)val, 0);
	return respond(lfd, id, val, 0, 0);
}

int notify_setfd(int lfd, uint64_t id, int src, int target, int cloexec)
{
	struct seccomp_notif_addfd a = {
		.id = id,
		.flags = SECCOMP_ADDFD_FLAG_SETFD,
		.srcfd = (uint32_t)src,
		.newfd = (uint32_t)target,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int r = ioctl(lfd, SECCOMP_IOCTL_NOTIF_ADDFD, &a);

	if (r < 0)
		return -errno;
	return r == target ? 0 : -EBADF;
}

ssize_t notify_read_mem(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec l = { .iov_base = buf, .iov_len = len };
	struct iovec r = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	ssize_t n;

	if (!addr)
		return -EFAULT;
	n = process_vm_readv(tid, &l, 1, &r, 1, 0);
	if (n < 0)
		return -errno;
	return n;
}

int notify_write_mem(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec l = { .iov_base = (void *)buf, .iov_len = len };
	struct iovec r = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	ssize_t n;

	if (!addr)
		return -EFAULT;
	n = process_vm_writev(tid, &l, 1, &r, 1, 0);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

int notify_cloexec(pid_t tid, int fd)
{
	char path[64], buf[256], *p;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)tid, fd);
	if (file_read_text(path, buf, sizeof(buf)) <= 0)
		return 0;
	p = strstr(buf, "flags:");
	if (!p)
		return 0;
	return (strtoul(p + 6, NULL, 8) & O_CLOEXEC) != 0;
}

/*
 * The pidfd of the last thread we served: a loop of calls from one thread
 * (the common case) costs no pidfd_open()/close() per call.  Quota one;
 * another thread replaces it.  A pidfd names its task, never a later one
 * with the same number, so a stale entry fails (ESRCH) and is made again.
 */
static struct {
	pid_t tid;
	int fd;
} last_pidfd = { 0, -1 };

static int pidfd_of(pid_t tid, int fresh)
{
	int p;

	if (!fresh && last_pidfd.fd >= 0 && last_pidfd.tid == tid)
		return last_pidfd.fd;
	if (last_pidfd.fd >= 0)
		close(last_pidfd.fd);
	last_pidfd.fd = -1;
	/* pidfds are close-on-exec */
	p = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (p < 0 && errno == EINVAL)
		p = (int)syscall(SYS_pidfd_open, tid, 0);
	if (p < 0)
		return -errno;
	last_pidfd.tid = tid;
	last_pidfd.fd = p;
	return p;
}

int notify_getfd(pid_t tid, int fd)
{
	int pidfd, r, fresh;

	if (fd < 0)
		return -EBADF;
	for (fresh = 0; fresh < 2; fresh++) {
		pidfd = pidfd_of(tid, fresh);
		if (pidfd < 0)
			return pidfd;
		r = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		if (r >= 0)
			return r;
		if (errno != ESRCH)
			return -errno;
	}
	return -ESRCH;
}
