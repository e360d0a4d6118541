import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes real OCI image layouts from crafted layers (tests for hostile input, whiteouts, limits).
 * The layout is what `skopeo copy … oci:DIR:tag` writes; override any part to make it hostile.
 */
export interface CraftImage {
  /** Layer blobs as stored (tar, tar+gzip or tar+zstd bytes). */
  readonly layers: readonly Buffer[];
  /** Uncompressed tars, for the config's diff ids (default: the blob itself, i.e. uncompressed). */
  readonly tars?: readonly Buffer[];
  readonly layerMediaType?: string;
  readonly tag?: string;
  /** Replace the config's diff ids (e.g. a wrong one). */
  readonly diffIds?: readonly string[];
  /** Extra fields in the config's `config` object. */
  readonly containerConfig?: Record<string, unknown>;
  /** Replace the manifest bytes after they are built (huge, deeply nested…). */
  readonly manifestBytes?: (built: Buffer) => Buffer;
  /** Corrupt a layer blob after its digest was taken. */
  readonly corruptLayer?: number;
  readonly architecture?: string;
  readonly variant?: string;
}

export interface CraftedLayout {
  readonly dir: string;
  readonly manifestDigest: string;
  readonly configDigest: string;
  readonly layerDigests: readonly string[];
}

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

function putBlob(dir: string, data: Buffer): string {
  const hex = sha256Hex(data);
  writeFileSync(join(dir, 'blobs', 'sha256', hex), data);
  return `sha256:${hex}`;
}

export function writeOciLayout(dir: string, image: CraftImage): CraftedLayout {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const tars = image.tars ?? image.layers;
  const diffIds = image.diffIds ?? tars.map((t) => `sha256:${sha256Hex(t)}`);
  const config = Buffer.from(
    JSON.stringify({
      architecture: image.architecture ?? 'amd64',
      os: 'linux',
      ...(image.variant !== undefined ? { variant: image.variant } : {}),
      config: { Env: ['PATH=/usr/bin:/bin'], ...image.containerConfig },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: image.layers.map(() => ({ created_by: 'crafted' })),
    }),
  );
  const configDigest = putBlob(dir, config);
  const layerDigests = image.layers.map((blob) => putBlob(dir, blob));
  if (image.corruptLayer !== undefined) {
    const digest = layerDigests[image.corruptLayer] as string;
    const blob = Buffer.from(image.layers[image.corruptLayer] as Buffer);
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 0x01;
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), blob);
  }
  const built = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: image.layers.map((blob, i) => ({
        mediaType: image.layerMediaType ?? 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: layerDigests[i],
        size: blob.length,
      })),
    }),
  );
  const manifest = image.manifestBytes?.(built) ?? built;
  const manifestDigest = putBlob(dir, manifest);
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: manifestDigest,
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': image.tag ?? 'test' },
        },
      ],
    }),
  );
  return { dir, manifestDigest, configDigest, layerDigests };
}

/** An oci-archive: the layout folder tarred (with GNU tar, as podman/skopeo users would). */
export function tarLayout(layoutDir: string, archive: string): string {
  execFileSync('tar', ['-C', layoutDir, '-cf', archive, '.']);
  return archive;
}

export interface CraftedIndex {
  readonly dir: string;
  readonly indexDigest: string;
  readonly manifests: readonly { readonly platform: string; readonly digest: string }[];
}

/**
 * A layout whose tag names an image index with one image per platform (what `skopeo copy --all`
 * of a multi-platform image writes). Images are written with writeOciLayout into the same blobs.
 */
export function writeOciIndexLayout(dir: string, images: readonly CraftImage[], tag = 'multi'): CraftedIndex {
  const manifests = images.map((image) => {
    const written = writeOciLayout(dir, image);
    const size = readFileSync(join(dir, 'blobs', 'sha256', written.manifestDigest.slice(7))).length;
    const architecture = image.architecture ?? 'amd64';
    return {
      descriptor: {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: written.manifestDigest,
        size,
        platform: { architecture, os: 'linux', ...(image.variant !== undefined ? { variant: image.variant } : {}) },
      },
      platform: ['linux', architecture, image.variant].filter((p) => p !== undefined).join('/'),
    };
  });
  const index = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: manifests.map((m) => m.descriptor) }),
  );
  const indexDigest = putBlob(dir, index);
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        { mediaType: 'application/vnd.oci.image.index.v1+json', digest: indexDigest, size: index.length, annotations: { 'org.opencontainers.image.ref.name': tag } },
      ],
    }),
  );
  return { dir, indexDigest, manifests: manifests.map((m) => ({ platform: m.platform, digest: m.descriptor.digest })) };
}
