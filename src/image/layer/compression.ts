import { PassThrough, Transform } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { AppError } from '../../core/errors.ts';
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
 */
export const BLOB_READ_CHUNK = 256 * 1024;
export const INFLATE_CHUNK = 1024 * 1024;
/** Inflated bytes allowed to wait for the main thread while zlib's thread inflates the next chunk. */
export const INFLATE_AHEAD = 8 * 1024 * 1024;

/**
 * Lets the zlib thread run ahead of the main thread. A zlib stream schedules its next chunk only
 * after pushing the last one, and a push into a flowing pipeline runs every later stage (hashing, tar
 * parsing, file hashing) synchronously inside it: inflate and the main thread's work then take turns
 * instead of overlapping. This stage takes each chunk, hands it on from a later turn of the event
 * loop and acknowledges it at once while fewer than `ahead` bytes wait, so the inflater keeps going.
 */
export function createDecoupler(ahead = INFLATE_AHEAD): Transform {
  let waiting = 0;
  let held: (() => void) | undefined;
  let flushed: (() => void) | undefined;
  const stage = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      waiting += chunk.length;
      setImmediate(() => {
        waiting -= chunk.length;
        if (!stage.destroyed) stage.push(chunk);
        if (held !== undefined && waiting < ahead) {
          const release = held;
          held = undefined;
          release();
        }
        if (waiting === 0 && flushed !== undefined) flushed();
      });
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

export function createDecompressor(compression: Compression): Transform {
  switch (compression) {
    case 'gzip':
      return createGunzip({ chunkSize: INFLATE_CHUNK });
    case 'zstd':
      return createZstdDecompress({ chunkSize: INFLATE_CHUNK });
    case 'none':
      return new PassThrough();
  }
}
