import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Not the catalog's index: that loads every cataloguer (see `select` below for when they are).
import type { Catalog, CatalogCache, CatalogOutput, Cataloguer, SqliteReader } from '../catalog/index.ts';
import { IMAGE_CATALOGUERS_FINGERPRINT } from '../catalog/fingerprint.ts';
import { collectProbes, makeWantFilter, runCatalog } from '../catalog/run.ts';
import { writeCycloneDx, type CycloneDxSpecVersion } from '../catalog/sbom/cyclonedx.ts';
import type { SbomSubject } from '../catalog/sbom/options.ts';
import type { SbomFormat } from '../catalog/sbom/read.ts';
import { writeSpdx } from '../catalog/sbom/spdx.ts';
import { monotonicMs } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { asciiJson, isJsonObject } from '../core/json.ts';
import type { Clock, Logger } from '../core/logger.ts';
import { anyOf, createAccessLog, LAYER_READER_VERSION, layersTouch, markUsed, readWholeFile, type LayerEntry, type TreeAccessLog } from '../image/index.ts';
import type { FileEntry, FileTree, ImageLimits, ProbeSpec, ImageSource, LayerCache, ReadImageOptions, ReadImageResult, ReadImageStats, ResolvedImage, SourceDeps, SourceKind } from '../image/index.ts';
import { parsePlatform, type ImageConfig, type Platform } from '../oci/index.ts';

/** A catalogued source: the tree's subject and the catalogue, plus figures for progress and benchmarks. */
export interface CatalogResult {
  readonly subject: SbomSubject;
  readonly sourceKind: SourceKind;
  readonly catalog: Catalog;
  readonly stats: {
    readonly files: number;
    readonly cacheHits: number;
    readonly cacheMisses: number;
    readonly imageCacheHit: boolean;
    readonly millis: number;
    /** Layers decompressed / replayed from the layer cache (image sources that were read). */
    readonly layersRead?: number;
    readonly layersCached?: number;
    /** Lower layers whose earlier catalogue was reused, the layers above them changing nothing it consulted. */
    readonly chainLayersReused?: number;
    /** Opening and reading the layers, then the cataloguers (a full catalogue). */
    readonly readMillis?: number;
    readonly catalogMillis?: number;
  };
}

/**
 * Opens any source the image layer supports: the subject (with the manifest digest) is known at once,
 * the FileTree only after `readTree` streamed the layers; `want` says which files' contents matter.
 */
export type OpenTree = (
  source: string,
  /** platform: the image to take from a multi-platform index (default linux/<host arch>). */
  options: { readonly signal?: AbortSignal; readonly platform?: Platform },
) => Promise<{
  readonly subject: SbomSubject;
  readonly kind: SourceKind;
  /** The image config (read with the manifest), when the source has one. */
  readonly config?: ImageConfig;
  readTree(reading: TreeReading): Promise<FileTree>;
  /** Layer blob digests, bottom first (image sources). */
  readonly layers?: readonly string[];
  /** The entries of the layers from `from` on (image sources); what `reading` keeps goes to the layer cache, not the caller. */
  readLayerEntries?(from: number, reading: TreeReading): Promise<LayerEntry[][]>;
  /** How the last readTree read the layers (undefined before it, or for sources without layers). */
  readStats?(): ReadImageStats | undefined;
  close(): Promise<void>;
}>;

/** What a tree read keeps: which files' contents, which probes to run, and the layer-cache key of both. */
export interface TreeReading {
  readonly want: (entry: FileEntry) => boolean;
  /** Run over file bytes during the walk (FileTree.probe). */
  readonly probes?: readonly ProbeSpec[];
  /** Changes whenever `want` or `probes` would select other files or keep other bytes (cataloguer ids and versions): keys the layer cache. */
  readonly wantKey?: string;
  /** Records what is consulted through the tree. */
  readonly accessLog?: TreeAccessLog;
}

/** The cataloguer selections of a service (loaded on first need, see makeSbomServices). */
interface Selection {
  readonly forFolders: readonly Cataloguer[];
  readonly forImages: readonly Cataloguer[];
  readonly imageWant: (entry: FileEntry) => boolean;
  readonly imageProbes: readonly ProbeSpec[];
  readonly imageWantKey: string;
  /** Imports the selected cataloguers' code (the registry holds descriptors only). */
  readonly load: (cataloguers: readonly Cataloguer[]) => Promise<void>;
}

/**
 * Whole-image catalogues, keyed by manifest digest and the cataloguers' ids and versions. An image
 * whose catalogue is a chain's (its new layers changed nothing) holds a reference to that chain
 * record instead of a copy.
 */
export interface ImageCatalogCache {
  get(key: string): Promise<Catalog | ChainReference | undefined>;
  put(key: string, entry: Catalog | ChainReference): Promise<void>;
}

/** An image or chain cache entry that is another chain's record (by chain cache key). */
export interface ChainReference {
  readonly chain: string;
}

/**
 * OpenTree over the image layer: resolves the source first (manifest and config only) so the service can
 * look the image up in its catalogue cache, then streams the layers with readImage only when needed.
 * With a layer cache (and a wantKey from the caller), layers read before are replayed, not decompressed.
 */
export interface ImageOpenTreeDeps {
  readonly readImage: (source: ImageSource, options: ReadImageOptions) => Promise<ReadImageResult>;
  readonly openImageSource: (input: string, limits: ImageLimits, deps?: SourceDeps) => ImageSource;
  readonly limits: ImageLimits;
  /** Registry access for registry sources. */
  readonly sourceDeps?: SourceDeps;
  readonly layerCache?: LayerCache;
  /** Reads the entries of the layers from `from` on (the chain-reuse path); without it every catalogue reads the whole tree. */
  readonly readLayerEntries?: (image: ResolvedImage, from: number, options: Pick<ReadImageOptions, 'limits' | 'want' | 'probes' | 'layerCache' | 'signal'>) => Promise<LayerEntry[][]>;
}

export function makeImageOpenTree(deps: ImageOpenTreeDeps): OpenTree {
  const { readImage, openImageSource, limits, sourceDeps, layerCache, readLayerEntries } = deps;
  return async (source, options) => {
    const opened = openImageSource(source, limits, sourceDeps);
    const platform = options.platform !== undefined ? { platform: options.platform } : {};
    try {
      const image = await opened.resolve({ ...platform, ...(options.signal !== undefined ? { signal: options.signal } : {}) });
      const subject: SbomSubject = { name: image.source, ...(image.digest !== undefined ? { digest: image.digest } : {}) };
      let stats: ReadImageStats | undefined;
      const cacheFor = (reading: TreeReading) =>
        layerCache !== undefined && reading.wantKey !== undefined ? { layerCache: { cache: layerCache, wantKey: reading.wantKey } } : {};
      return {
        subject,
        kind: image.sourceKind,
        config: image.config,
        readTree: async (reading) => {
          const result = await readImage(opened, {
            ...platform, // readImage resolves again: the same manifest
            want: reading.want,
            ...(reading.probes !== undefined ? { probes: reading.probes } : {}),
            limits,
            ...cacheFor(reading),
            ...(reading.accessLog !== undefined ? { accessLog: reading.accessLog } : {}),
            ...(options.signal !== undefined ? { signal: options.signal } : {}),
          });
          stats = result.stats;
          return result.tree;
        },
        ...(image.sourceKind !== 'dir' && readLayerEntries !== undefined
          ? {
              layers: image.layers.map((layer) => layer.descriptor.digest),
              // with the reading's want and probes, so that the layers land in the layer cache as readTree would keep them
              readLayerEntries: (from: number, reading: TreeReading) =>
                readLayerEntries(image, from, {
                  limits,
                  want: reading.want,
                  ...(reading.probes !== undefined ? { probes: reading.probes } : {}),
                  ...cacheFor(reading),
                  ...(options.signal !== undefined ? { signal: options.signal } : {}),
                }),
            }
          : {}),
        readStats: () => stats,
        close: () => opened.close(),
      };
    } catch (error) {
      await opened.close();
      throw error;
    }
  };
}

export interface SbomDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly openTree: OpenTree;
  readonly tool: { readonly name: string; readonly version: string };
  readonly sqlite?: SqliteReader;
  readonly cache?: CatalogCache;
  /** Same image digest seen before: no layer is read at all. */
  readonly imageCache?: ImageCatalogCache;
  /** Same lower layers seen before: only the new layers' entries are read (see reuseChain). */
  readonly chainCache?: ChainCatalogCache;
}

/** A catalogue whose source stays open: its tree and config serve further analysis without a second read. */
export interface OpenCatalogResult extends CatalogResult {
  readonly config: ImageConfig | undefined;
  /** The tree the catalogue was read from (read now, once, if the catalogue came from the image cache). */
  tree(): Promise<FileTree>;
  close(): Promise<void>;
}

export interface CatalogSourceOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, id: string) => void;
  /** The platform to take from a multi-platform image, as os/arch[/variant] (default linux/<host arch>). */
  readonly platform?: string;
}

export interface OpenCatalogOptions extends Pick<CatalogSourceOptions, 'signal' | 'platform'> {
  /** Files whose contents the caller needs besides the cataloguers' (captured in the same read). */
  readonly alsoWant: (entry: FileEntry) => boolean;
  /** Changes whenever `alsoWant` would select other files: keys the layer cache with the cataloguers'. */
  readonly alsoWantKey: string;
}

export type SbomOutputFormat = 'cyclonedx-json' | 'spdx-json' | 'json';

export interface RenderOptions {
  readonly format: SbomOutputFormat;
  readonly specVersion?: CycloneDxSpecVersion;
  readonly reproducible?: boolean;
}

export interface SbomServices {
  /** Catalogues a source. Lockfile ('declared') cataloguers run only for folder sources, as syft does. */
  catalogSource(source: string, options?: CatalogSourceOptions): Promise<CatalogResult>;
  /**
   * catalogSource that keeps the source open and reads the layers at most once for both the catalogue
   * and the caller's files (alsoWant); the caller closes the result.
   */
  openCatalogued(source: string, options: OpenCatalogOptions): Promise<OpenCatalogResult>;
  renderSbom(result: Pick<CatalogResult, 'subject' | 'catalog'>, options: RenderOptions): string;
  /**
   * Reads a CycloneDX or SPDX JSON SBOM (ours or another tool's) into the catalogue model, with what it
   * says it describes (`subject`, and that image's digest when it names one). Async: the reader (and
   * its SPDX expression parser) loads on first use, not with every `tollgate sbom`.
   */
  readSbom(text: string): Promise<Catalog & { readonly format: SbomFormat; readonly subject?: SbomSubject }>;
}

/** The catalogue of a chain of layers and what its cataloguers consulted (see access-log.ts in image/). */
export interface ChainRecord {
  readonly catalog: Catalog;
  readonly looked: readonly (readonly [string, string])[];
  readonly read: readonly string[];
  readonly listed: readonly string[];
}

/**
 * Catalogues by chain of layers (blob digests, bottom first) and cataloguer selection. A chain that
 * reused a shorter chain's catalogue holds a reference to it, not a copy (records are ~0.5 MB for a
 * Debian base with a node app; a registry holds thousands of images built on a few bases).
 */
export interface ChainCatalogCache {
  get(key: string): Promise<ChainRecord | ChainReference | undefined>;
  put(key: string, entry: ChainRecord | ChainReference): Promise<void>;
}

function isChainReference(entry: object): entry is ChainReference {
  return typeof (entry as { chain?: unknown }).chain === 'string';
}

/** The chain record under `key` (following one reference, as written by the reuse path), with the key it is stored under. */
async function chainRecord(cache: ChainCatalogCache, key: string): Promise<{ key: string; record: ChainRecord } | undefined> {
  const entry = await cache.get(key);
  if (entry === undefined || !isChainReference(entry)) return entry === undefined ? undefined : { key, record: entry };
  const target = await cache.get(entry.chain);
  return target === undefined || isChainReference(target) ? undefined : { key: entry.chain, record: target };
}

/**
 * A file an image cataloguer is given (its `wants`: what runCatalog hands out, wider than the
 * content-capture filter) or a probe runs on.
 */
function isWanted(chosen: Selection, file: FileEntry): boolean {
  return chosen.forImages.some((c) => c.wants(file)) || probed(chosen, file);
}

/** A regular file one of the image probes runs on. */
function probed(chosen: Selection, file: FileEntry): boolean {
  return (file.type === 'file' || file.type === 'hardlink') && chosen.imageProbes.some((p) => p.wants(file));
}

/** Bumped whenever what a chain record holds or means changes (older records then simply miss). */
const CHAIN_RECORD_VERSION = 2;

function chainKey(layers: readonly string[], chosen: Selection): string {
  return `chain@${String(CHAIN_RECORD_VERSION)}/reader-${String(LAYER_READER_VERSION)}/${createHash('sha256').update(layers.join('\n')).digest('hex')}/${chosen.imageWantKey}`;
}

/** A record read back from the data folder as an access log, or undefined when it is not one. */
function logOf(record: ChainRecord): TreeAccessLog | undefined {
  const { looked, read, listed } = record as { looked?: unknown; read?: unknown; listed?: unknown };
  if (!Array.isArray(looked) || !isJsonObject(record.catalog)) return undefined;
  // checked while built, in one pass each (a Debian base with a node app logs a few thousand paths);
  // indexed, not destructured: run once per process, mostly interpreted, the destructuring loop took
  // ~2-3 ms against ~1.3 (measured in a fresh process)
  const lookedMap = new Map<string, string>();
  const pairs = looked as unknown[];
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const path: unknown = pair[0];
    const shape: unknown = pair[1];
    if (typeof path !== 'string' || typeof shape !== 'string') return undefined;
    lookedMap.set(path, shape);
  }
  const readSet = stringSet(read);
  const listedSet = stringSet(listed);
  if (readSet === undefined || listedSet === undefined) return undefined;
  return { looked: lookedMap, read: readSet, listed: listedSet, recording: false };
}

function stringSet(value: unknown): Set<string> | undefined {
  if (!Array.isArray(value)) return undefined;
  const set = new Set<string>();
  for (const item of value as unknown[]) {
    if (typeof item !== 'string') return undefined;
    set.add(item);
  }
  return set;
}

/**
 * The longest proper prefix of `layers` catalogued before, if the layers above it change nothing its
 * cataloguers consulted and hold nothing they want; undefined otherwise (catalogue the whole image).
 */
async function reuseChain(
  cache: ChainCatalogCache,
  layers: readonly string[],
  chosen: Selection,
  readEntries: (from: number) => Promise<LayerEntry[][]>,
): Promise<{ key: string; record: ChainRecord; layers: number } | undefined> {
  for (let k = layers.length - 1; k >= 1; k--) {
    const found = await chainRecord(cache, chainKey(layers.slice(0, k), chosen));
    const log = found === undefined ? undefined : logOf(found.record);
    if (found === undefined || log === undefined) continue;
    const added = await readEntries(k);
    const touched = layersTouch(log, added, (entry, i) => isWanted(chosen, { ...entry, layer: layers[k + i] ?? '' }));
    return touched ? undefined : { ...found, layers: k };
  }
  return undefined;
}

export function makeSbomServices(deps: SbomDeps): SbomServices {
  type Catalogue = (
    source: string,
    options: CatalogSourceOptions,
    also?: OpenCatalogOptions,
  ) => Promise<{ result: CatalogResult; opened: Awaited<ReturnType<OpenTree>>; tree: FileTree | undefined }>;
  // Folders get every cataloguer, images all but the lockfile ('declared') ones (catalog/registry.ts).
  // The image reader's want filter, probes and layer-cache key come from the image selection only (a
  // folder source reads files on demand and ignores them), so lockfiles are never kept or cached from
  // image layers. The cataloguer modules are loaded on the first catalogue that is not cached: an
  // image cache hit is keyed by the fingerprint constant and needs none of them.
  let selection: Promise<Selection> | undefined;
  const select = (): Promise<Selection> =>
    (selection ??= import('../catalog/registry.ts').then((registry) => {
      const forImages = registry.imageCataloguers();
      const imageProbes = collectProbes(forImages);
      return {
        forFolders: registry.folderCataloguers(),
        forImages,
        imageWant: makeWantFilter(forImages),
        imageProbes,
        imageWantKey: `want/${registry.fingerprintOf(forImages)}/probes/${imageProbes.map((p) => p.name).join(',')}`,
        load: registry.loadImplementations,
      };
    }));

  /** What a tree read keeps for the catalogue (and for `also`, when a caller wants more files). */
  const readingFor = (chosen: Selection, also?: OpenCatalogOptions): TreeReading => ({
    want: also === undefined ? chosen.imageWant : anyOf(chosen.imageWant, also.alsoWant),
    probes: chosen.imageProbes,
    wantKey: also === undefined ? chosen.imageWantKey : `${chosen.imageWantKey}+${also.alsoWantKey}`,
  });

  /** The image cache's catalogue under `key`, following a reference to a chain record; undefined on a miss. */
  const cachedCatalog = async (key: string): Promise<Catalog | undefined> => {
    const entry = await deps.imageCache?.get(key);
    if (entry === undefined || !isChainReference(entry)) return entry;
    const found = deps.chainCache === undefined ? undefined : await chainRecord(deps.chainCache, entry.chain);
    return found === undefined || !isJsonObject(found.record.catalog) ? undefined : found.record.catalog;
  };

  /** Catalogues `source` and leaves it open (the caller closes `opened`, also on error: see the callers). */
  const catalogue: Catalogue = async (source, options, also) => {
    const started = monotonicMs();
    const opened = await deps.openTree(source, {
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.platform !== undefined ? { platform: parsePlatform(options.platform) } : {}),
    });
    try {
      const imageKey =
        opened.kind === 'dir' || opened.subject.digest === undefined || deps.imageCache === undefined
          ? undefined
          : `${opened.subject.digest}/${IMAGE_CATALOGUERS_FINGERPRINT}/reader-${String(LAYER_READER_VERSION)}`;
      const cached = imageKey === undefined ? undefined : await cachedCatalog(imageKey);
      if (cached !== undefined) {
        const stats = { files: 0, cacheHits: 1, cacheMisses: 0, imageCacheHit: true, millis: Math.round(monotonicMs() - started) };
        deps.log.debug({ subject: opened.subject, stats }, 'catalogued (image cache)');
        return { opened, tree: undefined, result: { subject: opened.subject, sourceKind: opened.kind, catalog: cached, stats } };
      }
      const chosen = await select();
      const cataloguers = opened.kind === 'dir' ? chosen.forFolders : chosen.forImages;
      const reading = readingFor(chosen, also);
      // An image whose lower layers were catalogued before, under a chain of layers that nothing in its
      // own upper layers can change (layersTouch), reuses that catalogue: only the new layers' entries
      // are read. Otherwise the whole tree is read and catalogued, recording what the cataloguers
      // consulted so that images built on this one can do the same.
      const chain = imageKey !== undefined && deps.chainCache !== undefined && opened.layers !== undefined ? { cache: deps.chainCache, layers: opened.layers } : undefined;
      const readEntries = opened.readLayerEntries;
      if (chain !== undefined && readEntries !== undefined) {
        // the catalogue's own reading (not `also`'s): its layer-cache variant is the one sbom runs fill
        const reused = await reuseChain(chain.cache, chain.layers, chosen, (from) => readEntries(from, readingFor(chosen)));
        if (reused !== undefined) {
          await Promise.all([chain.cache.put(chainKey(chain.layers, chosen), { chain: reused.key }), deps.imageCache?.put(imageKey as string, { chain: reused.key })]);
          const stats = { files: 0, cacheHits: 0, cacheMisses: 0, imageCacheHit: false, chainLayersReused: reused.layers, millis: Math.round(monotonicMs() - started) };
          deps.log.debug({ subject: opened.subject, stats }, 'catalogued (base layers catalogued before, new layers change nothing)');
          return { opened, tree: undefined, result: { subject: opened.subject, sourceKind: opened.kind, catalog: reused.record.catalog, stats } };
        }
      }
      const accessLog = chain === undefined ? undefined : createAccessLog();
      const tree = await opened.readTree(accessLog === undefined ? reading : { ...reading, accessLog });
      // The cataloguers' code, all at once rather than one import per cataloguer as each runs. Loading
      // it while the layers stream was measured as no faster (docs/decisions/image-reading.md).
      await chosen.load(cataloguers);
      const read = monotonicMs();
      const given: string[] = [];
      const result = await runCatalog({
        cataloguers,
        tree,
        ...(accessLog !== undefined ? { onGiven: (entry: FileEntry) => given.push(entry.path) } : {}),
        log: deps.log.child({ service: 'sbom' }),
        ports: deps.sqlite !== undefined ? { sqlite: deps.sqlite } : {},
        ...(deps.cache !== undefined ? { cache: deps.cache } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
        ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
      });
      const { stats, ...catalog } = result;
      // what the cataloguers consulted, taken now: later readers of the tree (reachability) are not theirs.
      // Every file they were given counts as consulted, read or not: deleting one changes their input.
      if (chain !== undefined && accessLog !== undefined) {
        accessLog.recording = false;
        // what isWanted says of the tree: the files runCatalog handed out (the same image cataloguers),
        // and the files a probe ran on
        for (const path of given) accessLog.read.add(path);
        for (const entry of tree.entries()) if (probed(chosen, entry)) accessLog.read.add(entry.path);
        await chain.cache.put(chainKey(chain.layers, chosen), { catalog, looked: [...accessLog.looked], read: [...accessLog.read], listed: [...accessLog.listed] });
      }
      if (imageKey !== undefined) await deps.imageCache?.put(imageKey, catalog);
      const done = monotonicMs();
      const figures = {
        files: tree.size,
        ...stats,
        imageCacheHit: false,
        millis: Math.round(done - started),
        // where the time went: opening and reading the layers, then the cataloguers
        readMillis: Math.round(read - started),
        catalogMillis: Math.round(done - read),
        ...opened.readStats?.(),
      };
      deps.log.debug({ subject: opened.subject, stats: figures }, 'catalogued');
      return { opened, tree, result: { subject: opened.subject, sourceKind: opened.kind, catalog, stats: figures } };
    } catch (error) {
      await opened.close();
      throw error;
    }
  };

  return {
    async catalogSource(source, options = {}) {
      const { result, opened } = await catalogue(source, options);
      await opened.close();
      return result;
    },

    async openCatalogued(source, options) {
      const { result, opened, tree } = await catalogue(source, options, options);
      let read: Promise<FileTree> | undefined = tree === undefined ? undefined : Promise.resolve(tree);
      // After an image cache hit the layers are read only if the caller asks for the tree.
      const readLater = async (): Promise<FileTree> => opened.readTree(readingFor(await select(), options));
      return {
        ...result,
        config: opened.config,
        tree: () => (read ??= readLater()),
        close: () => opened.close(),
      };
    },

    renderSbom(result, options) {
      const common = {
        subject: result.subject,
        tool: deps.tool,
        reproducible: options.reproducible === true,
        now: deps.clock.now(),
        randomUuid: randomUUID,
      };
      switch (options.format) {
        case 'cyclonedx-json':
          return writeCycloneDx(result.catalog, { ...common, specVersion: options.specVersion ?? '1.6' });
        case 'spdx-json':
          return writeSpdx(result.catalog, common);
        case 'json':
          return `${JSON.stringify({ subject: result.subject, ...result.catalog }, null, 2)}\n`;
        default:
          throw new AppError('SBOM_FORMAT_UNSUPPORTED', 'unknown SBOM format', { details: { format: String(options.format) } });
      }
    },

    readSbom: async (text) => (await import('../catalog/sbom/read.ts')).readSbom(text),
  };
}

/**
 * The SQLite port for rpmdb.sqlite: node:sqlite opens files, so the bytes go to a private temp file
 * that is removed afterwards. Read-only queries only.
 */
export function makeTempFileSqliteReader(): SqliteReader {
  return {
    async query(bytes, sql) {
      const dir = await mkdtemp(join(tmpdir(), 'tollgate-sqlite-'));
      const file = join(dir, 'db.sqlite');
      try {
        await writeFile(file, bytes, { mode: 0o600 });
        // node:sqlite loads here, for the rare rpm database, not at every start-up
        const { DatabaseSync } = await import('node:sqlite');
        const db = new DatabaseSync(file, { readOnly: true });
        try {
          return db.prepare(sql).all() as Record<string, unknown>[];
        } finally {
          db.close();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Cache entries up to this size are written synchronously. */
const SYNC_PUT_CHARS = 16 * 1024;
/** Cache files up to this size are read synchronously (a chain record of a Debian base with a node app: ~0.5 MB). */
const SYNC_GET_BYTES = 1024 * 1024;

/** Catalogue results (per layer, or per image) as JSON files under `dir` (keys are hashed into file names). */
export function makeFileCatalogCache<T = CatalogOutput>(dir: string): { get(key: string): Promise<T | undefined>; put(key: string, value: T): Promise<void> } {
  const fileOf = (key: string): string => join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  return {
    async get(key) {
      try {
        const path = fileOf(key);
        // one decode of the whole file (readFile with an encoding decodes chunk by chunk past 512 KiB);
        // written as ASCII (asciiJson), it parses as a one-byte string
        const value = JSON.parse((await readWholeFile(path, { inPlaceUpTo: SYNC_GET_BYTES })).toString('utf8')) as T;
        await markUsed(path); // the data folder's cache is pruned least recently used first
        return value;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        if (error instanceof SyntaxError) return undefined; // a torn write: recompute
        throw new AppError('IO_FAILED', 'could not read the catalogue cache', { cause: error });
      }
    },
    async put(key, output: T) {
      const target = fileOf(key);
      const temp = `${target}.${randomUUID()}.tmp`;
      const text = asciiJson(output);
      if (text.length <= SYNC_PUT_CHARS) {
        // a small entry (a reference to a chain record, a small catalogue): three thread-pool round
        // trips cost more than writing it in place
        mkdirSync(dir, { recursive: true });
        writeFileSync(temp, text);
        renameSync(temp, target);
        return;
      }
      await mkdir(dir, { recursive: true });
      await writeFile(temp, text);
      await rename(temp, target);
    },
  };
}
