/**
 * Safety limits for reading untrusted images. image/ does not know the config module: services map
 * config.limits onto this interface (same field names).
 */
export interface ImageLimits {
  /** Largest decompressed size of one layer, in bytes (LIMIT_DECOMPRESSED_SIZE). */
  readonly maxLayerBytes: number;
  /** Largest decompressed size of the whole image, in bytes (LIMIT_DECOMPRESSED_SIZE). */
  readonly maxImageBytes: number;
  /** Largest decompressed/compressed ratio once past ratioGraceBytes (LIMIT_COMPRESSION_RATIO). */
  readonly maxCompressionRatio: number;
  readonly ratioGraceBytes: number;
  /** Most tar entries in the whole image (LIMIT_ENTRY_COUNT). */
  readonly maxEntries: number;
  /** Longest entry path or link target, in bytes (LIMIT_PATH_LENGTH). */
  readonly maxPathLength: number;
  /** Most path components (LIMIT_PATH_DEPTH). */
  readonly maxPathDepth: number;
  /** Largest manifest, index, config or archive manifest.json (LIMIT_MANIFEST_SIZE). */
  readonly maxManifestBytes: number;
  /** Deepest JSON nesting in those documents (LIMIT_JSON_DEPTH). */
  readonly maxJsonDepth: number;
  /** Most layers in one image (LIMIT_LAYER_COUNT). */
  readonly maxLayers: number;
  /** Largest file captured in memory or returned by readFile (LIMIT_FILE_SIZE). */
  readonly maxFileReadBytes: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = Object.freeze({
  maxLayerBytes: 8 * 1024 ** 3,
  maxImageBytes: 32 * 1024 ** 3,
  maxCompressionRatio: 200,
  ratioGraceBytes: 64 * 1024 ** 2,
  maxEntries: 1_000_000,
  maxPathLength: 4096,
  maxPathDepth: 256,
  maxManifestBytes: 4 * 1024 ** 2,
  maxJsonDepth: 64,
  maxLayers: 512,
  maxFileReadBytes: 256 * 1024 ** 2,
});

export function resolveLimits(limits: Partial<ImageLimits> = {}): ImageLimits {
  return Object.freeze({ ...DEFAULT_IMAGE_LIMITS, ...limits });
}
