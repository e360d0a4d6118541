import { PassThrough, type Readable } from 'node:stream';
import { AppError, isAppError } from '../../core/errors.ts';
import { isDigest } from '../../core/digest.ts';
import { parseImageConfig, parseManifest, selectPlatform, verifyBytes, hostPlatform } from '../../oci/index.ts';
import { MEDIA_TYPES } from '../../oci/index.ts';
import { createVerifyingStream } from '../../oci/index.ts';
import type { AnyManifest, Descriptor, ImageManifest, Platform } from '../../oci/types.ts';
import type { Digest } from '../../core/digest.ts';
import type { ImageLimits } from '../limits.ts';
import type { LayerInfo, ResolvedImage, ResolveOptions, SourceKind } from '../types.ts';

/** Content-addressed access to a source's blobs (layout folder, archive, registry). */
export interface BlobAccess {
  /** The blob's bytes, unverified (the caller verifies). SOURCE_NOT_FOUND / OCI_BLOB_UNKNOWN if absent. */
  readBlob(descriptor: Descriptor, limit: number): Promise<Buffer>;
  /** The blob as a stream, unverified (the caller wraps it in a verifying stream). */
  openBlob(descriptor: Descriptor): Promise<Readable>;
}

const LAYER_TYPES: readonly string[] = [
  MEDIA_TYPES.ociLayerTar,
  MEDIA_TYPES.ociLayerGzip,
  MEDIA_TYPES.ociLayerZstd,
  MEDIA_TYPES.ociLayerNondistTar,
  MEDIA_TYPES.ociLayerNondistGzip,
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  MEDIA_TYPES.dockerLayerGzip,
  MEDIA_TYPES.dockerLayerForeignGzip,
  'application/vnd.docker.image.rootfs.diff.tar',
];

const CONFIG_TYPES: readonly string[] = [MEDIA_TYPES.ociConfig, MEDIA_TYPES.dockerConfig];

export function jsonLimits(limits: ImageLimits): { maxBytes: number; maxDepth: number } {
  return { maxBytes: limits.maxManifestBytes, maxDepth: limits.maxJsonDepth };
}

/** DIGEST_INVALID unless the descriptor's digest is one (checked before anything is read or opened by it). */
function checkDigest(descriptor: Descriptor): void {
  if (!isDigest(descriptor.digest)) {
    throw new AppError('DIGEST_INVALID', 'a descriptor has an invalid digest', { details: { digest: String(descriptor.digest).slice(0, 140) } });
  }
}

/** Reads a small blob (manifest, index, config), refusing it by size before reading, then verifying it. */
export async function readVerified(access: BlobAccess, descriptor: Descriptor, limits: ImageLimits): Promise<Buffer> {
  checkDigest(descriptor);
  if (descriptor.size > limits.maxManifestBytes) {
    throw new AppError('LIMIT_MANIFEST_SIZE', 'a manifest or config is larger than the limit', {
      details: { size: descriptor.size, limit: limits.maxManifestBytes, digest: descriptor.digest },
    });
  }
  const bytes = await access.readBlob(descriptor, limits.maxManifestBytes);
  verifyBytes(bytes, descriptor);
  return bytes;
}

/** A layer blob read whole (the reader does so for small ones only), refused past its declared size, then verified. */
export async function readLayerVerified(access: BlobAccess, descriptor: Descriptor): Promise<Buffer> {
  checkDigest(descriptor);
  let bytes: Buffer;
  try {
    bytes = await access.readBlob(descriptor, descriptor.size);
  } catch (error) {
    // longer than its descriptor says: what the stream's check would find
    if (isAppError(error, 'LIMIT_MANIFEST_SIZE')) {
      throw new AppError('SIZE_MISMATCH', 'content size does not match its descriptor', { cause: error, details: { expected: descriptor.size, digest: descriptor.digest } });
    }
    throw error;
  }
  verifyBytes(bytes, descriptor);
  return bytes;
}

/** Streams a blob, failing with DIGEST_MISMATCH / SIZE_MISMATCH when it does not match its descriptor. */
export async function openVerified(access: BlobAccess, descriptor: Descriptor): Promise<Readable> {
  checkDigest(descriptor);
  const raw = await access.openBlob(descriptor);
  return verifyStream(raw, descriptor);
}

export function verifyStream(raw: Readable, descriptor: Pick<Descriptor, 'digest' | 'size'>): Readable {
  const verifier = createVerifyingStream(descriptor);
  raw.on('error', (error) => verifier.destroy(error));
  verifier.on('close', () => raw.destroy());
  return raw.pipe(verifier);
}

export interface ResolvedParts {
  readonly digest: Digest;
  readonly indexDigest?: Digest;
  readonly mediaType: string;
  readonly manifestBytes: Buffer;
  readonly configDigest: Digest;
  readonly configBytes: Buffer;
  readonly manifest: ImageManifest;
}

/**
 * From a top descriptor (index.json entry, registry HEAD) to one image manifest: an index selects
 * the platform (default linux/<host arch>); every document is size-limited and digest-verified.
 */
export async function resolveManifest(
  access: BlobAccess,
  top: Descriptor,
  limits: ImageLimits,
  options: ResolveOptions,
  preloaded?: Buffer,
): Promise<ResolvedParts> {
  let bytes = preloaded ?? (await readVerified(access, top, limits));
  let parsed: AnyManifest = parseManifest(bytes, top.mediaType, jsonLimits(limits));
  let digest: Digest = top.digest;
  let indexDigest: Digest | undefined;
  if (parsed.kind === 'index') {
    indexDigest = top.digest;
    const chosen = selectPlatform(parsed, options.platform ?? hostPlatform());
    bytes = await readVerified(access, chosen, limits);
    parsed = parseManifest(bytes, chosen.mediaType, jsonLimits(limits));
    digest = chosen.digest;
    if (parsed.kind === 'index') {
      throw new AppError('OCI_MANIFEST_UNSUPPORTED', 'nested image indexes are not supported', { details: { digest } });
    }
  }
  const manifest = parsed;
  if (!CONFIG_TYPES.includes(manifest.config.mediaType)) {
    throw new AppError('OCI_MANIFEST_UNSUPPORTED', 'the manifest is not a container image (config media type)', {
      details: { mediaType: manifest.config.mediaType.slice(0, 200) },
    });
  }
  if (manifest.layers.length > limits.maxLayers) {
    throw new AppError('LIMIT_LAYER_COUNT', 'the image has more layers than the limit', {
      details: { layers: manifest.layers.length, limit: limits.maxLayers },
    });
  }
  for (const layer of manifest.layers) {
    if (!LAYER_TYPES.includes(layer.mediaType)) {
      throw new AppError('OCI_MANIFEST_UNSUPPORTED', 'a layer has an unsupported media type', {
        details: { mediaType: layer.mediaType.slice(0, 200), digest: layer.digest },
      });
    }
  }
  const configBytes = await readVerified(access, manifest.config, limits);
  return {
    digest,
    ...(indexDigest !== undefined ? { indexDigest } : {}),
    mediaType: manifest.mediaType,
    manifestBytes: bytes,
    configDigest: manifest.config.digest,
    configBytes,
    manifest,
  };
}

/** Builds the ResolvedImage from verified parts: parses the config and pairs layers with diff ids. */
export function toResolvedImage(
  source: string,
  sourceKind: SourceKind,
  parts: ResolvedParts,
  limits: ImageLimits,
  openLayer: (layer: LayerInfo) => Promise<Readable>,
  readLayerBlob?: (layer: LayerInfo) => Promise<Buffer>,
): ResolvedImage {
  const config = parseImageConfig(parts.configBytes, jsonLimits(limits));
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== parts.manifest.layers.length) {
    throw new AppError('OCI_CONFIG_INVALID', 'the config lists a different number of diff ids than the manifest has layers', {
      details: { layers: parts.manifest.layers.length, diffIds: diffIds.length },
    });
  }
  const layers: LayerInfo[] = parts.manifest.layers.map((descriptor, i) => ({ descriptor, diffId: diffIds[i] as Digest }));
  const platform: Platform | undefined =
    config.os !== undefined && config.architecture !== undefined
      ? { os: config.os, architecture: config.architecture, ...(config.variant !== undefined ? { variant: config.variant } : {}) }
      : undefined;
  return {
    source,
    sourceKind,
    digest: parts.digest,
    ...(parts.indexDigest !== undefined ? { indexDigest: parts.indexDigest } : {}),
    mediaType: parts.mediaType,
    manifestBytes: parts.manifestBytes,
    configDigest: parts.configDigest,
    configBytes: parts.configBytes,
    config,
    ...(platform !== undefined ? { platform } : {}),
    layers,
    openLayer,
    ...(readLayerBlob !== undefined ? { readLayerBlob } : {}),
  };
}

export function emptyStream(): Readable {
  const stream = new PassThrough();
  stream.end();
  return stream;
}
