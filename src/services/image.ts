import type { AppConfig, Environment, Limits } from '../config/index.ts';
import type { Digest } from '../core/digest.ts';
import type { Logger } from '../core/logger.ts';
import {
  readImage,
  type FileEntry,
  type FileIndexStore,
  type ImageLimits,
  type LayerCache,
  type LayerSummary,
  type ReadImageOptions,
  type ReadImageResult,
  type SourceDeps,
  type StoredFileIndex,
} from '../image/index.ts';
import { formatPlatform, parsePlatform, type HealthCheck, type RegistryClient } from '../oci/index.ts';

export interface ImageDeps {
  readonly config: AppConfig;
  readonly env: Environment;
  readonly log: Logger;
  /** Registry client for `registry:` sources (built by the composition root). */
  readonly registry?: RegistryClient;
  /** Where file indexes are stored, keyed by image digest. */
  readonly fileIndexStore?: FileIndexStore;
  /** Per-layer read cache (keyed by blob digest): inspecting an image that shares layers reads only the new ones. */
  readonly layerCache?: LayerCache;
}

export interface InspectOptions {
  /** `os/arch[/variant]` to pick from an index. */
  readonly platform?: string;
  /** Include the file index in the result. */
  readonly files?: boolean;
  readonly onProgress?: (message: string) => void;
  readonly signal?: AbortSignal;
}

export interface LayerView extends LayerSummary {
  /** Entries of the squashed file index that this layer wrote last. */
  readonly files: number;
}

export interface ImageInspection {
  readonly source: string;
  readonly sourceKind: string;
  readonly digest: string | null;
  readonly indexDigest: string | null;
  readonly mediaType: string | null;
  readonly platform: string | null;
  readonly configDigest: string | null;
  readonly created: string | null;
  readonly config: {
    readonly user: string | null;
    readonly entrypoint: readonly string[] | null;
    readonly cmd: readonly string[] | null;
    readonly env: readonly string[];
    readonly workingDir: string | null;
    readonly labels: Readonly<Record<string, string>>;
    readonly exposedPorts: readonly string[];
    readonly healthcheck: HealthCheck | null;
  };
  readonly layers: readonly LayerView[];
  /** Entries in the squashed file index (root included). */
  readonly fileCount: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Where the file index was stored (undefined for dir: sources, which have no digest). */
  readonly fileIndexPath: string | null;
  readonly files?: readonly FileEntry[];
}

export interface ImageServices {
  /** Reads and indexes an image, stores its file index, and describes it (`tollgate inspect`). */
  inspectImage(source: string, options?: InspectOptions): Promise<ImageInspection>;
  /** The stored file index of an image, or undefined if it was never indexed here. */
  loadFileIndex(digest: Digest): Promise<StoredFileIndex | undefined>;
  /** readImage with this installation's limits and registry access (for other services). */
  readImage(source: string, options?: Omit<ReadImageOptions, 'limits' | 'sourceDeps'>): Promise<ReadImageResult>;
}

/** config.limits → the image module's limits (same names; image/ does not know config/). */
export function imageLimits(limits: Limits): ImageLimits {
  return { ...limits };
}

export function imageSourceDeps(registry: RegistryClient | undefined): SourceDeps {
  return registry !== undefined ? { registry: { client: registry } } : {};
}

export function makeImageServices(deps: ImageDeps): ImageServices {
  const limits = imageLimits(deps.config.limits);
  const sourceDeps = imageSourceDeps(deps.registry);
  const log = deps.log.child({ service: 'image' });
  const read: ImageServices['readImage'] = (source, options = {}) => readImage(source, { ...options, limits, sourceDeps });
  return {
    readImage: read,
    async loadFileIndex(digest) {
      return deps.fileIndexStore?.load(digest);
    },
    async inspectImage(source, options = {}) {
      const result = await read(source, {
        ...(options.platform !== undefined ? { platform: parsePlatform(options.platform) } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
        // no file contents are wanted, so this key never shares entries with a cataloguing read
        ...(deps.layerCache !== undefined ? { layerCache: { cache: deps.layerCache, wantKey: 'inspect/none' } } : {}),
        onProgress: (event) => {
          if (event.phase === 'start') options.onProgress?.(`reading layer ${event.layer + 1}/${event.layers} ${event.digest.slice(0, 19)}`);
        },
      });
      let fileIndexPath: string | null = null;
      if (result.image.digest !== undefined && deps.fileIndexStore !== undefined) {
        fileIndexPath = await deps.fileIndexStore.save(result.image.digest, result.index);
        log.debug({ digest: result.image.digest, entries: result.index.length }, 'file index stored');
      }
      return describe(result, fileIndexPath, options.files === true);
    },
  };
}

function describe(result: ReadImageResult, fileIndexPath: string | null, withFiles: boolean): ImageInspection {
  const { image, index, layers } = result;
  const c = image.config.config ?? {};
  const lastWriter = new Map<string, number>();
  for (const entry of index) lastWriter.set(entry.layer, (lastWriter.get(entry.layer) ?? 0) + 1);
  return {
    source: image.source,
    sourceKind: image.sourceKind,
    digest: image.digest ?? null,
    indexDigest: image.indexDigest ?? null,
    mediaType: image.mediaType ?? null,
    platform: image.platform !== undefined ? formatPlatform(image.platform) : null,
    configDigest: image.configDigest ?? null,
    created: image.config.created ?? null,
    config: {
      user: c.User ?? null,
      entrypoint: c.Entrypoint ?? null,
      cmd: c.Cmd ?? null,
      env: c.Env ?? [],
      workingDir: c.WorkingDir ?? null,
      labels: c.Labels ?? {},
      exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
      healthcheck: c.Healthcheck ?? null,
    },
    layers: layers.map((layer) => ({ ...layer, files: lastWriter.get(layer.diffId) ?? 0 })),
    fileCount: index.length,
    compressedSize: layers.reduce((sum, l) => sum + l.size, 0),
    uncompressedSize: layers.reduce((sum, l) => sum + l.uncompressedSize, 0),
    fileIndexPath,
    ...(withFiles ? { files: index } : {}),
  };
}
