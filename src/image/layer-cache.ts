import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, utimesSync, writeSync, writevSync } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { constants as zlibConstants, zstdCompress, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { canonicalJson } from '../core/canonical-json.ts';
import { digestAlgorithm, digestHex, parseDigest, type Digest } from '../core/digest.ts';
import type { Compression } from './layer/compression.ts';
import type { LayerEntry, LayerEntryType } from './layer/layer-entry.ts';
import type { EntryBody } from './layer/read-layer.ts';
import type { ImageLimits } from './limits.ts';
import { MAX_PROBE_BYTES, type ProbeResults } from './probe.ts';

/**
 * Bump when the reader's output for the same bytes changes (entry fields, normalisation, capture rules):
 * every cached layer written by an older reader then misses, and so do the sbom service's image and
 * chain catalogues (their keys carry it). 3: tar split as Go's archive/tar splits it.
 */
export const LAYER_READER_VERSION = 3;

const MAGIC = Buffer.from('TGLAYER2', 'latin1');
const FOOTER = 4 + 32; // u32 header length, sha256 of the compressed header
/** Largest header read back (compressed or not): a guard against a tampered data folder. */
const MAX_HEADER_BYTES = 512 * 1024 ** 2;

/** One layer as read once: every tar entry (whiteouts included) with its body hash (and captured bytes when stored). */
export interface CachedLayer {
  readonly diffId: Digest;
  readonly compression: Compression;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly entries: readonly CachedEntry[];
}

export interface CachedEntry {
  readonly entry: LayerEntry;
  /** sha256 (and probe results) only: captured bytes go through LayerWriter.content and come back from `readContent`. */
  readonly body: EntryBody | undefined;
}

/** A cached layer as loaded: entries without contents, and the captured contents read on demand. */
export interface LoadedLayer extends CachedLayer {
  /**
   * The captured bytes of one entry, checked against the entry's sha256; undefined when the entry
   * was not captured or the stored bytes are missing or corrupt (the caller then reads the blob again).
   */
  readContent(ordinal: number): Promise<Buffer | undefined>;
}

/**
 * Per-layer results of the image read, keyed by the layer blob's digest (content, never a tag) and a
 * variant string (what was captured, under which limits, by which reader version). Used by readImage so
 * an image sharing base layers with one seen before only decompresses its new layers.
 */
export interface LayerCache {
  /**
   * Layers whose blob is smaller than this are neither looked up nor written (LayerCacheOptions.minBlobBytes):
   * readImage reads them from the blob every time.
   */
  readonly minBlobBytes: number;
  /** The cached layer, or undefined when absent, unreadable, or failing its integrity check (never trusted). */
  get(digest: Digest, variant: string): Promise<LoadedLayer | undefined>;
  /**
   * Starts writing a layer while it is being read: captured contents go to disk as they arrive, so they
   * need not stay in memory. Never throws; a failed write makes `finish` answer undefined.
   */
  begin(digest: Digest, variant: string, options?: { readonly small?: boolean }): LayerWriter;
}

export interface LayerWriter {
  /** Queues one captured file's bytes (compressed and appended in the background, in call order). */
  content(ordinal: number, sha256: string, content: Buffer): void;
  /** Writes the header and renames the file into place: the layer as `get` would load it, or undefined on failure. */
  finish(layer: CachedLayer): Promise<LoadedLayer | undefined>;
  /** Drops the partial file (the layer could not be read). */
  abort(): Promise<void>;
  /**
   * After a failed `finish`: the captured contents that never reached the disk (kept in memory), and
   * whether that is all of them (false when some were written before the failure and are gone with the file).
   */
  unwritten(): { readonly contents: ReadonlyMap<number, Buffer>; readonly complete: boolean };
}

/**
 * The variant part of a cache key: the want signature (e.g. the cataloguer set and versions), the limits
 * that shape what a read keeps or refuses, device handling, and the reader version.
 */
export function layerCacheVariant(wantKey: string, limits: ImageLimits, allowDevices: boolean): string {
  return canonicalJson({ reader: LAYER_READER_VERSION, want: wantKey, limits: { ...limits }, allowDevices });
}

export interface LayerCacheOptions {
  /** Told about a cache entry that was present but ignored (corrupt, foreign, unreadable) or could not be written. */
  readonly onProblem?: (details: { digest: string; reason: string }) => void;
  /** Layers whose blob is smaller than this are not cached (default UNCACHED_BLOB_BYTES; 0 caches every layer). */
  readonly minBlobBytes?: number;
}

/**
 * Layers with a smaller blob (compressed) are not cached. Such a layer (a configuration file or two
 * on top of a base: the usual new layer of a rebuild) is cheap to read again whole, in place
 * (readLayerBytes), while looking up its cache file (a thread-pool miss) and writing one (a
 * compressed JSON header, a temporary file, a rename) took ~5 ms of a base-layers-cached `sbom`
 * (measured: docs/decisions/image-reading.md, session 10).
 */
export const UNCACHED_BLOB_BYTES = 16 * 1024;

type Row = [
  ordinal: number,
  path: string,
  type: LayerEntryType,
  mode: number,
  uid: number,
  gid: number,
  size: number,
  mtime: number,
  linkTarget: string | null,
  sha256: string | null,
  contentOffset: number, // -1: not captured
  contentLength: number, // stored length
  devMajor: number | null,
  devMinor: number | null,
  stored: 'zstd' | 'raw',
  probes: Record<string, string> | null, // probe name → result, base64
];

interface Header {
  readonly v: number;
  readonly digest: string;
  readonly variant: string;
  readonly diffId: string;
  readonly compression: Compression;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  /** Contents occupy [MAGIC.length, contentEnd) of the file, one zstd frame per captured file. */
  readonly contentEnd: number;
  readonly rows: Row[];
}

const TYPES: ReadonlySet<string> = new Set(['file', 'dir', 'symlink', 'hardlink', 'fifo', 'char', 'block']);
const COMPRESSIONS: ReadonlySet<string> = new Set(['gzip', 'zstd', 'none']);
const zstdCompressAsync = promisify(zstdCompress);
/** Captured files at least this big are stored uncompressed. */
const RAW_FROM_BYTES = 256 * 1024;
/** Captured contents are written in batches of about this many bytes. */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** Headers (as JSON) up to this size are compressed synchronously. */
const SYNC_HEADER_BYTES = 64 * 1024;
const ZSTD_FAST = { params: { [zlibConstants.ZSTD_c_compressionLevel]: 1 } };

/** What a layer writer does to files: through the thread pool, or in place (a small layer, see LayerCache.begin). */
interface WriterFiles {
  mkdir(folder: string): Promise<unknown>;
  open(path: string): Promise<WriterHandle>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string): Promise<void>;
}

interface WriterHandle {
  write(data: Buffer): Promise<unknown>;
  writev(data: Buffer[]): Promise<{ readonly bytesWritten: number }>;
  close(): Promise<void>;
}

const THREAD_POOL: WriterFiles = {
  mkdir: (folder) => mkdir(folder, { recursive: true }),
  open: (path) => open(path, 'wx', 0o644),
  rename,
  rm: (path) => rm(path, { force: true }),
};

/**
 * For a small layer (read whole: SMALL_LAYER_BYTES; the smallest are not cached at all,
 * UNCACHED_BLOB_BYTES) the writes are few and small, and each thread-pool round trip costs more than
 * the write: in place.
 */
const IN_PLACE: WriterFiles = {
  mkdir: async (folder) => mkdirSync(folder, { recursive: true }),
  open: async (path) => {
    const fd = openSync(path, 'wx', 0o644);
    return {
      write: async (data) => writeSync(fd, data),
      writev: async (data) => ({ bytesWritten: writevSync(fd, data) }),
      close: async () => closeSync(fd),
    };
  },
  rename: async (from, to) => renameSync(from, to),
  rm: async (path) => rmSync(path, { force: true }),
};

/**
 * A LayerCache on the filesystem: `<dir>/<algorithm>/<blob hex>.<variant hash>.layer`. Layout: MAGIC,
 * each captured file (a zstd frame, or as is when large), the zstd-compressed JSON header (entries as rows), the header's
 * length (u32 LE) and its sha256. The header is verified on load; each content is verified against its
 * entry's sha256 when read. Written to a temporary file and renamed into place (atomic).
 */
export function createLayerCache(dir: string, options: LayerCacheOptions = {}): LayerCache {
  const pathFor = (digest: Digest, variant: string): string => {
    const checked = parseDigest(digest);
    const variantHash = createHash('sha256').update(variant).digest('hex').slice(0, 24);
    return join(dir, digestAlgorithm(checked), `${digestHex(checked)}.${variantHash}.layer`);
  };
  const problem = (digest: string, reason: string): undefined => {
    options.onProblem?.({ digest, reason });
    return undefined;
  };

  function begin(digest: Digest, variant: string, options: { readonly small?: boolean } = {}): LayerWriter {
    const path = pathFor(digest, variant);
    const folder = join(dir, digestAlgorithm(parseDigest(digest)));
    const temp = join(folder, `.${randomBytes(8).toString('hex')}.tmp`);
    const locations = new Map<number, Location>();
    const spilled = new Map<number, Buffer>();
    const io = options.small === true ? IN_PLACE : THREAD_POOL;
    let offset = MAGIC.length;
    let failure: unknown;
    let file: WriterHandle | undefined;
    // every write goes through this chain, in order (contents are compressed as they arrive, see content)
    let chain: Promise<void> = (async () => {
      await io.mkdir(folder);
      file = await io.open(temp);
      await file.write(MAGIC);
    })().catch((error: unknown) => {
      failure = error;
    });
    const enqueue = (step: (handle: WriterHandle) => Promise<void>, onSkip?: () => void): void => {
      chain = chain.then(async () => {
        if (failure !== undefined || file === undefined) {
          onSkip?.();
          return;
        }
        try {
          await step(file);
        } catch (error) {
          failure = error;
          onSkip?.();
        }
      });
    };
    // captured contents wait here and are written together (one write per ~1 MiB, not one per file)
    let pending: { ordinal: number; sha256: string; stored: Location['stored']; bytes: Buffer; content: Buffer }[] = [];
    let pendingBytes = 0;
    const flush = (): void => {
      if (pending.length === 0) return;
      const batch = pending;
      const total = pendingBytes;
      pending = [];
      pendingBytes = 0;
      enqueue(
        async (handle) => {
          const { bytesWritten } = await handle.writev(batch.map((item) => item.bytes));
          if (bytesWritten !== total) throw new Error(`short write: ${String(bytesWritten)} of ${String(total)} bytes`);
          for (const { ordinal, sha256, stored, bytes, content } of batch) {
            locations.set(ordinal, { offset, length: bytes.length, size: content.length, sha256, stored });
            offset += bytes.length;
          }
        },
        () => {
          for (const { ordinal, content } of batch) spilled.set(ordinal, content);
        },
      );
    };
    const discard = async (): Promise<void> => {
      await chain;
      await file?.close().catch((error: unknown) => {
        failure ??= error;
      });
      file = undefined;
      // the temp file may not exist, or its folder may be unusable (that is why we are here)
      await io.rm(temp).catch((error: unknown) => {
        failure ??= error;
      });
    };
    return {
      content(ordinal, sha256, content) {
        if (failure !== undefined) {
          spilled.set(ordinal, content);
          return;
        }
        // big files (binaries) are stored as they are: compressing them costs more CPU than the read saves.
        // The rest (package manifests, dpkg lists: KiBs) are compressed in place: the async call's stream
        // and thread-pool round trip cost ~6x the compression itself at these sizes (192 files of
        // bench/sbom's layer: ~35 ms async, ~5 ms sync).
        const stored = content.length >= RAW_FROM_BYTES ? 'raw' : 'zstd';
        const bytes = stored === 'raw' ? content : zstdCompressSync(content, ZSTD_FAST);
        pending.push({ ordinal, sha256, stored, bytes, content });
        pendingBytes += bytes.length;
        if (pendingBytes >= WRITE_BATCH_BYTES) flush();
      },
      unwritten() {
        return { contents: spilled, complete: locations.size === 0 };
      },
      async finish(layer) {
        flush();
        enqueue(async (handle) => {
          // after every queued content step: the locations are complete here
          const rows: Row[] = [];
          for (const { entry, body } of layer.entries) {
            const where = locations.get(entry.ordinal);
            rows.push([
              entry.ordinal,
              entry.path,
              entry.type,
              entry.mode,
              entry.uid,
              entry.gid,
              entry.size,
              entry.mtime,
              entry.linkTarget ?? null,
              body?.sha256 ?? null,
              where?.offset ?? -1,
              where?.length ?? 0,
              entry.devMajor ?? null,
              entry.devMinor ?? null,
              where?.stored ?? 'zstd',
              body?.probes === undefined ? null : Object.fromEntries(Object.entries(body.probes).map(([name, bytes]) => [name, bytes.toString('base64')])),
            ]);
          }
          const header: Header = {
            v: LAYER_READER_VERSION,
            digest,
            variant,
            diffId: layer.diffId,
            compression: layer.compression,
            compressedBytes: layer.compressedBytes,
            uncompressedBytes: layer.uncompressedBytes,
            contentEnd: offset,
            rows,
          };
          // a small header (a layer of a few files) compressed in place: for it, the async call's stream
          // set-up costs more than the compression (as for contents); a big one off the main thread
          const json = Buffer.from(JSON.stringify(header));
          const packed = json.length < SYNC_HEADER_BYTES ? zstdCompressSync(json, ZSTD_FAST) : await zstdCompressAsync(json, ZSTD_FAST);
          const footer = Buffer.alloc(FOOTER);
          footer.writeUInt32LE(packed.length, 0);
          createHash('sha256').update(packed).digest().copy(footer, 4);
          await handle.write(packed);
          await handle.write(footer);
          await handle.close();
          file = undefined;
          await io.rename(temp, path);
        });
        await chain;
        if (failure !== undefined) {
          await discard();
          return problem(digest, `not written: ${(failure as NodeJS.ErrnoException).code ?? String(failure)}`);
        }
        // the reader hands over entries without contents (those went to `content`)
        return loaded(path, digest, layer, locations, problem);
      },
      async abort() {
        failure ??= new Error('aborted');
        await discard();
      },
    };
  }

  return {
    minBlobBytes: options.minBlobBytes ?? UNCACHED_BLOB_BYTES,
    begin,
    async get(digest, variant) {
      const path = pathFor(digest, variant);
      let header: Header;
      try {
        const read = await readHeader(path);
        if (read === undefined) return undefined;
        if (typeof read === 'string') return problem(digest, read);
        header = read;
      } catch (cause) {
        return problem(digest, `unreadable: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
      }
      const decoded = decode(header, digest, variant);
      if (decoded === undefined) return problem(digest, 'malformed header');
      await markUsed(path);
      return loaded(path, digest, decoded.layer, decoded.locations, problem);
    },
  };
}

/**
 * Records a cache hit: the file's modification time is its last use, which pruning the data folder's
 * cache (least recently used first) goes by. Best effort: an entry pruned meanwhile is simply gone.
 */
export async function markUsed(path: string): Promise<void> {
  const now = new Date();
  try {
    // one system call: in place, not a thread-pool round trip
    utimesSync(path, now, now);
  } catch {
    return; // a file pruned meanwhile, or a read-only folder: its age is only a hint
  }
}

/**
 * Stored contents up to this size are read in one go on the first readContent and kept with the
 * loaded layer: cataloguers read hundreds of small captured files (package.json, dpkg lists), and one
 * open + read each cost more than the catalogue. Bigger regions are read file by file.
 */
const READ_WHOLE_REGION_BYTES = 32 * 1024 * 1024;

function loaded(
  path: string,
  digest: string,
  layer: CachedLayer,
  locations: ReadonlyMap<number, Location>,
  problem: (digest: string, reason: string) => undefined,
): LoadedLayer {
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const where of locations.values()) {
    start = Math.min(start, where.offset);
    end = Math.max(end, where.offset + where.length);
  }
  let region: Promise<Buffer> | undefined;
  const frameAt = (where: Location): Promise<Buffer> => {
    if (end - start > READ_WHOLE_REGION_BYTES) return readAt(path, where.offset, where.length);
    region ??= readAt(path, start, end - start);
    return region.then((all) => all.subarray(where.offset - start, where.offset - start + where.length));
  };
  return {
    ...layer,
    async readContent(ordinal) {
      const where = locations.get(ordinal);
      if (where === undefined) return undefined;
      try {
        const frame = await frameAt(where);
        const content = where.stored === 'raw' ? frame : zstdDecompressSync(frame, { maxOutputLength: Math.max(where.size, 1) });
        if (content.length !== where.size || createHash('sha256').update(content).digest('hex') !== where.sha256) {
          return problem(digest, 'stored content does not match its hash');
        }
        return content;
      } catch (cause) {
        return problem(digest, `stored content unreadable: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`);
      }
    },
  };
}

/** The verified header, undefined when there is no file, or a reason string when it cannot be trusted. */
async function readHeader(path: string): Promise<Header | string | undefined> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cause;
  }
  try {
    const { size } = await file.stat();
    if (size < MAGIC.length + FOOTER) return 'truncated';
    const magic = Buffer.alloc(MAGIC.length);
    await file.read(magic, 0, magic.length, 0);
    if (!magic.equals(MAGIC)) return 'bad magic';
    const footer = Buffer.alloc(FOOTER);
    await file.read(footer, 0, FOOTER, size - FOOTER);
    const length = footer.readUInt32LE(0);
    if (length > MAX_HEADER_BYTES || MAGIC.length + length + FOOTER > size) return 'bad header length';
    const packed = Buffer.alloc(length);
    await file.read(packed, 0, length, size - FOOTER - length);
    if (!createHash('sha256').update(packed).digest().equals(footer.subarray(4))) return 'hash mismatch';
    const parsed = JSON.parse(zstdDecompressSync(packed, { maxOutputLength: MAX_HEADER_BYTES }).toString('utf8')) as Header;
    if (parsed === null || typeof parsed !== 'object' || parsed.contentEnd !== size - FOOTER - length) return 'bad content length';
    return parsed;
  } catch (cause) {
    return `undecodable: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`;
  } finally {
    await file.close();
  }
}

async function readAt(path: string, offset: number, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await file.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

interface Location {
  /** Where the stored content (zstd frame or raw bytes) starts in the file, and its length. */
  readonly offset: number;
  readonly length: number;
  readonly size: number;
  readonly sha256: string;
  readonly stored: 'zstd' | 'raw';
}

function decode(header: Header, digest: string, variant: string): { layer: CachedLayer; locations: Map<number, Location> } | undefined {
  if (
    header.v !== LAYER_READER_VERSION ||
    header.digest !== digest ||
    header.variant !== variant ||
    typeof header.diffId !== 'string' ||
    !/^sha256:[0-9a-f]{64}$/.test(header.diffId) ||
    !COMPRESSIONS.has(header.compression) ||
    !Number.isSafeInteger(header.compressedBytes) ||
    !Number.isSafeInteger(header.uncompressedBytes) ||
    !Array.isArray(header.rows)
  ) {
    return undefined;
  }
  const entries: CachedEntry[] = [];
  const locations = new Map<number, Location>();
  for (const row of header.rows) {
    if (!Array.isArray(row) || row.length !== 16) return undefined;
    const [ordinal, path, type, mode, uid, gid, size, mtime, linkTarget, sha256, contentOffset, contentLength, devMajor, devMinor, stored, probeRow] = row;
    if (stored !== 'zstd' && stored !== 'raw') return undefined;
    if (typeof path !== 'string' || !path.startsWith('/') || !TYPES.has(type)) return undefined;
    if (![ordinal, mode, uid, gid, size, mtime, contentOffset, contentLength].every(Number.isSafeInteger)) return undefined;
    const entry: LayerEntry = {
      ordinal,
      path,
      type,
      mode,
      uid,
      gid,
      size,
      mtime,
      ...(typeof linkTarget === 'string' ? { linkTarget } : {}),
      ...(typeof devMajor === 'number' ? { devMajor } : {}),
      ...(typeof devMinor === 'number' ? { devMinor } : {}),
    };
    let body: EntryBody | undefined;
    if (type === 'file') {
      if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return undefined;
      const probes = decodeProbes(probeRow);
      if (probes === false) return undefined;
      body = probes === undefined ? { sha256 } : { sha256, probes };
      if (contentOffset >= 0) {
        if (contentOffset < MAGIC.length || contentLength <= 0 || contentOffset + contentLength > header.contentEnd) return undefined;
        locations.set(ordinal, { offset: contentOffset, length: contentLength, size, sha256, stored });
      }
    }
    entries.push({ entry, body });
  }
  return {
    layer: {
      diffId: header.diffId as Digest,
      compression: header.compression,
      compressedBytes: header.compressedBytes,
      uncompressedBytes: header.uncompressedBytes,
      entries,
    },
    locations,
  };
}

/** A row's probe results: undefined when none, false when malformed (the whole entry is then distrusted). */
function decodeProbes(value: unknown): ProbeResults | undefined | false {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  const out: Record<string, Buffer> = {};
  for (const [name, encoded] of Object.entries(value as Record<string, unknown>)) {
    if (typeof encoded !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return false;
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length > MAX_PROBE_BYTES) return false;
    out[name] = bytes;
  }
  return out;
}
