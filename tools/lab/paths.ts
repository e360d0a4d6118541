import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tools/lab/ is two levels down). */
export const REPO_ROOT: string = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
/** Git-ignored cache root. */
export const CACHE_DIR: string = join(REPO_ROOT, '.cache');
/** Lab images: .cache/lab/<name>/<recipe-hash>/ */
export const LAB_DIR: string = join(CACHE_DIR, 'lab');
/** Downloaded Debian packages, shared by every recipe: .cache/lab/debs/ */
export const DEB_CACHE_DIR: string = join(LAB_DIR, 'debs');
/** Podman storage private to the project: .cache/podman/{storage,run} */
export const PODMAN_DIR: string = join(CACHE_DIR, 'podman');
export const CONTAINERS_CONF: string = join(CACHE_DIR, 'containers.conf');
export const STORAGE_CONF: string = join(PODMAN_DIR, 'storage.conf');

function writeIfChanged(path: string, content: string): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return;
  const tmp = `${path}.tmp.${String(process.pid)}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/**
 * Environment for podman, buildah and skopeo: the machine's working containers.conf
 * (tools/lab/containers.conf, copied by tools/setup.sh) and storage isolated in .cache/podman,
 * so nothing depends on or changes the machine's global podman state.
 */
export function labEnv(): Record<string, string> {
  mkdirSync(PODMAN_DIR, { recursive: true });
  if (!existsSync(CONTAINERS_CONF)) {
    const tmp = `${CONTAINERS_CONF}.tmp.${String(process.pid)}`;
    copyFileSync(join(REPO_ROOT, 'tools/lab/containers.conf'), tmp);
    renameSync(tmp, CONTAINERS_CONF);
  }
  writeIfChanged(
    STORAGE_CONF,
    [
      '# Written by tools/lab/paths.ts: podman storage private to this checkout.',
      '[storage]',
      'driver = "overlay"',
      `graphroot = "${join(PODMAN_DIR, 'storage')}"`,
      `runroot = "${join(PODMAN_DIR, 'run')}"`,
      '',
    ].join('\n'),
  );
  return { CONTAINERS_CONF, CONTAINERS_STORAGE_CONF: STORAGE_CONF };
}
