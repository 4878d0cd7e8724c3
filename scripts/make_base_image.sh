#!/usr/bin/env bash
# Makes the base image the Bento's generated Dockerfile starts from (python:3.11-slim) out of
# Debian's packages, for machines that can reach Debian's mirror and PyPI but no container
# registry. A machine that can pull from Docker Hub does not need this (make image BASE=pull).
#
# The image is Debian bookworm's python3 (3.11) under the name the Dockerfile expects, so
# `bentoml containerize` finds it in local storage and pulls nothing.
#
#   scripts/make_base_image.sh [NAME]    NAME defaults to python:3.11-slim
#
# Does nothing when an image of that name is already in the local storage.
set -euo pipefail
NAME="${1:-python:3.11-slim}"
# Debian's buildah (1.28) cannot use overlay storage inside this kind of machine; vfs works
# everywhere. podman and `bentoml containerize --backend buildah` read the same storage when given
# the same driver (STORAGE_DRIVER).
export STORAGE_DRIVER="${STORAGE_DRIVER:-vfs}"
HERE="$(cd "$(dirname "$0")" && pwd)"

# runc: podman runs the image with it, since its default crun refuses hosts with hybrid cgroups.
for tool in mmdebstrap buildah podman runc; do
  command -v "$tool" >/dev/null || "$HERE/apt_install.sh" mmdebstrap buildah podman runc
done

# Short names like python:3.11-slim resolve to docker.io/library/... in the local storage.
if buildah images --noheading --format '{{.Name}}:{{.Tag}}' | grep -Eqx "(docker\.io/library/)?${NAME}"; then
  echo "base image $NAME already present"
  exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# passwd: BentoML's Dockerfile adds its own user (useradd); python3-venv/pip: it installs with pip.
mmdebstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates,passwd \
  --customize-hook='cp /etc/ssl/certs/ca-certificates.crt "$1/usr/local/share/ca-certificates/host-ca.crt"' \
  --customize-hook='chroot "$1" update-ca-certificates' \
  `# pip refuses to install into Debian's python without this gone (PEP 668); the image is its own world.` \
  --customize-hook='rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED' \
  --customize-hook='ln -sf python3 "$1/usr/bin/python"' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  bookworm "$WORK/rootfs.tar"

ctr="$(buildah from scratch)"
buildah add "$ctr" "$WORK/rootfs.tar" / >/dev/null
# uv (which BentoML's Dockerfile installs with) trusts its own bundled roots, not the system's, so
# behind a TLS-intercepting proxy it fails with UnknownIssuer unless pointed at the system store.
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --env LANG=C.UTF-8 --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt --env UV_NATIVE_TLS=true \
  --cmd python3 "$ctr"
buildah commit --quiet "$ctr" "$NAME" >/dev/null
buildah rm "$ctr" >/dev/null
echo "base image $NAME made from Debian bookworm"
