#!/usr/bin/env python3
"""mklayer.py OUT KIND: a layer tar for the image tests.
  overlay   whiteout etc/.wh.hostname, opaque var/www with new.html, srv/a + hard link srv/b
  dotdot    an entry ../escaped
  abs       an entry /abs-escaped
  symlink   a symlink out -> TARGET_DIR, then out/escaped through it
  hardlink  a hard link to ../../etc/passwd
  device    a character device dev/evil (1,3)
  truncated a file entry whose data is cut short
  highuid   a file owned by 70000:70000 (beyond a 65536-ID subordinate range)
  many      N (env MANY, default 2000) empty files"""
import io, os, sys, tarfile

out, kind = sys.argv[1], sys.argv[2]
target = os.environ.get("TARGET_DIR", "/tmp")


def entry(t, name, typ=tarfile.REGTYPE, data=b"", **kw):
    ti = tarfile.TarInfo(name)
    ti.type = typ
    ti.mode = kw.pop("mode", 0o644 if typ == tarfile.REGTYPE else 0o755)
    for k, v in kw.items():
        setattr(ti, k, v)
    ti.size = len(data) if typ == tarfile.REGTYPE else 0
    t.addfile(ti, io.BytesIO(data) if typ == tarfile.REGTYPE else None)


buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
    if kind == "overlay":
        entry(t, "etc", tarfile.DIRTYPE)
        entry(t, "etc/.wh.hostname")
        entry(t, "var/www", tarfile.DIRTYPE)
        entry(t, "var/www/.wh..wh..opq")
        entry(t, "var/www/new.html", data=b"new\n")
        entry(t, "srv", tarfile.DIRTYPE)
        entry(t, "srv/a", data=b"linked\n")
        entry(t, "srv/b", tarfile.LNKTYPE, linkname="srv/a")
    elif kind == "dotdot":
        entry(t, "ok", data=b"x")
        entry(t, "../escaped", data=b"x")
    elif kind == "abs":
        entry(t, "/abs-escaped", data=b"x")
    elif kind == "symlink":
        entry(t, "out", tarfile.SYMTYPE, linkname=target)
        entry(t, "out/escaped", data=b"x")
    elif kind == "hardlink":
        entry(t, "pw", tarfile.LNKTYPE, linkname="../../etc/passwd")
    elif kind == "device":
        entry(t, "dev", tarfile.DIRTYPE)
        entry(t, "dev/evil", tarfile.CHRTYPE, devmajor=1, devminor=3)
    elif kind == "truncated":
        entry(t, "big", data=b"y" * 100000)
    elif kind == "highuid":
        entry(t, "high", data=b"x", uid=70000, gid=70000)
    elif kind == "many":
        entry(t, "many", tarfile.DIRTYPE)
        for i in range(int(os.environ.get("MANY", "2000"))):
            entry(t, "many/f%d" % i)
data = buf.getvalue()
if kind == "truncated":
    data = data[:60000]
open(out, "wb").write(data)
