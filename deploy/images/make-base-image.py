#!/usr/bin/env python3
"""Packs a root filesystem folder into a one-layer image tarball in `docker save` format, which Jib takes as a base
image with quarkus.jib.base-jvm-image=tar:///path/to/it.tar (no Docker daemon, no registry to pull from).

    make-base-image.py <rootfs-dir> <out.tar> <repo:tag>
"""
import hashlib, io, json, os, sys, tarfile, time

rootfs, out, tag = sys.argv[1], sys.argv[2], sys.argv[3]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
    for entry in sorted(os.listdir(rootfs)):
        t.add(os.path.join(rootfs, entry), arcname=entry, recursive=True)
data = layer.getvalue()
diff_id = "sha256:" + hashlib.sha256(data).hexdigest()
config = {
    "architecture": "amd64",
    "os": "linux",
    "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "config": {
        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64", "LANG=C.UTF-8"],
        "User": "185",
        "WorkingDir": "/home/jboss",
        "Labels": {"org.opencontainers.image.description": "Debian bookworm minbase with OpenJDK 17 JRE headless"},
    },
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    "history": [{"created_by": "debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm"}],
}
config_bytes = json.dumps(config).encode()
config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
layer_name = diff_id[len("sha256:"):] + "/layer.tar"
with tarfile.open(out, mode="w") as t:
    def put(name, payload):
        info = tarfile.TarInfo(name)
        info.size = len(payload)
        info.mtime = int(time.time())
        t.addfile(info, io.BytesIO(payload))
    put(layer_name, data)
    put(config_name, config_bytes)
    put("manifest.json", json.dumps([{"Config": config_name, "RepoTags": [tag], "Layers": [layer_name]}]).encode())
print(f"{out}: {tag}, one layer of {len(data) // (1024 * 1024)} MiB")
