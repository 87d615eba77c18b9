// SPDX-License-Identifier: GPL-2.0-or-later
/* isolation.c - drop capabilities after start-up */

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "isolation.h"
#include "log.h"

int isolate(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	const unsigned keep = CAP_NET_BIND_SERVICE;
	unsigned c;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		warn("prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		return -errno;
	}
	if (syscall(SYS_capget, &hdr, data)) {
		warn("capget: %s", strerror(errno));
		return -errno;
	}
	if (!(data[0].permitted | data[1].permitted))
		return 0;			/* nothing to give up */
	for (c = 0; c < 64; c++) {
		if (c == keep)
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) && errno == EINVAL)
			break;			/* past the kernel's last capability */
	}
	memset(data, 0, sizeof(data));
	if (hdr.version == _LINUX_CAPABILITY_VERSION_3) {
		data[keep / 32].permitted = 1u << (keep % 32);
		data[keep / 32].effective = 1u << (keep % 32);
	}
	hdr.pid = 0;
	if (syscall(SYS_capset, &hdr, data)) {
		warn("capset: %s", strerror(errno));
		return -errno;
	}
	return 0;
}
