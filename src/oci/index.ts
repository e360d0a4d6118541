/** The public surface of src/oci: the OCI data model, reference parsing and the registry client. */
export type { AnyManifest, Descriptor, HealthCheck, ImageConfig, ImageIndex, ImageManifest, Platform } from './types.ts';
export { INDEX_MEDIA_TYPES, MANIFEST_ACCEPT, MANIFEST_MEDIA_TYPES, MEDIA_TYPES } from './media-types.ts';
export {
  DOCKER_HUB,
  MAX_NAME_LENGTH,
  familiarName,
  familiarString,
  formatReference,
  isRegistryHost,
  isRepositoryName,
  isTag,
  manifestReference,
  parseReference,
  type ImageReference,
  type ReferenceProblem,
} from './reference.ts';
export { jsonNestingDepth, parseJsonLimited, type JsonLimits } from './json.ts';
export {
  DEFAULT_JSON_LIMITS,
  baseMediaType,
  digestOf,
  formatPlatform,
  hostPlatform,
  isAttestation,
  parseImageConfig,
  parseManifest,
  parsePlatform,
  selectPlatform,
  sha256Digest,
  verifyBytes,
} from './manifest.ts';
export { createVerifyingStream } from './verify-stream.ts';
export * from './client/index.ts';
