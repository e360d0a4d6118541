import { PassThrough, type Transform } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { AppError } from '../../core/errors.ts';

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
  if (head.length >= SNIFF_BYTES && (isZeroBlock(head) || hasValidTarChecksum(head))) return 'none';
  throw new AppError('ARCHIVE_COMPRESSION_UNSUPPORTED', 'the layer is not a tar, tar+gzip or tar+zstd stream', {
    details: { magic: head.subarray(0, 6).toString('hex') },
  });
}

/**
 * Read and inflate in large chunks: each chunk costs a round trip to the zlib thread and a pass through
 * every stream stage (meter, tar parser), so 16 KiB defaults spend more time on overhead than on bytes.
 */
export const BLOB_READ_CHUNK = 256 * 1024;
export const INFLATE_CHUNK = 64 * 1024;

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

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < SNIFF_BYTES; i++) if (block[i] !== 0) return false;
  return true;
}

function hasValidTarChecksum(block: Buffer): boolean {
  let sum = 8 * 32;
  for (let i = 0; i < 148; i++) sum += block[i] as number;
  for (let i = 156; i < 512; i++) sum += block[i] as number;
  const field = block.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/, '').trim();
  return /^[0-7]+$/.test(field) && parseInt(field, 8) === sum;
}
