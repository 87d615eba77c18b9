#!/usr/bin/env python3
"""mkoci.py OUT LAYER... [--config JSON] [--zstd] [--lie-digest]: an OCI image
layout in OUT (tag "latest") whose layers are LAYERs, bottom first: a folder
(tarred with its numeric owners) or a ready .tar file (used as is, gzipped
unless --raw).  --config merges JSON into the image config's "config";
--lie-digest writes the last layer's blob with one byte changed (the manifest
keeps the true digest); --zstd compresses with the zstd program."""
import argparse, gzip, hashlib, io, json, os, subprocess, tarfile

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("layers", nargs="+")
ap.add_argument("--config", default="{}")
ap.add_argument("--zstd", action="store_true")
ap.add_argument("--raw", action="store_true", help="a .tar layer is used uncompressed")
ap.add_argument("--lie-digest", action="store_true")
a = ap.parse_args()

blobs = os.path.join(a.out, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)


def put(data):
    d = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, d), "wb") as f:
        f.write(data)
    return "sha256:" + d, len(data)


def tar_dir(path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for n in sorted(dirs) + sorted(files):
                full = os.path.join(root, n)
                t.add(full, arcname=os.path.relpath(full, path), recursive=False)
    return buf.getvalue()


layers, diff_ids = [], []
for i, l in enumerate(a.layers):
    raw = tar_dir(l) if os.path.isdir(l) else open(l, "rb").read()
    diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
    if a.raw and not os.path.isdir(l):
        data, mt = raw, "application/vnd.oci.image.layer.v1.tar"
    elif a.zstd:
        data = subprocess.run(["zstd", "-q", "-c"], input=raw, stdout=subprocess.PIPE,
                              check=True).stdout
        mt = "application/vnd.oci.image.layer.v1.tar+zstd"
    else:
        data, mt = gzip.compress(raw, mtime=0), "application/vnd.oci.image.layer.v1.tar+gzip"
    d, n = put(data)
    if a.lie_digest and i == len(a.layers) - 1:
        bad = bytearray(data)
        bad[len(bad) // 2] ^= 0xFF
        with open(os.path.join(blobs, d[7:]), "wb") as f:
            f.write(bytes(bad))
    layers.append({"mediaType": mt, "digest": d, "size": n})

cfg = {"architecture": "amd64", "os": "linux",
       "config": {"Env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["/bin/sh"]},
       "rootfs": {"type": "layers", "diff_ids": diff_ids}}
cfg["config"].update(json.loads(a.config))
cd, cn = put(json.dumps(cfg).encode())
man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd,
                  "size": cn}, "layers": layers}
md, mn = put(json.dumps(man).encode())
with open(os.path.join(a.out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": mn,
         "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}, f)
with open(os.path.join(a.out, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
print(md)
