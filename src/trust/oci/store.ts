import { AppError, isAppError } from '../../core/errors.ts';
import type { Digest } from '../../core/digest.ts';
import { MEDIA_TYPES, parseManifest, referrersTag, type Descriptor, type ImageIndex, type RegistryClient } from '../../oci/index.ts';
import { blobOf, cosignManifest, cosignTag, referrerManifest, SIGSTORE_BUNDLE_ARTIFACT_TYPE, type Blob, type CosignSuffix } from './layouts.ts';

/** An image pinned by digest, with the descriptor a referrer's `subject` needs. */
export interface ImageTarget {
  readonly registry: string;
  readonly repository: string;
  readonly digest: Digest;
  readonly mediaType: string;
  readonly size: number;
}

export interface StoredLayer {
  readonly descriptor: Descriptor;
  readonly bytes: Buffer;
}

const MAX_SIGNATURE_LAYERS = 256;
const MAX_SIGNATURE_BLOB = 4 * 1024 * 1024;

export async function resolveImage(client: RegistryClient, registry: string, repository: string, reference: string): Promise<ImageTarget> {
  const fetched = await client.getManifest({ registry, repository, reference });
  return { registry, repository, digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.bytes.length };
}

async function pushBlob(client: RegistryClient, target: ImageTarget, blob: Blob): Promise<void> {
  await client.pushBlob(target.registry, target.repository, blob.bytes, blob.descriptor.digest);
}

/** Reads the layers of `sha256-<hex>.<suffix>`; [] when there is no such tag. */
export async function readCosignLayers(client: RegistryClient, target: ImageTarget, suffix: CosignSuffix): Promise<StoredLayer[]> {
  let bytes: Buffer;
  try {
    bytes = (await client.getManifest({ registry: target.registry, repository: target.repository, reference: cosignTag(target.digest, suffix) })).bytes;
  } catch (error) {
    if (isAppError(error, 'OCI_MANIFEST_UNKNOWN')) return [];
    throw error;
  }
  const manifest = parseManifest(bytes);
  if (manifest.kind !== 'manifest') throw new AppError('SIGNATURE_INVALID', 'the cosign signature tag does not hold an image manifest');
  if (manifest.layers.length > MAX_SIGNATURE_LAYERS) throw new AppError('LIMIT_LAYER_COUNT', 'too many signature layers', { details: { layers: manifest.layers.length } });
  const layers: StoredLayer[] = [];
  for (const descriptor of manifest.layers) {
    layers.push({ descriptor, bytes: await client.getBlobBytes(target.registry, target.repository, descriptor, { maxBytes: MAX_SIGNATURE_BLOB }) });
  }
  return layers;
}

/** Adds one layer to the cosign tag (keeping what is there, no duplicates), as `cosign sign` appends. */
export async function appendCosignLayer(client: RegistryClient, target: ImageTarget, suffix: CosignSuffix, layer: Blob): Promise<Digest> {
  const existing = await readCosignLayers(client, target, suffix);
  const layers = existing.map((l) => l.descriptor).filter((d) => d.digest !== layer.descriptor.digest || JSON.stringify(d.annotations) !== JSON.stringify(layer.descriptor.annotations));
  layers.push(layer.descriptor);
  await pushBlob(client, target, layer);
  const { manifest, config } = cosignManifest(layers);
  await pushBlob(client, target, config);
  return client.putManifest({ registry: target.registry, repository: target.repository, reference: cosignTag(target.digest, suffix) }, manifest, MEDIA_TYPES.ociManifest);
}

export interface AttachedReferrer {
  readonly digest: Digest;
  /** How readers find it: the registry's referrers API, or the `sha256-<hex>` tag schema we maintained. */
  readonly via: 'referrers-api' | 'tag-schema';
}

/**
 * Pushes a Sigstore bundle as an OCI 1.1 referrer of the image. When the registry does not index it
 * through the referrers API (docker-registry 2.8 has no API), maintains the referrers tag schema.
 */
export async function attachReferrer(client: RegistryClient, target: ImageTarget, bundleJson: Buffer, annotations: Readonly<Record<string, string>>): Promise<AttachedReferrer> {
  const bundle = blobOf(bundleJson, SIGSTORE_BUNDLE_ARTIFACT_TYPE);
  const { manifest, config } = referrerManifest({ mediaType: target.mediaType, digest: target.digest, size: target.size }, bundle, annotations);
  await pushBlob(client, target, bundle);
  await pushBlob(client, target, config);
  const digest = await client.putManifest({ registry: target.registry, repository: target.repository, reference: blobOf(manifest, MEDIA_TYPES.ociManifest).descriptor.digest }, manifest, MEDIA_TYPES.ociManifest);
  const descriptor: Descriptor = { mediaType: MEDIA_TYPES.ociManifest, digest, size: manifest.length, artifactType: SIGSTORE_BUNDLE_ARTIFACT_TYPE, annotations };
  const listed = await client.getReferrers(target.registry, target.repository, target.digest);
  if (listed.manifests.some((d) => d.digest === digest)) {
    return { digest, via: (await hasReferrersTag(client, target)) ? 'tag-schema' : 'referrers-api' };
  }
  const index: ImageIndex = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [...listed.manifests, descriptor] };
  await client.putManifest({ registry: target.registry, repository: target.repository, reference: referrersTag(target.digest) }, Buffer.from(JSON.stringify(index)), MEDIA_TYPES.ociIndex);
  return { digest, via: 'tag-schema' };
}

async function hasReferrersTag(client: RegistryClient, target: ImageTarget): Promise<boolean> {
  try {
    await client.headManifest({ registry: target.registry, repository: target.repository, reference: referrersTag(target.digest) });
    return true;
  } catch (error) {
    if (isAppError(error, 'OCI_MANIFEST_UNKNOWN')) return false;
    throw error;
  }
}

/** Every Sigstore bundle attached to the image as a referrer (API or tag schema). */
export async function readReferrerBundles(client: RegistryClient, target: ImageTarget): Promise<{ readonly digest: Digest; readonly bundle: Buffer; readonly annotations: Readonly<Record<string, string>> }[]> {
  const index = await client.getReferrers(target.registry, target.repository, target.digest, SIGSTORE_BUNDLE_ARTIFACT_TYPE);
  const out: { digest: Digest; bundle: Buffer; annotations: Readonly<Record<string, string>> }[] = [];
  for (const descriptor of index.manifests.slice(0, MAX_SIGNATURE_LAYERS)) {
    const fetched = await client.getManifest({ registry: target.registry, repository: target.repository, reference: descriptor.digest });
    const manifest = parseManifest(fetched.bytes, fetched.mediaType);
    if (manifest.kind !== 'manifest') continue;
    if (manifest.subject?.digest !== target.digest) continue; // a referrer must point at this image
    const layer = manifest.layers[0];
    if (layer === undefined) continue;
    out.push({ digest: descriptor.digest, bundle: await client.getBlobBytes(target.registry, target.repository, layer, { maxBytes: MAX_SIGNATURE_BLOB }), annotations: manifest.annotations ?? {} });
  }
  return out;
}
