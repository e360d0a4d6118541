#!/usr/bin/env bash
# Installs the Debian peers the test suite and the lab image builder need, when missing.
# Idempotent and fast when everything is present (only `command -v` checks).
#   as root:      apt-get update + apt-get install -y <missing packages>
#   not root:     prints what is missing; exits 1 under CI=true, 0 otherwise
# Also writes .cache/containers.conf (podman settings for these machines); tools and tests
# export CONTAINERS_CONF pointing at it.
set -euo pipefail
cd "$(dirname "$0")/.."

# command -> Debian package
PEERS=(
  "podman:podman"
  "runc:runc"
  "skopeo:skopeo"
  "umoci:umoci"
  "buildah:buildah"
  "docker-registry:docker-registry"
  "git:git"
  "gpg:gnupg"
  "ssh-keygen:openssh-client"
  "zstd:zstd"
  "/usr/bin/time:time"
  "dpkg-deb:dpkg"
  "apt-get:apt"
  "tar:tar"
  "gzip:gzip"
  "openssl:openssl"
  "readelf:binutils"
  "rpm:rpm"
  "java:default-jre-headless"
  "mvn:maven"
  "/usr/bin/python3:python3"
)

missing_pkgs=()
missing_cmds=()
for entry in "${PEERS[@]}"; do
  cmd="${entry%%:*}"
  pkg="${entry#*:}"
  if ! command -v "$cmd" >/dev/null 2>&1; then
    missing_cmds+=("$cmd")
    missing_pkgs+=("$pkg")
  fi
done

if ((${#missing_pkgs[@]} > 0)); then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing_pkgs[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing_pkgs[@]}" >&2
  else
    echo "setup: missing tools: ${missing_cmds[*]}" >&2
    echo "setup: as root run: apt-get update && apt-get install -y ${missing_pkgs[*]}" >&2
    if [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; then
      exit 1
    fi
  fi
fi

# The PEP 440 cross-check needs Python's `packaging` (Debian: python3-packaging for /usr/bin/python3).
if ! python3 -c 'import packaging.version' >/dev/null 2>&1 && ! /usr/bin/python3 -c 'import packaging.version' >/dev/null 2>&1; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing python3-packaging" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-packaging >&2 || {
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-packaging >&2
    }
  else
    echo "setup: missing Python's packaging module (apt-get install python3-packaging)" >&2
    if [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; then exit 1; fi
  fi
fi

# The lab image builder uses `apt-get download`, which needs package indexes.
if command -v apt-get >/dev/null 2>&1 && ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  if [[ "$(id -u)" == "0" ]]; then
    echo "setup: apt-get update (no package indexes yet)" >&2
    apt-get update -qq
  else
    echo "setup: apt has no package indexes; run 'apt-get update' as root" >&2
    if [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; then exit 1; fi
  fi
fi

mkdir -p .cache
if ! cmp -s tools/lab/containers.conf .cache/containers.conf; then
  cp tools/lab/containers.conf .cache/containers.conf.tmp.$$
  mv .cache/containers.conf.tmp.$$ .cache/containers.conf
fi
