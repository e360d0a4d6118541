import { createHash } from 'node:crypto';
import { AppError, isAppError } from '../core/errors.ts';
import type { Digest } from '../core/digest.ts';
import type { Platform } from '../oci/types.ts';
import { openDirTree } from './dir-tree.ts';
import type { Compression } from './layer/compression.ts';
import { readLayer, readLayerBytes, SMALL_LAYER_BYTES, type EntryBody, type ImageCounters, type LayerReadResult, type LayerVisitor, type ReadLayerOptions } from './layer/read-layer.ts';
import type { LayerEntry } from './layer/layer-entry.ts';
import { layerCacheVariant, type CachedEntry, type CachedLayer, type LayerCache, type LoadedLayer } from './layer-cache.ts';
import { resolveLimits, type ImageLimits } from './limits.ts';
import type { TreeAccessLog } from './access-log.ts';
import { createMemoryTree } from './memory-tree.ts';
import { createSquash, type Squash } from './squash.ts';
import { openImageSource, type SourceDeps } from './sources/registry.ts';
import { parseSource } from './sources/parse-source.ts';
import type { ProbeSpec } from './probe.ts';
import type { FileEntry, FileTree, ImageSource, LayerInfo, ResolvedImage } from './types.ts';

export interface ReadProgress {
  readonly layer: number; // 0-based
  readonly layers: number;
  readonly digest: string;
  readonly phase: 'start' | 'done';
}

export interface ReadImageOptions {
  readonly limits?: Partial<ImageLimits>;
  /** Platform to pick from an index (default linux/<host arch>). */
  readonly platform?: Platform;
  /** Regular files (≤ maxFileReadBytes) to keep in memory during the single walk; others are re-read on demand. */
  readonly want?: (entry: FileEntry) => boolean;
  /**
   * Probes run over regular files' bytes during the walk; their small results are kept in place of the
   * contents (FileTree.probe). Their names must be part of `layerCache.wantKey`.
   */
  readonly probes?: readonly ProbeSpec[];
  /** Record device nodes instead of refusing the image with ARCHIVE_DEVICE_FILE. */
  readonly allowDevices?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ReadProgress) => void;
  /** Registry access for `registry:` and bare references. */
  readonly sourceDeps?: SourceDeps;
  /**
   * Per-layer cache: a layer whose blob digest was read before (with the same `wantKey`, limits and
   * reader version) is replayed from the cache instead of being decompressed. `wantKey` must change
   * whenever `want` would select different files (e.g. the cataloguer ids and versions).
   */
  readonly layerCache?: { readonly cache: LayerCache; readonly wantKey: string };
  /** Records what is consulted through the returned tree (see access-log.ts). */
  readonly accessLog?: TreeAccessLog;
}

export interface ReadImageStats {
  /** Layers streamed and decompressed in this read. */
  readonly layersRead: number;
  /** Layers replayed from the layer cache. */
  readonly layersCached: number;
}

export interface LayerSummary {
  readonly digest: Digest; // blob digest, as in the manifest
  readonly mediaType: string;
  readonly size: number; // blob (compressed) size
  readonly diffId: Digest; // sha256 of the tar, computed (and checked against the config)
  readonly uncompressedSize: number;
  readonly compression: Compression;
  /** Tar entries in the layer (whiteouts included). */
  readonly entries: number;
}

export interface ReadImageResult {
  readonly image: ResolvedImage;
  /** The squashed filesystem. */
  readonly tree: FileTree;
  /** The file index: every entry of the squashed filesystem, sorted by path (root '/' included). */
  readonly index: readonly FileEntry[];
  readonly layers: readonly LayerSummary[];
  readonly stats: ReadImageStats;
}

/**
 * Reads an image from a source string (or an opened ImageSource): resolves and verifies manifest and
 * config, streams every layer exactly once (digest, diff id, limits, hostile-entry checks), squashes
 * them into a FileTree and builds the file index. Nothing is extracted to disk.
 */
export async function readImage(source: string | ImageSource, options: ReadImageOptions = {}): Promise<ReadImageResult> {
  const limits = resolveLimits(options.limits);
  const opened = typeof source === 'string' ? openImageSource(source, limits, options.sourceDeps) : source;
  try {
    const image = await opened.resolve({
      ...(options.platform !== undefined ? { platform: options.platform } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    if (image.sourceKind === 'dir') {
      const parsed = parseSource(image.source);
      const tree = await openDirTree(parsed.path as string, { hash: true, maxFileReadBytes: limits.maxFileReadBytes, maxEntries: limits.maxEntries });
      return { image, tree, index: [...tree.entries()], layers: [], stats: { layersRead: 0, layersCached: 0 } };
    }
    return await readLayers(image, limits, options);
  } finally {
    if (typeof source === 'string') await opened.close();
  }
}

async function readLayers(image: ResolvedImage, limits: ImageLimits, options: ReadImageOptions): Promise<ReadImageResult> {
  checkLayerCount(image, limits);
  const squash = createSquash({
    layerIds: image.layers.map((layer) => layer.diffId ?? layer.descriptor.digest),
    ...(options.want !== undefined ? { want: options.want } : {}),
    ...(options.probes !== undefined ? { probes: options.probes } : {}),
  });
  const pass = layerPass(limits, options, squash, true);
  const summaries: LayerSummary[] = [];
  let layersCached = 0;
  const fromCache = new Map<number, LoadedLayer>();
  const inMemory = new Map<number, Map<number, Buffer>>();
  const writes: Promise<void>[] = [];
  try {
    for (const [i, layer] of image.layers.entries()) {
      options.onProgress?.({ layer: i, layers: image.layers.length, digest: layer.descriptor.digest, phase: 'start' });
      const read = await readOneLayer(image, i, pass, (entry, body) => squash.apply(i, entry, body));
      summaries.push(read.summary);
      if (read.cached !== undefined) {
        fromCache.set(i, read.cached);
        layersCached += 1;
      }
      if (read.written !== undefined) {
        // a layer whose cache file could not be written has its captured contents read once more into
        // memory (rare: a full or read-only data folder)
        writes.push(
          read.written.then(async (written) => {
            if ('layer' in written) fromCache.set(i, written.layer);
            else inMemory.set(i, written.complete ? new Map(written.contents) : await recapture(image, i, limits, (entry) => squash.capture(i, entry), options));
          }),
        );
      }
      options.onProgress?.({ layer: i, layers: image.layers.length, digest: layer.descriptor.digest, phase: 'done' });
    }
  } catch (error) {
    await Promise.allSettled(writes); // no file handle left open behind a failed read
    throw error;
  }
  await Promise.all(writes);
  const index = squash.entries();
  const tree = createMemoryTree(
    index,
    async (path) => {
      const slot = squash.slot(path);
      if (slot === undefined) throw new AppError('SOURCE_NOT_FOUND', 'no such file in the image', { details: { path } });
      if (slot.content !== undefined) return slot.content;
      const kept = inMemory.get(slot.ref.layer)?.get(slot.ref.ordinal);
      if (kept !== undefined) return kept;
      // undefined when the entry was not captured, or its stored bytes fail their hash (read again below)
      const content = await fromCache.get(slot.ref.layer)?.readContent(slot.ref.ordinal);
      if (content !== undefined) return content;
      return rereadFile(image, slot.ref.layer, slot.ref.ordinal, slot.sha256, limits, path);
    },
    {
      maxFileReadBytes: limits.maxFileReadBytes,
      probes: (path) => squash.slot(path)?.probes,
      ...(options.accessLog !== undefined ? { accessLog: options.accessLog } : {}),
    },
  );
  return { image, tree, index, layers: summaries, stats: { layersRead: image.layers.length - layersCached, layersCached } };
}

/**
 * The entries (as written: whiteouts included) of the layers from index `from` on: what an
 * incremental catalogue needs to decide whether new layers change anything. Each layer is replayed
 * from the layer cache, or streamed, checked like any read (blob digest, diff id, limits) and, with a
 * cache and `want` (the capture rules its wantKey names), written to it with the contents `want` and
 * `probes` keep, exactly as readImage would: when the catalogue has to read the whole image after
 * all, these layers are not decompressed again.
 */
export async function readLayerEntries(
  image: ResolvedImage,
  from: number,
  options: Pick<ReadImageOptions, 'limits' | 'want' | 'probes' | 'layerCache' | 'allowDevices' | 'signal'> = {},
): Promise<LayerEntry[][]> {
  const limits = resolveLimits(options.limits);
  checkLayerCount(image, limits);
  const squash = createSquash({
    layerIds: image.layers.map((layer) => layer.diffId ?? layer.descriptor.digest),
    ...(options.want !== undefined ? { want: options.want } : {}),
    ...(options.probes !== undefined ? { probes: options.probes } : {}),
  });
  // without `want` the capture rules are not the ones the cache variant (wantKey) stands for: replay only
  const pass = layerPass(limits, options, squash, options.want !== undefined);
  const out: LayerEntry[][] = [];
  const writes: Promise<unknown>[] = [];
  try {
    for (let i = from; i < image.layers.length; i++) {
      const entries: LayerEntry[] = [];
      const read = await readOneLayer(image, i, pass, (entry) => entries.push(entry));
      if (read.written !== undefined) writes.push(read.written);
      out.push(entries);
    }
  } finally {
    await Promise.allSettled(writes);
  }
  return out;
}

/** What every layer of one read shares: limits, running totals, the layer cache and the capture rules. */
interface LayerPass {
  readonly limits: ImageLimits;
  readonly counters: ImageCounters;
  readonly cache?: { readonly cache: LayerCache; readonly variant: string };
  /** Write streamed layers to the cache (only when the capture rules are the ones its variant names). */
  readonly fill: boolean;
  readonly squash: Squash;
  readonly options: Pick<ReadImageOptions, 'allowDevices' | 'signal'>;
}

function layerPass(limits: ImageLimits, options: Pick<ReadImageOptions, 'layerCache' | 'allowDevices' | 'signal'>, squash: Squash, fill: boolean): LayerPass {
  const cache = options.layerCache;
  return {
    limits,
    counters: { imageBytes: 0, entries: 0 },
    ...(cache !== undefined ? { cache: { cache: cache.cache, variant: layerCacheVariant(cache.wantKey, limits, options.allowDevices === true) } } : {}),
    fill,
    squash,
    options,
  };
}

interface LayerRead {
  readonly summary: LayerSummary;
  /** The layer, when it was replayed from the cache. */
  readonly cached?: LoadedLayer;
  /** Streamed with a cache: settles once the cache file is written (the loaded layer), or could not be (what was kept in memory). */
  readonly written?: Promise<{ readonly layer: LoadedLayer } | { readonly contents: ReadonlyMap<number, Buffer>; readonly complete: boolean }>;
}

/**
 * Layer `i`, once: replayed from the layer cache when read before with the same variant, else
 * streamed (entries checked, files hashed, wanted contents captured, probes run) and, with a cache,
 * written to it while the next layers are read. `visit` gets every entry in archive order; with a
 * cache, captured contents go to the cache file instead of the body.
 */
async function readOneLayer(image: ResolvedImage, i: number, pass: LayerPass, visit: (entry: LayerEntry, body: EntryBody | undefined) => void): Promise<LayerRead> {
  const layer = image.layers[i] as LayerInfo;
  const { limits, counters, squash } = pass;
  // a layer too small to be worth a cache file is read from its blob every time (UNCACHED_BLOB_BYTES)
  const cache = pass.cache !== undefined && layer.descriptor.size >= pass.cache.cache.minBlobBytes ? pass.cache : undefined;
  const cached = cache === undefined ? undefined : await cache.cache.get(layer.descriptor.digest, cache.variant);
  if (cached !== undefined) {
    replayLayer(cached, i, layer, limits, counters, visit);
    const summary: LayerSummary = {
      digest: layer.descriptor.digest,
      mediaType: layer.descriptor.mediaType,
      size: layer.descriptor.size,
      diffId: cached.diffId,
      uncompressedSize: cached.uncompressedBytes,
      compression: cached.compression,
      entries: cached.entries.length,
    };
    return { summary, cached };
  }
  const recorded: CachedEntry[] = [];
  // a small layer is read whole (see readLayerBytes) and its cache file written in place
  const readWhole = layer.descriptor.size <= SMALL_LAYER_BYTES ? image.readLayerBlob : undefined;
  const writer = pass.fill ? cache?.cache.begin(layer.descriptor.digest, cache.variant, { small: readWhole !== undefined }) : undefined;
  const into: LayerVisitor =
    writer === undefined
      ? visit
      : (entry, body) => {
          if (body?.content !== undefined) writer.content(entry.ordinal, body.sha256, body.content);
          const kept = body === undefined ? undefined : { sha256: body.sha256, ...(body.probes !== undefined ? { probes: body.probes } : {}) };
          visit(entry, kept);
          recorded.push({ entry, body: kept });
        };
  const options: ReadLayerOptions = {
    limits,
    counters,
    capture: (entry) => squash.capture(i, entry),
    probe: (entry) => squash.probe(i, entry),
    ...(layer.diffId !== undefined ? { expectedDiffId: layer.diffId } : {}),
    ...(pass.options.allowDevices !== undefined ? { allowDevices: pass.options.allowDevices } : {}),
    ...(pass.options.signal !== undefined ? { signal: pass.options.signal } : {}),
  };
  const read = async (): Promise<LayerReadResult> => {
    // undefined: it inflates to more than a whole read holds, and is streamed
    if (readWhole !== undefined) {
      const whole = readLayerBytes(await readWhole(layer), into, options);
      if (whole !== undefined) return whole;
    }
    return readLayer(await image.openLayer(layer), into, options);
  };
  const result = await read().catch(async (error: unknown) => {
    await writer?.abort();
    throw await preferBlobError(image, i, error);
  });
  const summary: LayerSummary = {
    digest: layer.descriptor.digest,
    mediaType: layer.descriptor.mediaType,
    size: layer.descriptor.size,
    diffId: result.diffId as Digest,
    uncompressedSize: result.uncompressedBytes,
    compression: result.compression,
    entries: result.entries,
  };
  if (writer === undefined) return { summary };
  const fresh: CachedLayer = {
    diffId: result.diffId as Digest,
    compression: result.compression,
    compressedBytes: result.compressedBytes,
    uncompressedBytes: result.uncompressedBytes,
    entries: recorded,
  };
  const written = writer.finish(fresh).then((loaded) => (loaded !== undefined ? { layer: loaded } : writer.unwritten()));
  return { summary, written };
}

/** The sources check this when they resolve; checked again here for any other ImageSource. */
function checkLayerCount(image: ResolvedImage, limits: ImageLimits): void {
  if (image.layers.length > limits.maxLayers) {
    throw new AppError('LIMIT_LAYER_COUNT', 'the image has more layers than the limit', { details: { limit: limits.maxLayers } });
  }
}

/**
 * Applies a cached layer as readLayer would have: the image-wide limits (entries, decompressed bytes)
 * still count it, and the config's diff id must still match what the layer hashed to when it was read.
 */
function replayLayer(
  cached: CachedLayer,
  index: number,
  layer: LayerInfo,
  limits: ImageLimits,
  counters: ImageCounters,
  visit: (entry: LayerEntry, body: EntryBody | undefined) => void,
): void {
  if (layer.diffId !== undefined && layer.diffId !== cached.diffId) {
    throw new AppError('DIGEST_MISMATCH', 'the layer does not match the diff id in the image config', {
      details: { expected: layer.diffId, actual: cached.diffId, layer: index },
    });
  }
  counters.imageBytes += cached.uncompressedBytes;
  if (counters.imageBytes > limits.maxImageBytes) {
    throw new AppError('LIMIT_DECOMPRESSED_SIZE', 'the image decompresses to more than the limit', { details: { limit: limits.maxImageBytes } });
  }
  counters.entries += cached.entries.length;
  if (counters.entries > limits.maxEntries) {
    throw new AppError('LIMIT_ENTRY_COUNT', 'the image has more tar entries than the limit', { details: { limit: limits.maxEntries } });
  }
  for (const { entry, body } of cached.entries) visit(entry, body);
}

/**
 * A corrupt blob often fails to parse before its digest check (at the end of the stream) can fire.
 * When a layer is refused as a malformed archive, drain the blob once more: if it does not match its
 * digest, that is the real finding (DIGEST_MISMATCH / SIZE_MISMATCH), not the parse error.
 */
async function preferBlobError(image: ResolvedImage, layerIndex: number, error: unknown): Promise<unknown> {
  if (!isAppError(error) || !error.code.startsWith('ARCHIVE_')) return error;
  const layer = image.layers[layerIndex] as LayerInfo;
  try {
    const blob = await image.openLayer(layer);
    for await (const chunk of blob as AsyncIterable<Buffer>) void chunk;
  } catch (blobError) {
    if (isAppError(blobError, 'DIGEST_MISMATCH') || isAppError(blobError, 'SIZE_MISMATCH')) return blobError;
  }
  return error;
}

/** Reads a layer again keeping the captured contents in memory (when its cache file could not be written). */
async function recapture(
  image: ResolvedImage,
  layerIndex: number,
  limits: ImageLimits,
  capture: (entry: LayerEntry) => boolean,
  options: ReadImageOptions,
): Promise<Map<number, Buffer>> {
  const contents = new Map<number, Buffer>();
  await readLayer(
    await image.openLayer(image.layers[layerIndex] as LayerInfo),
    (entry, body) => {
      if (body?.content !== undefined) contents.set(entry.ordinal, body.content);
    },
    {
      limits,
      capture,
      ...(options.allowDevices !== undefined ? { allowDevices: options.allowDevices } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    },
  );
  return contents;
}

/** The slow path: streams the layer again up to the wanted entry and checks the bytes against the index. */
async function rereadFile(image: ResolvedImage, layerIndex: number, ordinal: number, sha256: string, limits: ImageLimits, path: string): Promise<Buffer> {
  const layer = image.layers[layerIndex];
  if (layer === undefined) throw new AppError('INTERNAL', 'content reference to a missing layer', { details: { layer: layerIndex } });
  let content: Buffer | undefined;
  await readLayer(
    await image.openLayer(layer),
    (entry, body) => {
      if (entry.ordinal === ordinal) content = body?.content;
    },
    { limits, capture: (entry) => entry.ordinal === ordinal, stopAt: ordinal },
  );
  if (content === undefined) throw new AppError('SOURCE_NOT_FOUND', 'the file could not be read again from its layer', { details: { path } });
  const actual = createHash('sha256').update(content).digest('hex');
  if (actual !== sha256) {
    throw new AppError('DIGEST_MISMATCH', 'a file read again from its layer differs from the index', { details: { path, expected: sha256, actual } });
  }
  return content;
}
