import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { AppError } from '../../core/errors.ts';
import type { Digest } from '../../core/digest.ts';
import { parseJsonLimited } from '../../oci/index.ts';
import { MEDIA_TYPES } from '../../oci/index.ts';
import { parseImageConfig } from '../../oci/index.ts';
import { formatReference, parseReference } from '../../oci/index.ts';
import type { Descriptor, ImageManifest } from '../../oci/types.ts';
import type { ImageLimits } from '../limits.ts';
import type { ImageSource } from '../types.ts';
import { jsonLimits, toResolvedImage, verifyStream } from './blob-access.ts';
import { indexTarFile, type TarIndex, type TarMember } from './tar-index.ts';

interface ArchiveImage {
  readonly Config: string;
  readonly RepoTags?: readonly string[] | null;
  readonly Layers: readonly string[];
}

/**
 * `docker-archive:FILE[:reference|@index]`: `docker save` / `podman save` output, read in place.
 * There is no stored manifest, so one is built the way containers/image (skopeo) builds it, byte
 * for byte: Docker schema 2, layers described by diff id and uncompressed size. Its digest then
 * agrees with `skopeo inspect --raw docker-archive:FILE | sha256sum`.
 */
export function openDockerArchiveSource(source: string, file: string, selector: string | undefined, limits: ImageLimits): ImageSource {
  return {
    kind: 'docker-archive',
    description: source,
    async resolve() {
      const index = await indexTarFile(file, { maxEntries: limits.maxEntries, maxPathLength: limits.maxPathLength });
      const manifestMember = index.find('manifest.json');
      if (manifestMember === undefined) throw new AppError('SOURCE_INVALID', 'the docker archive has no manifest.json', { details: { source } });
      const doc = parseJsonLimited(await index.read(manifestMember, limits.maxManifestBytes), jsonLimits(limits), 'OCI_MANIFEST_INVALID');
      const images = validateArchiveManifest(doc);
      const image = pickImage(images, selector, source);
      const configMember = mustFind(index, image.Config);
      const configBytes = await index.read(configMember, limits.maxManifestBytes);
      const configDigest: Digest = `sha256:${createHash('sha256').update(configBytes).digest('hex')}`;
      const config = parseImageConfig(configBytes, jsonLimits(limits));
      const diffIds = config.rootfs?.diff_ids ?? [];
      if (diffIds.length !== image.Layers.length) {
        throw new AppError('OCI_CONFIG_INVALID', 'manifest.json and the config disagree on the number of layers', {
          details: { layers: image.Layers.length, diffIds: diffIds.length },
        });
      }
      if (image.Layers.length > limits.maxLayers) {
        throw new AppError('LIMIT_LAYER_COUNT', 'the image has more layers than the limit', { details: { limit: limits.maxLayers } });
      }
      const members: TarMember[] = image.Layers.map((name) => mustFind(index, name));
      const compressed: boolean[] = [];
      const layers: Descriptor[] = [];
      for (const [i, member] of members.entries()) {
        const kind = await sniff(index, member);
        compressed.push(kind !== 'none');
        const size = kind === 'none' ? member.size : await uncompressedSize(index.open(member), kind, limits);
        layers.push({ mediaType: MEDIA_TYPES.dockerLayerGzip, size, digest: diffIds[i] as Digest });
      }
      const configDescriptor: Descriptor = { mediaType: MEDIA_TYPES.dockerConfig, size: configBytes.length, digest: configDigest };
      const manifestBytes = Buffer.from(skopeoManifestJson(configDescriptor, layers));
      const manifest: ImageManifest = { schemaVersion: 2, mediaType: MEDIA_TYPES.dockerManifest, config: configDescriptor, layers };
      const digest: Digest = `sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`;
      return toResolvedImage(source, 'docker-archive', { digest, mediaType: manifest.mediaType, manifestBytes, configDigest, configBytes, manifest }, limits, async (layer) => {
        const at = layers.findIndex((d) => d.digest === layer.descriptor.digest);
        const member = members[at];
        if (member === undefined) throw new AppError('OCI_BLOB_UNKNOWN', 'no such layer in the docker archive', { details: { digest: layer.descriptor.digest } });
        const raw = index.open(member);
        // An uncompressed member is checked against its diff id here; a compressed one by the layer reader's diff id check.
        return compressed[at] === true ? raw : verifyStream(raw, { digest: layer.descriptor.digest, size: member.size });
      });
    },
    async close() {
      return undefined;
    },
  };
}

/** Go's json.Marshal of containers/image manifest.Schema2 (field order as declared, no spaces). */
function skopeoManifestJson(config: Descriptor, layers: readonly Descriptor[]): string {
  const descriptor = (d: Descriptor): string => `{"mediaType":${JSON.stringify(d.mediaType)},"size":${d.size},"digest":${JSON.stringify(d.digest)}}`;
  return `{"schemaVersion":2,"mediaType":${JSON.stringify(MEDIA_TYPES.dockerManifest)},"config":${descriptor(config)},"layers":[${layers.map(descriptor).join(',')}]}`;
}

function validateArchiveManifest(doc: unknown): ArchiveImage[] {
  const invalid = (): AppError => new AppError('OCI_MANIFEST_INVALID', 'manifest.json of the docker archive does not have the expected shape');
  if (!Array.isArray(doc)) throw invalid();
  return doc.map((item: unknown) => {
    if (item === null || typeof item !== 'object') throw invalid();
    const { Config, RepoTags, Layers } = item as Record<string, unknown>;
    if (typeof Config !== 'string' || !Array.isArray(Layers) || !Layers.every((l) => typeof l === 'string')) throw invalid();
    if (RepoTags !== undefined && RepoTags !== null && (!Array.isArray(RepoTags) || !RepoTags.every((t) => typeof t === 'string'))) throw invalid();
    return { Config, Layers: Layers as string[], ...(Array.isArray(RepoTags) ? { RepoTags: RepoTags as string[] } : {}) };
  });
}

function normalisedRef(text: string): string {
  try {
    return formatReference(parseReference(text));
  } catch {
    return text; // not a reference: compare as written
  }
}

function pickImage(images: readonly ArchiveImage[], selector: string | undefined, source: string): ArchiveImage {
  if (selector === undefined) {
    if (images.length === 1) return images[0] as ArchiveImage;
    throw new AppError(images.length === 0 ? 'SOURCE_NOT_FOUND' : 'SOURCE_INVALID', 'the docker archive must hold exactly one image, or name one', {
      details: { source, images: images.length },
    });
  }
  if (/^@\d+$/.test(selector)) {
    const image = images[Number(selector.slice(1))];
    if (image === undefined) throw new AppError('SOURCE_NOT_FOUND', 'no image at that position in the docker archive', { details: { source, selector } });
    return image;
  }
  const wanted = normalisedRef(selector);
  const image = images.find((i) => (i.RepoTags ?? []).some((tag) => tag === selector || normalisedRef(tag) === wanted));
  if (image === undefined) throw new AppError('SOURCE_NOT_FOUND', 'no image with that tag in the docker archive', { details: { source, selector } });
  return image;
}

function mustFind(index: TarIndex, name: string): TarMember {
  const member = index.find(name);
  if (member === undefined) throw new AppError('SOURCE_INVALID', 'the docker archive lacks a file its manifest.json names', { details: { member: name.slice(0, 256) } });
  return member;
}

async function sniff(index: TarIndex, member: TarMember): Promise<'gzip' | 'zstd' | 'none'> {
  if (member.size < 4) return 'none';
  const head = await index.read({ ...member, size: 4 }, 4);
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.readUInt32BE(0) === 0x28b52ffd) return 'zstd';
  return 'none';
}

async function uncompressedSize(stream: Readable, kind: 'gzip' | 'zstd', limits: ImageLimits): Promise<number> {
  let total = 0;
  const decompressor = kind === 'gzip' ? createGunzip() : createZstdDecompress();
  stream.on('error', (error) => decompressor.destroy(error));
  for await (const chunk of stream.pipe(decompressor) as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limits.maxLayerBytes) {
      stream.destroy();
      throw new AppError('LIMIT_DECOMPRESSED_SIZE', 'a layer decompresses to more than the limit', { details: { limit: limits.maxLayerBytes } });
    }
  }
  return total;
}
