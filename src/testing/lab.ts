/**
 * Real lab images for tests, built on first use by tools/lab/ and cached under
 * .cache/lab/<name>/<recipe-hash>/ (git-ignored). Names: 'debian-base', 'node-app', 'big'.
 *
 *   const img = await labImage('node-app');   // in a beforeAll (cold builds take ~20–60 s)
 *   readImage(`oci:${img.ociLayout}:${img.ociLayoutTag}`)
 *
 * Podman commands against `podmanRef` need `labEnv()` (CONTAINERS_CONF + the project's private
 * podman storage), e.g. execFileSync('podman', ['inspect', img.podmanRef], { env: { ...process.env, ...labEnv() } }).
 *
 * Healthcheck: podman keeps it in its storage and the docker archive; converting to OCI
 * (oci-archive, OCI layouts) drops it, as podman and skopeo do for every user.
 */
import { buildImage, buildRootfs, type LabImage, type LabRootfs } from '../../tools/lab/build.ts';
import { labEnv as toolsLabEnv } from '../../tools/lab/paths.ts';
import { RECIPES } from '../../tools/lab/recipes.ts';
import { requirePeer } from './peers.ts';

export type { LabImage, LabRootfs };

export type LabImageName = 'debian-base' | 'node-app' | 'big' | 'debian-vuln';

export const LAB_IMAGE_NAMES: readonly LabImageName[] = Object.freeze(Object.keys(RECIPES) as LabImageName[]);

const ROOTFS_PEERS = ['apt-get', 'dpkg-deb', 'dpkg', 'tar', 'npm'] as const;
const IMAGE_PEERS = ['podman', 'runc', 'skopeo'] as const;

function requireAll(peers: readonly string[]): void {
  // Under CI a missing peer throws; elsewhere the build itself would fail, so be strict here too.
  for (const peer of peers) requirePeer(peer, { strict: true });
}

/**
 * A lab image in every form: the root filesystem folder, `podman save` OCI and docker archives,
 * an OCI layout (gzip layers, tag `ociLayoutTag`), the same with zstd layers, and the image in
 * the project's podman storage. Builds on first call; cached afterwards (also across processes).
 */
export async function labImage(name: LabImageName): Promise<LabImage> {
  requireAll([...ROOTFS_PEERS, ...IMAGE_PEERS]);
  return buildImage(name);
}

/**
 * Only the root filesystem (Debian packages with a genuine /var/lib/dpkg, npm node_modules,
 * Python dist-info), plus what was installed: `dpkg` lists name/version/architecture/source.
 */
export async function labRootfs(name: LabImageName): Promise<LabRootfs> {
  requireAll(ROOTFS_PEERS);
  return buildRootfs(name);
}

/** CONTAINERS_CONF and CONTAINERS_STORAGE_CONF for podman/skopeo/buildah calls on lab images. */
export function labEnv(): Record<string, string> {
  return toolsLabEnv();
}
