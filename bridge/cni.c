// SPDX-License-Identifier: GPL-2.0-or-later
/* cni.c - CNI plugin face (placeholder) */
#include "cni.h"

int cni_main(const char *argv0)
{
	(void)argv0;
	return 1;
}
