import { MANIFEST_MEDIA_TYPES, INDEX_MEDIA_TYPES, parseReference, type RegistryClient } from '../../oci/index.ts';
import type { Descriptor } from '../../oci/types.ts';
import type { ImageLimits } from '../limits.ts';
import type { ImageSource } from '../types.ts';
import { readLayerVerified, resolveManifest, toResolvedImage, type BlobAccess } from './blob-access.ts';

export interface RegistrySourceDeps {
  /** A client configured with credentials, insecure hosts, retries (built by the composition root). */
  readonly client: RegistryClient;
}

/** `registry:HOST/REPO:TAG` or a bare reference: read through the OCI distribution client. */
export function openRegistrySource(source: string, reference: string, limits: ImageLimits, deps: RegistrySourceDeps): ImageSource {
  const { client } = deps;
  return {
    kind: 'registry',
    description: source,
    async resolve(options = {}) {
      const ref = parseReference(reference);
      const at = { registry: ref.registry, repository: ref.repository };
      const access: BlobAccess = {
        async readBlob(descriptor: Descriptor, limit: number) {
          if (MANIFEST_MEDIA_TYPES.includes(descriptor.mediaType) || INDEX_MEDIA_TYPES.includes(descriptor.mediaType)) {
            const fetched = await client.getManifest({ ...at, reference: descriptor.digest }, { maxBytes: limit });
            return fetched.bytes;
          }
          return client.getBlobBytes(ref.registry, ref.repository, descriptor, { maxBytes: limit });
        },
        openBlob: (descriptor) => client.getBlob(ref.registry, ref.repository, descriptor),
      };
      const fetched = await client.getManifest({ ...at, reference: ref.digest ?? ref.tag ?? 'latest' }, { maxBytes: limits.maxManifestBytes });
      const top: Descriptor = { mediaType: fetched.mediaType, digest: fetched.digest, size: fetched.bytes.length };
      const parts = await resolveManifest(access, top, limits, options, fetched.bytes);
      // The client verifies every blob stream against its descriptor while it flows.
      return toResolvedImage(
        source,
        'registry',
        parts,
        limits,
        (layer) => access.openBlob(layer.descriptor),
        (layer) => readLayerVerified(access, layer.descriptor),
      );
    },
    async close() {
      return undefined;
    },
  };
}
