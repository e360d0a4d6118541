import { PassThrough, Transform } from 'node:stream';
import { createGunzip, createZstdDecompress, gunzipSync, zstdDecompressSync } from 'node:zlib';
import { AppError } from '../../core/errors.ts';
import { createGzipMembers, inflateGzipMembersSync } from './gzip-members.ts';
import { isZeroBlock, validChecksum } from './tar-format.ts';

export type Compression = 'gzip' | 'zstd' | 'none';

/** Bytes needed to tell the formats apart (a whole tar header block). */
export const SNIFF_BYTES = 512;

/**
 * Detects a layer's compression from its first bytes (never from the media type, which may lie):
 * gzip 1f 8b, zstd 28 b5 2f fd, else an uncompressed tar (a valid header checksum, an all-zero
 * end block, or an empty blob). Anything else is ARCHIVE_COMPRESSION_UNSUPPORTED.
 */
export function detectCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if (head.length === 0) return 'none';
  if (head.length >= SNIFF_BYTES && (isZeroBlock(head) || validChecksum(head))) return 'none';
  throw new AppError('ARCHIVE_COMPRESSION_UNSUPPORTED', 'the layer is not a tar, tar+gzip or tar+zstd stream', {
    details: { magic: head.subarray(0, 6).toString('hex') },
  });
}

/**
 * Read and inflate in large chunks: each chunk costs a round trip to the zlib thread and a pass through
 * every stream stage (meter, tar parser), so 16 KiB defaults spend more time on overhead than on bytes.
 * Blob reads of 1 MiB rather than 256 KiB (each read and each zlib write is a trip through libuv's
 * thread pool): bench/sbom's cold run ~100 ms faster, peak RSS +5-10 MB (same-minute medians of 12);
 * 2 and 4 MiB gained little more and cost +25-35 MB.
 */
export const BLOB_READ_CHUNK = 1024 * 1024;
export const INFLATE_CHUNK = 1024 * 1024;
/** Inflated bytes allowed to wait for the main thread while zlib's thread inflates the next chunk. */
export const INFLATE_AHEAD = 8 * 1024 * 1024;
/** Bytes handed on per turn of the event loop (see createDecoupler). */
export const HAND_ON_SLICE = 256 * 1024;

/**
 * Lets the zlib thread run ahead of the main thread. A zlib stream schedules its next chunk only
 * after pushing the last one, and a push into a flowing pipeline runs every later stage (hashing, tar
 * parsing, file hashing) synchronously inside it: inflate and the main thread's work then take turns
 * instead of overlapping. This stage acknowledges each chunk at once while fewer than `ahead` bytes
 * wait, and hands the bytes on in `slice`-sized pieces, one piece per turn of the event loop: between
 * two pieces the loop runs zlib's completion callback, which starts the next inflate. (One immediate
 * per chunk ran every queued chunk in the same check phase, so a backlog kept zlib waiting for all of
 * it; 256 KiB pieces took the bench image's layer read from ~1.60 to ~1.52 s, same-minute medians.)
 */
export function createDecoupler(ahead = INFLATE_AHEAD, slice = HAND_ON_SLICE): Transform {
  let waiting = 0;
  let held: (() => void) | undefined;
  let flushed: (() => void) | undefined;
  const queue: Buffer[] = [];
  let scheduled = false;
  const drain = (): void => {
    scheduled = false;
    const chunk = queue.shift();
    if (chunk !== undefined) {
      waiting -= chunk.length;
      if (!stage.destroyed) stage.push(chunk);
      if (held !== undefined && waiting < ahead) {
        const release = held;
        held = undefined;
        release();
      }
    }
    if (queue.length > 0) {
      scheduled = true;
      setImmediate(drain);
    } else if (waiting === 0 && flushed !== undefined) flushed();
  };
  const stage = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      waiting += chunk.length;
      if (chunk.length <= slice) queue.push(chunk);
      else for (let at = 0; at < chunk.length; at += slice) queue.push(chunk.subarray(at, at + slice));
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
      if (waiting < ahead) callback();
      else held = () => callback();
    },
    flush(callback) {
      if (waiting === 0) callback();
      else flushed = () => callback();
    },
  });
  return stage;
}

/**
 * The decompressor for a layer. `outputChecked`: the caller compares a SHA-256 of the whole output
 * with the diff id, so gzip's own CRC-32 of the same bytes is left out (createGzipMembers).
 */
export function createDecompressor(compression: Compression, outputChecked = false): Transform {
  switch (compression) {
    case 'gzip':
      return outputChecked ? createGzipMembers(INFLATE_CHUNK) : createGunzip({ chunkSize: INFLATE_CHUNK });
    case 'zstd':
      return createZstdDecompress({ chunkSize: INFLATE_CHUNK });
    case 'none':
      return new PassThrough();
  }
}

/**
 * createDecompressor's work on a blob held whole, in one call: the same decoders, so the same
 * output and errors (zlib's, mapped by the caller as for a stream). Undefined when the output would
 * pass `maxOutput` bytes: the caller then streams it.
 */
export function decompressSync(compression: Compression, bytes: Buffer, outputChecked: boolean, maxOutput: number): Buffer | undefined {
  try {
    switch (compression) {
      case 'gzip':
        return outputChecked ? inflateGzipMembersSync(bytes, maxOutput) : gunzipSync(bytes, { maxOutputLength: Math.max(1, maxOutput) });
      case 'zstd':
        return zstdDecompressSync(bytes, { maxOutputLength: Math.max(1, maxOutput) });
      case 'none':
        return bytes.length > maxOutput ? undefined : bytes;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    throw error;
  }
}
