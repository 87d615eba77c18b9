// SPDX-License-Identifier: GPL-2.0-or-later
/* test_launcher_image.c - image references, digests, the store's index */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "launcher/image.h"

static void norm(const char *ref, const char *name, const char *src)
{
	char n[IMAGE_NAME_LEN], s[IMAGE_NAME_LEN + 16];

	assert_int_equal(image_normalize(ref, n, sizeof(n), s, sizeof(s)), 0);
	assert_string_equal(n, name);
	assert_string_equal(s, src);
}

static void references_normalize(void **state)
{
	char n[IMAGE_NAME_LEN], s[IMAGE_NAME_LEN + 16];

	(void)state;
	norm("busybox", "docker.io/library/busybox:latest", "docker://docker.io/library/busybox:latest");
	norm("busybox:1.36", "docker.io/library/busybox:1.36", "docker://docker.io/library/busybox:1.36");
	norm("user/app", "docker.io/user/app:latest", "docker://docker.io/user/app:latest");
	norm("127.0.0.1:5000/busybox", "127.0.0.1:5000/busybox:latest",
	     "docker://127.0.0.1:5000/busybox:latest");
	norm("quay.io/a/b:2", "quay.io/a/b:2", "docker://quay.io/a/b:2");
	norm("localhost/x", "localhost/x:latest", "docker://localhost/x:latest");
	norm("docker://busybox", "docker.io/library/busybox:latest",
	     "docker://docker.io/library/busybox:latest");
	norm("busybox@sha256:0123", "docker.io/library/busybox@sha256:0123",
	     "docker://docker.io/library/busybox@sha256:0123");
	norm("oci:/tmp/x:latest", "oci:/tmp/x:latest", "oci:/tmp/x:latest");
	norm("oci-archive:/tmp/a.tar", "oci-archive:/tmp/a.tar", "oci-archive:/tmp/a.tar");
	norm("docker-archive:/tmp/d.tar", "docker-archive:/tmp/d.tar", "docker-archive:/tmp/d.tar");
	assert_int_equal(image_normalize("", n, sizeof(n), s, sizeof(s)), -EINVAL);
	assert_int_equal(image_normalize("a b", n, sizeof(n), s, sizeof(s)), -EINVAL);
	assert_int_equal(image_normalize("a\nb", n, sizeof(n), s, sizeof(s)), -EINVAL);
}

static void digests_are_checked(void **state)
{
	char p[256];

	(void)state;
	assert_non_null(image_blob_path("/s", "sha256:0123456789abcdef0123456789abcdef"
					"0123456789abcdef0123456789abcdef", p, sizeof(p)));
	assert_string_equal(p, "/s/blobs/sha256/0123456789abcdef0123456789abcdef"
			    "0123456789abcdef0123456789abcdef");
	assert_null(image_blob_path("/s", "sha256:../../etc/passwd", p, sizeof(p)));
	assert_null(image_blob_path("/s", "sha512:0123", p, sizeof(p)));
	assert_null(image_blob_path("/s", "sha256:0123456789ABCDEF0123456789abcdef"
				    "0123456789abcdef0123456789abcdef", p, sizeof(p)));
	assert_null(image_blob_path("/s", "sha256:0123456789abcdef0123456789abcdef"
				    "0123456789abcdef0123456789abcdef0", p, sizeof(p)));
	assert_null(image_blob_path("/s", NULL, p, sizeof(p)));
}

static void sha256_of_a_file(void **state)
{
	char path[] = "/tmp/test_image_XXXXXX", d[IMAGE_DIGEST_LEN + 1];
	long long size;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_int_equal(image_sha256_file(path, d, &size), 0);
	assert_string_equal(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(size, 3);
	unlink(path);
	assert_int_equal(image_sha256_file(path, d, &size), -ENOENT);
}

static void transports_make_refs(void **state)
{
	(void)state;
	assert_int_equal(image_is_ref("docker://x"), 1);
	assert_int_equal(image_is_ref("oci:/nonexistent"), 1);
	assert_int_equal(image_is_ref("/"), 0);
	assert_int_equal(image_is_ref("/nonexistent/dir"), 0);
	assert_int_equal(image_is_ref("./nonexistent"), 0);
	assert_int_equal(image_is_ref("nonexistent-name"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(references_normalize),
		cmocka_unit_test(digests_are_checked),
		cmocka_unit_test(sha256_of_a_file),
		cmocka_unit_test(transports_make_refs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
