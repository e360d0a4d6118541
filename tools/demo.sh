#!/usr/bin/env bash
# The main job on embedded defaults (npm run demo): build a real lab image from Debian and npm
# packages with podman, then run the Tollgate CLI chain on it end to end. Verbs that
# `tollgate --help` does not list yet are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

major="$(node -p 'process.versions.node.split(".")[0]')"
if (( major < 24 )); then
  echo "demo: needs Node 24 (the 'node' devDependency); run it as: npm ci && npm run demo" >&2
  exit 7
fi
export CONTAINERS_CONF="$PWD/.cache/containers.conf"

IMAGE="${1:-node-app}"
tollgate() { node bin/tollgate.js --data-dir .cache/demo/data "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
VERBS="$(tollgate --help | awk '/^Commands:/{c=1;next} c&&/^  [a-z]/{print $1} /^$/{c=0}')"
has() { grep -qx "$1" <<<"$VERBS"; }
# Gate verbs exit 1 when the gate says no; that is a result, not a demo failure.
gate() { set +e; "$@"; local rc=$?; set -e; if (( rc > 1 )); then exit "$rc"; fi; }

step "building lab image '$IMAGE' (Debian bookworm packages + npm + podman build; cached in .cache/lab)"
LAB_JSON="$(node tools/lab/build.ts "$IMAGE")"
field() { node -e 'const j=JSON.parse(process.argv[1]); process.stdout.write(String(Object.values(j)[0][process.argv[2]]))' "$LAB_JSON" "$1"; }
OCI_ARCHIVE="$(field ociArchive)"
DOCKER_ARCHIVE="$(field dockerArchive)"
OCI_LAYOUT="$(field ociLayout):$(field ociLayoutTag)"
ROOTFS="$(field rootfs)"
DOCKERFILE="$(dirname "$OCI_ARCHIVE")/context/Dockerfile"
mkdir -p .cache/demo

if has ref; then
  step "tollgate ref $(field podmanRef)"
  tollgate ref "$(field podmanRef)"
fi

if has inspect; then
  step "tollgate inspect oci-archive:$OCI_ARCHIVE"
  tollgate inspect "oci-archive:$OCI_ARCHIVE"
  step "tollgate inspect docker-archive:$DOCKER_ARCHIVE --format json  (config, first lines)"
  tollgate inspect "docker-archive:$DOCKER_ARCHIVE" --format json -o .cache/demo/inspect.json
  head -c 1200 .cache/demo/inspect.json; echo
  step "tollgate inspect oci:$OCI_LAYOUT --files  (file index, first lines)"
  tollgate inspect "oci:$OCI_LAYOUT" --files -o .cache/demo/files.txt
  grep -E 'lab-suid|hello|os-release' .cache/demo/files.txt | head -n 12 || true
  echo "($(wc -l < .cache/demo/files.txt) lines in .cache/demo/files.txt)"
fi

if has lint && [[ -f "$DOCKERFILE" ]]; then
  step "tollgate lint $DOCKERFILE"
  gate tollgate lint "$DOCKERFILE"
fi

if has sbom; then
  step "tollgate sbom oci-archive:… --format table"
  tollgate sbom "oci-archive:$OCI_ARCHIVE" --format table -o .cache/demo/sbom.txt
  head -n 25 .cache/demo/sbom.txt
  echo "($(wc -l < .cache/demo/sbom.txt) lines in .cache/demo/sbom.txt)"
  step "tollgate sbom dir:$ROOTFS --format cyclonedx-json -o .cache/demo/sbom.cdx.json"
  tollgate sbom "dir:$ROOTFS" --format cyclonedx-json -o .cache/demo/sbom.cdx.json
  ls -l .cache/demo/sbom.cdx.json
fi

if has scan && has db; then
  # Real Debian facts, offline: an image with older bookworm uploads of curl, openssl, expat and
  # libxml2, and Debian:12 advisories derived from the current uploads' changelog.Debian.gz.
  step "building lab image 'debian-vuln' and deriving Debian:12 advisories from changelogs"
  VULN_JSON="$(node tools/lab/build.ts debian-vuln)"
  VULN_ARCHIVE="$(node -e 'const j=JSON.parse(process.argv[1]); process.stdout.write(Object.values(j)[0].ociArchive)' "$VULN_JSON")"
  rm -rf .cache/demo/advisories .cache/demo/vuln.db
  node tools/debian-osv.ts .cache/demo/advisories curl libcurl4 openssl libssl3 libexpat1 libxml2
  step "tollgate db import .cache/demo/advisories"
  tollgate db import .cache/demo/advisories --db .cache/demo/vuln.db
  step "tollgate scan oci-archive:… (debian-vuln) --fail-on high"
  gate tollgate scan "oci-archive:$VULN_ARCHIVE" --db .cache/demo/vuln.db --fail-on high -o .cache/demo/scan.txt
  head -n 25 .cache/demo/scan.txt
  echo "($(wc -l < .cache/demo/scan.txt) lines in .cache/demo/scan.txt)"
  step "tollgate scan … --ignore-unreachable --vex-out .cache/demo/vex.json (reachability from ENTRYPOINT/CMD)"
  gate tollgate scan "oci-archive:$VULN_ARCHIVE" --db .cache/demo/vuln.db --ignore-unreachable --vex-out .cache/demo/vex.json
fi

step "done: outputs in .cache/demo/"
