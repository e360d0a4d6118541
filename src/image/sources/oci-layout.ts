import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { AppError, isAppError } from '../../core/errors.ts';
import { digestAlgorithm, digestHex } from '../../core/digest.ts';
import { parseJsonLimited } from '../../oci/index.ts';
import { parseManifest, selectPlatform, hostPlatform } from '../../oci/index.ts';
import type { Descriptor, Platform } from '../../oci/types.ts';
import type { ImageLimits } from '../limits.ts';
import type { ImageSource, SourceKind } from '../types.ts';
import { BLOB_READ_CHUNK } from '../layer/compression.ts';
import { readWholeFile } from '../file-read.ts';
import { jsonLimits, openVerified, readLayerVerified, resolveManifest, toResolvedImage, type BlobAccess } from './blob-access.ts';
import { indexTarFile } from './tar-index.ts';

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/** Files of an OCI image layout, wherever they live (a folder, or members of an archive). */
export interface LayoutFiles {
  /** A file's bytes, or undefined when absent; LIMIT_MANIFEST_SIZE above `limit`. */
  read(relative: string, limit: number): Promise<Buffer | undefined>;
  open(relative: string): Promise<Readable>;
}

export function blobPath(descriptor: Pick<Descriptor, 'digest'>): string {
  return `blobs/${digestAlgorithm(descriptor.digest)}/${digestHex(descriptor.digest)}`;
}

/** `oci:DIR[:tag]`: an OCI image layout folder. */
export function openOciLayoutSource(source: string, dir: string, tag: string | undefined, limits: ImageLimits): ImageSource {
  const files: LayoutFiles = {
    async read(relative, limit) {
      try {
        return await readWholeFile(join(dir, relative), {
          check: (size) => {
            if (size > limit) {
              throw new AppError('LIMIT_MANIFEST_SIZE', 'a file of the OCI layout is larger than the limit', { details: { file: relative, size, limit } });
            }
          },
        });
      } catch (cause) {
        if (isAppError(cause)) throw cause;
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new AppError('IO_FAILED', 'cannot read a file of the OCI layout', { cause, details: { file: relative } });
      }
    },
    async open(relative) {
      const handle = await open(join(dir, relative), constants.O_RDONLY).catch((cause: unknown) => {
        throw new AppError('OCI_BLOB_UNKNOWN', 'a blob is missing from the OCI layout', { cause, details: { blob: relative } });
      });
      return handle.createReadStream({ highWaterMark: BLOB_READ_CHUNK });
    },
  };
  return layoutSource('oci', source, files, tag, limits, async () => {
    const info = await stat(dir).catch((cause: unknown) => {
      throw new AppError('SOURCE_NOT_FOUND', 'the OCI layout folder does not exist', { cause, details: { path: dir } });
    });
    if (!info.isDirectory()) throw new AppError('SOURCE_INVALID', 'the OCI layout is not a folder', { details: { path: dir } });
  });
}

/** `oci-archive:FILE[:tag]`: a tar of an OCI layout, read in place (members by offset), never extracted. */
export function openOciArchiveSource(source: string, file: string, tag: string | undefined, limits: ImageLimits): ImageSource {
  let files: LayoutFiles | undefined;
  const load = async (): Promise<void> => {
    const index = await indexTarFile(file, { maxEntries: limits.maxEntries, maxPathLength: limits.maxPathLength });
    files = {
      async read(relative, limit) {
        const member = index.find(relative);
        return member === undefined ? undefined : index.read(member, limit);
      },
      async open(relative) {
        const member = index.find(relative);
        if (member === undefined) throw new AppError('OCI_BLOB_UNKNOWN', 'a blob is missing from the OCI archive', { details: { blob: relative } });
        return index.open(member);
      },
    };
  };
  const lazy: LayoutFiles = {
    read: (relative, limit) => (files as LayoutFiles).read(relative, limit),
    open: (relative) => (files as LayoutFiles).open(relative),
  };
  return layoutSource('oci-archive', source, lazy, tag, limits, load);
}

function layoutSource(
  kind: SourceKind,
  source: string,
  files: LayoutFiles,
  tag: string | undefined,
  limits: ImageLimits,
  prepare: () => Promise<void>,
): ImageSource {
  const access: BlobAccess = {
    async readBlob(descriptor, limit) {
      const bytes = await files.read(blobPath(descriptor), limit);
      if (bytes === undefined) throw new AppError('OCI_BLOB_UNKNOWN', 'a blob is missing from the OCI layout', { details: { digest: descriptor.digest } });
      return bytes;
    },
    openBlob: (descriptor) => files.open(blobPath(descriptor)),
  };
  return {
    kind,
    description: source,
    async resolve(options = {}) {
      await prepare();
      const layoutBytes = await files.read('oci-layout', limits.maxManifestBytes);
      if (layoutBytes === undefined) throw new AppError('OCI_LAYOUT_INVALID', 'the OCI layout has no oci-layout file', { details: { source } });
      const layout = parseJsonLimited(layoutBytes, jsonLimits(limits), 'OCI_LAYOUT_INVALID') as { imageLayoutVersion?: unknown };
      if (typeof layout !== 'object' || layout === null || typeof layout.imageLayoutVersion !== 'string') {
        throw new AppError('OCI_LAYOUT_INVALID', 'the oci-layout file has no imageLayoutVersion', { details: { source } });
      }
      const indexBytes = await files.read('index.json', limits.maxManifestBytes);
      if (indexBytes === undefined) throw new AppError('OCI_LAYOUT_INVALID', 'the OCI layout has no index.json', { details: { source } });
      let index;
      try {
        index = parseManifest(indexBytes, undefined, jsonLimits(limits));
      } catch (error) {
        if (isAppError(error, 'OCI_MANIFEST_INVALID')) throw new AppError('OCI_LAYOUT_INVALID', 'index.json is not a valid image index', { cause: error });
        throw error;
      }
      if (index.kind !== 'index') throw new AppError('OCI_LAYOUT_INVALID', 'index.json is not an image index', { details: { source } });
      const top = pickImage(index.manifests, tag, options.platform, source);
      const parts = await resolveManifest(access, top, limits, options);
      return toResolvedImage(
        source,
        kind,
        parts,
        limits,
        (layer) => openVerified(access, layer.descriptor),
        (layer) => readLayerVerified(access, layer.descriptor),
      );
    },
    async close() {
      return undefined;
    },
  };
}

function pickImage(manifests: readonly Descriptor[], tag: string | undefined, platform: Platform | undefined, source: string): Descriptor {
  if (tag !== undefined) {
    const named = manifests.filter((d) => d.annotations?.[REF_NAME_ANNOTATION] === tag);
    if (named.length === 0) throw new AppError('SOURCE_NOT_FOUND', 'no image with that tag in the OCI layout', { details: { source, tag } });
    if (named.length === 1) return named[0] as Descriptor;
    return selectPlatform({ manifests: named }, platform ?? hostPlatform());
  }
  if (manifests.length === 0) throw new AppError('SOURCE_NOT_FOUND', 'the OCI layout holds no image', { details: { source } });
  if (manifests.length === 1) return manifests[0] as Descriptor;
  if (manifests.every((d) => d.platform !== undefined)) return selectPlatform({ manifests }, platform ?? hostPlatform());
  throw new AppError('SOURCE_INVALID', 'the OCI layout holds several images; name one with :tag', {
    details: { source, images: manifests.length },
  });
}
