import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract as tarExtract } from 'tar-stream';
import { AppError, isAppError } from '../../core/errors.ts';
import type { Digest } from '../../core/digest.ts';
import type { ImageLimits } from '../limits.ts';
import { createDecompressor, createDecoupler, detectCompression, SNIFF_BYTES, type Compression } from './compression.ts';
import { toLayerEntry, type LayerEntry } from './layer-entry.ts';
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
  const { limits } = options;
  const counters = options.counters ?? { imageBytes: 0, entries: 0 };
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

  const diffHash = createHash('sha256');
  let uncompressedBytes = 0;
  // Tars written without Close (umoci insert) end right after the last entry's data: no padding to
  // 512, no end-of-archive zero blocks. The meter pads such a stream's tail with zeros for the tar
  // parser (not hashed), and the end checks that the zeros fell past the last entry's data.
  let padded = 0;
  let lastDataEnd = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      uncompressedBytes += chunk.length;
      counters.imageBytes += chunk.length;
      const limitError = checkSizeLimits(limits, compression, uncompressedBytes, compressedBytes, counters.imageBytes);
      if (limitError !== undefined) {
        callback(limitError);
        return;
      }
      diffHash.update(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      padded = (512 - (uncompressedBytes % 512)) % 512;
      callback(null, padded > 0 ? Buffer.alloc(padded) : undefined);
    },
  });
  // A partial last block the tar parser rejects is a cut archive, not a corrupt one.
  const mapEndError = (error: unknown): AppError => {
    const mapped = mapStreamError(error);
    if (padded === 0 || mapped.code !== 'ARCHIVE_INVALID') return mapped;
    return new AppError('ARCHIVE_TRUNCATED', 'the layer stream ends inside a tar header', { cause: error, details: { bytes: uncompressedBytes } });
  };

  const extract = tarExtract();
  const abort = new AbortController();
  const onAbort = (): void => abort.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const flowing = pipeline(Readable.from(compressedChunks(), { objectMode: false }), createDecompressor(compression), createDecoupler(), meter, extract, {
    signal: abort.signal,
  });
  let pipelineError: unknown;
  const flowed = flowing.then(
    () => undefined,
    (error: unknown) => {
      pipelineError = error;
    },
  );

  let ordinal = 0;
  let stoppedEarly = false;
  try {
    for await (const entryStream of extract) {
      const header = entryStream.header as { byteOffset?: number; size?: number; type?: string };
      lastDataEnd = (header.byteOffset ?? 0) + (header.type === 'directory' ? 0 : (header.size ?? 0));
      counters.entries += 1;
      if (counters.entries > limits.maxEntries) {
        throw new AppError('LIMIT_ENTRY_COUNT', 'the image has more tar entries than the limit', {
          details: { limit: limits.maxEntries },
        });
      }
      const entry = toLayerEntry(entryStream.header, ordinal, {
        limits,
        ...(options.allowDevices !== undefined ? { allowDevices: options.allowDevices } : {}),
      });
      let body: EntryBody | undefined;
      if (entry.type === 'file') {
        const hash = createHash('sha256');
        const keep = entry.size <= limits.maxFileReadBytes && options.capture?.(entry) === true;
        const probes = options.probe?.(entry);
        const parts: Buffer[] = [];
        let probing = probes !== undefined && probes.length > 0;
        for await (const chunk of entryStream as AsyncIterable<Buffer>) {
          hash.update(chunk);
          if (keep) parts.push(chunk);
          if (probing) {
            probing = false;
            for (const { probe } of probes as readonly NamedProbe[]) {
              if (probe.done) continue;
              probe.write(chunk);
              probing ||= !probe.done;
            }
          }
        }
        const sha256 = hash.digest('hex');
        const results = probes === undefined || probes.length === 0 ? undefined : finishProbes(probes);
        body = { sha256, ...(keep ? { content: Buffer.concat(parts) } : {}), ...(results !== undefined ? { probes: results } : {}) };
      } else {
        entryStream.resume();
      }
      visit(entry, body);
      if (options.stopAt === ordinal) {
        stoppedEarly = true;
        break;
      }
      ordinal += 1;
    }
  } catch (error) {
    abort.abort(error);
    await flowed;
    blob.destroy();
    if (isAppError(error)) throw error;
    throw mapEndError(pipelineError ?? error);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (stoppedEarly) {
    abort.abort(new Error('stopped early'));
    await flowed;
    blob.destroy();
    return { compression, compressedBytes, uncompressedBytes, entries: ordinal + 1, stoppedEarly: true };
  }
  await flowed;
  if (pipelineError !== undefined) throw mapEndError(pipelineError);
  // Ending at an entry boundary (or right after the last entry's data) without the end-of-archive
  // blocks is accepted, as GNU tar does; ending inside file data is not.
  if (padded > 0 && lastDataEnd > uncompressedBytes) {
    throw new AppError('ARCHIVE_TRUNCATED', 'the layer stream ends inside a file', { details: { bytes: uncompressedBytes } });
  }
  const diffId: Digest = `sha256:${diffHash.digest('hex')}`;
  if (options.expectedDiffId !== undefined && options.expectedDiffId !== diffId) {
    throw new AppError('DIGEST_MISMATCH', 'the layer does not match the diff id in the image config', {
      details: { expected: options.expectedDiffId, actual: diffId },
    });
  }
  return { compression, compressedBytes, uncompressedBytes, diffId, entries: ordinal, stoppedEarly: false };
}

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

/** Maps zlib and tar-stream failures onto archive error codes; AppErrors pass through. */
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
