import { createHash, hash as hashOnce, type Hash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../core/errors.ts';
import type { Digest } from '../../core/digest.ts';
import type { ImageLimits } from '../limits.ts';
import { createDecompressor, createDecoupler, decompressSync, detectCompression, HAND_ON_SLICE, SNIFF_BYTES, type Compression } from './compression.ts';
import { toLayerEntry, type LayerEntry } from './layer-entry.ts';
import { TarParser, type TarBodySink } from './tar-parser.ts';
import { MAX_PROBE_BYTES, type FileProbe, type ProbeResults } from '../probe.ts';

/** Running totals across the layers of one image (decompressed bytes, tar entries). */
export interface ImageCounters {
  imageBytes: number;
  entries: number;
}

export interface ReadLayerOptions {
  readonly limits: ImageLimits;
  /** Totals shared by all layers of an image, for maxImageBytes and maxEntries. */
  readonly counters?: ImageCounters;
  /** Record device nodes instead of refusing them. */
  readonly allowDevices?: boolean;
  /** Called before a regular file's body is read: true keeps the body in memory (≤ maxFileReadBytes). */
  readonly capture?: (entry: LayerEntry) => boolean;
  /** Called before a regular file's body is read: the probes to feed its bytes to (any size). */
  readonly probe?: (entry: LayerEntry) => readonly NamedProbe[] | undefined;
  /** The config's diff id for this layer: a different sha256 of the tar is DIGEST_MISMATCH. */
  readonly expectedDiffId?: Digest;
  /** Stop once the entry with this ordinal has been visited (re-reading one file). */
  readonly stopAt?: number;
  readonly signal?: AbortSignal;
}

export interface LayerReadResult {
  readonly compression: Compression;
  /** Blob bytes read. */
  readonly compressedBytes: number;
  /** Tar bytes (decompressed). */
  readonly uncompressedBytes: number;
  /** sha256 of the uncompressed tar; undefined when stopped early. */
  readonly diffId?: Digest;
  readonly entries: number;
  readonly stoppedEarly: boolean;
}

/** A regular file's body hash (and contents when captured, probe results when probed). */
export interface EntryBody {
  readonly sha256: string;
  readonly content?: Buffer;
  readonly probes?: ProbeResults;
}

export interface NamedProbe {
  readonly name: string;
  readonly probe: FileProbe;
}

export type LayerVisitor = (entry: LayerEntry, body: EntryBody | undefined) => void;

/**
 * Streams one layer blob exactly once: sniffs the compression, decompresses, counts and hashes the
 * tar (the diff id), enforces the size, ratio, entry and path limits, and hands each validated entry
 * (with the sha256 of regular files) to `visit` in archive order. Nothing touches the disk.
 */
export async function readLayer(blob: Readable, visit: LayerVisitor, options: ReadLayerOptions): Promise<LayerReadResult> {
  const iterator = blob[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let compressedBytes = 0;
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let blobEnded = false;
  try {
    while (headLength < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done === true) {
        blobEnded = true;
        break;
      }
      headChunks.push(next.value);
      headLength += next.value.length;
      compressedBytes += next.value.length;
    }
  } catch (error) {
    blob.destroy();
    throw mapStreamError(error);
  }
  const head = Buffer.concat(headChunks);
  let compression: Compression;
  try {
    compression = detectCompression(head.subarray(0, SNIFF_BYTES));
  } catch (error) {
    blob.destroy();
    throw error;
  }

  async function* compressedChunks(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (blobEnded) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      compressedBytes += next.value.length;
      yield next.value;
    }
  }

  const feed = tarFeed(visit, options, compression, () => compressedBytes);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (feed.stoppedEarly) {
        callback();
        return;
      }
      try {
        feed.write(chunk);
      } catch (error) {
        callback(error as Error);
        return;
      }
      if (feed.stoppedEarly) abort.abort(new Error('stopped early'));
      callback();
    },
    final(callback) {
      try {
        feed.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });

  const abort = new AbortController();
  const onAbort = (): void => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await pipeline(Readable.from(compressedChunks(), { objectMode: false }), createDecompressor(compression, options.expectedDiffId !== undefined), createDecoupler(), sink, {
      signal: abort.signal,
    });
  } catch (error) {
    blob.destroy();
    if (!feed.stoppedEarly) throw mapStreamError(error);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (feed.stoppedEarly) blob.destroy();
  return feed.result();
}

/** Blobs up to this size may be read whole (readLayerBytes) instead of streamed. */
export const SMALL_LAYER_BYTES = 256 * 1024;
/** Decompressed bytes readLayerBytes holds at most; a blob that inflates to more is streamed after all. */
export const SMALL_LAYER_OUTPUT_BYTES = 16 * 1024 * 1024;

/**
 * readLayer for a blob already read whole and verified against its digest (a small layer, see
 * SMALL_LAYER_BYTES): decompressed in one call and parsed in one pass, with the same checks, limits,
 * entries and errors. A first run of Node's stream stages (pipeline, zlib streams, the tar sink) costs
 * ~10 ms of compiling in every process, more than a small layer's whole read; an image built on a
 * catalogued base reads just such a layer. Undefined when it inflates past SMALL_LAYER_OUTPUT_BYTES:
 * stream it (nothing has been visited yet).
 */
export function readLayerBytes(blob: Buffer, visit: LayerVisitor, options: ReadLayerOptions): LayerReadResult | undefined {
  options.signal?.throwIfAborted();
  const compression = detectCompression(blob.subarray(0, SNIFF_BYTES));
  let tar: Buffer | undefined;
  try {
    tar = decompressSync(compression, blob, options.expectedDiffId !== undefined, SMALL_LAYER_OUTPUT_BYTES);
  } catch (error) {
    throw mapStreamError(error);
  }
  if (tar === undefined) return undefined;
  const feed = tarFeed(visit, options, compression, () => blob.length);
  try {
    // in the pieces the stream's sink gets, so that limits trip at the same point with the same error
    for (let at = 0; at < tar.length && !feed.stoppedEarly; at += HAND_ON_SLICE) feed.write(tar.subarray(at, at + HAND_ON_SLICE));
    if (!feed.stoppedEarly) feed.end();
  } catch (error) {
    throw mapStreamError(error);
  }
  return feed.result();
}

interface TarFeed {
  readonly stoppedEarly: boolean;
  /** Decompressed bytes, in order: counted against the limits, hashed (the diff id), parsed. */
  write(chunk: Buffer): void;
  end(): void;
  /** After end (or a stop): the figures; DIGEST_MISMATCH when the tar is not the expected diff id. */
  result(): LayerReadResult;
}

/** What both reads do with the decompressed tar: limits, the diff id, tar entries to `visit`. */
function tarFeed(visit: LayerVisitor, options: ReadLayerOptions, compression: Compression, compressedBytes: () => number): TarFeed {
  const { limits } = options;
  const counters = options.counters ?? { imageBytes: 0, entries: 0 };
  const diffHash = createHash('sha256');
  let uncompressedBytes = 0;
  let ordinal = 0;
  let stoppedEarly = false;
  const rules = { limits, ...(options.allowDevices !== undefined ? { allowDevices: options.allowDevices } : {}) };
  const visited = (): void => {
    if (options.stopAt === ordinal) {
      stoppedEarly = true;
      parser.stop();
      return;
    }
    ordinal += 1;
  };
  const parser = new TarParser((header) => {
    counters.entries += 1;
    if (counters.entries > limits.maxEntries) {
      throw new AppError('LIMIT_ENTRY_COUNT', 'the image has more tar entries than the limit', { details: { limit: limits.maxEntries } });
    }
    const entry = toLayerEntry(header, ordinal, rules);
    if (entry.type !== 'file') {
      visit(entry, undefined);
      visited();
      return undefined;
    }
    return fileSink(entry, options, limits, (body) => {
      visit(entry, body);
      visited();
    });
  });
  return {
    get stoppedEarly() {
      return stoppedEarly;
    },
    write(chunk) {
      uncompressedBytes += chunk.length;
      counters.imageBytes += chunk.length;
      const limitError = checkSizeLimits(limits, compression, uncompressedBytes, compressedBytes(), counters.imageBytes);
      if (limitError !== undefined) throw limitError;
      diffHash.update(chunk);
      parser.write(chunk);
    },
    end() {
      parser.end();
    },
    result() {
      if (stoppedEarly) return { compression, compressedBytes: compressedBytes(), uncompressedBytes, entries: ordinal + 1, stoppedEarly: true };
      const diffId: Digest = `sha256:${diffHash.digest('hex')}`;
      if (options.expectedDiffId !== undefined && options.expectedDiffId !== diffId) {
        throw new AppError('DIGEST_MISMATCH', 'the layer does not match the diff id in the image config', {
          details: { expected: options.expectedDiffId, actual: diffId },
        });
      }
      return { compression, compressedBytes: compressedBytes(), uncompressedBytes, diffId, entries: ordinal, stoppedEarly: false };
    },
  };
}

/** Hashes a regular file's data as it streams by, keeping it when captured and feeding its probes. */
function fileSink(entry: LayerEntry, options: ReadLayerOptions, limits: ImageLimits, done: (body: EntryBody) => void): TarBodySink {
  // Most files arrive in one piece: hashed in one call then (crypto.hash, ~1 us less per file than a
  // Hash object); a Hash is made only when a second piece comes.
  let first: Buffer | undefined;
  let hash: Hash | undefined;
  const keep = entry.size <= limits.maxFileReadBytes && options.capture?.(entry) === true;
  const probes = options.probe?.(entry);
  const parts: Buffer[] = [];
  let probing = probes !== undefined && probes.length > 0;
  return {
    data(chunk) {
      if (hash !== undefined) hash.update(chunk);
      else if (first === undefined) first = chunk;
      else hash = createHash('sha256').update(first).update(chunk);
      if (keep) parts.push(chunk);
      if (probing) {
        probing = false;
        for (const { probe } of probes as readonly NamedProbe[]) {
          if (probe.done) continue;
          probe.write(chunk);
          probing ||= !probe.done;
        }
      }
    },
    end() {
      const results = probes === undefined || probes.length === 0 ? undefined : finishProbes(probes);
      // the parts are views into the inflater's output: copied, so a kept file holds only its bytes
      const content = keep ? (parts.length === 1 ? Buffer.from(parts[0] as Buffer) : Buffer.concat(parts)) : undefined;
      const sha256 = hash !== undefined ? hash.digest('hex') : hashOnce('sha256', first ?? EMPTY, 'hex');
      done({ sha256, ...(content !== undefined ? { content } : {}), ...(results !== undefined ? { probes: results } : {}) });
    },
  };
}

const EMPTY = Buffer.alloc(0);

function finishProbes(probes: readonly NamedProbe[]): ProbeResults {
  const results: Record<string, Buffer> = {};
  for (const { name, probe } of probes) {
    const result = probe.finish();
    results[name] = result.length > MAX_PROBE_BYTES ? result.subarray(0, MAX_PROBE_BYTES) : result;
  }
  return results;
}

function checkSizeLimits(
  limits: ImageLimits,
  compression: Compression,
  layerBytes: number,
  compressedBytes: number,
  imageBytes: number,
): AppError | undefined {
  if (layerBytes > limits.maxLayerBytes) {
    return new AppError('LIMIT_DECOMPRESSED_SIZE', 'a layer decompresses to more than the limit', {
      details: { limit: limits.maxLayerBytes },
    });
  }
  if (imageBytes > limits.maxImageBytes) {
    return new AppError('LIMIT_DECOMPRESSED_SIZE', 'the image decompresses to more than the limit', {
      details: { limit: limits.maxImageBytes },
    });
  }
  if (compression !== 'none' && layerBytes > limits.ratioGraceBytes && layerBytes > compressedBytes * limits.maxCompressionRatio) {
    return new AppError('LIMIT_COMPRESSION_RATIO', 'a layer decompresses at a ratio above the limit', {
      details: { limit: limits.maxCompressionRatio, decompressed: layerBytes, compressed: compressedBytes },
    });
  }
  return undefined;
}

/** Maps zlib and stream failures onto archive error codes; AppErrors pass through. */
export function mapStreamError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const err = error as NodeJS.ErrnoException & { cause?: unknown };
  if (err?.name === 'AbortError' && err.cause !== undefined && err.cause !== error) return mapStreamError(err.cause);
  const message = typeof err?.message === 'string' ? err.message : '';
  const code = typeof err?.code === 'string' ? err.code : '';
  if (code === 'Z_BUF_ERROR' || /unexpected end of (file|data)/i.test(message) || code === 'ERR_STREAM_PREMATURE_CLOSE') {
    return new AppError('ARCHIVE_TRUNCATED', 'the layer stream ends early', { cause: error, details: { reason: code || 'eof' } });
  }
  if (code.startsWith('Z_') || code.startsWith('ERR_ZSTD') || code.startsWith('ERR__ZSTD') || /zstd/i.test(message)) {
    return new AppError('ARCHIVE_INVALID', 'the layer is not valid compressed data', { cause: error, details: { reason: code } });
  }
  if (/tar header|Invalid header|Header exceeds/i.test(message)) {
    return new AppError('ARCHIVE_INVALID', 'the layer is not a valid tar archive', { cause: error });
  }
  if (code === 'ENOENT') {
    return new AppError('SOURCE_NOT_FOUND', 'a layer file is missing', { cause: error });
  }
  return new AppError('IO_FAILED', 'reading the layer failed', { cause: error, details: { reason: code } });
}
