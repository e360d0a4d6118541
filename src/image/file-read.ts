/**
 * Reading small files in place. Every `fs.promises` call is a round trip through libuv's thread pool
 * (~0.1-0.3 ms on the bench machines, several per file: open, stat, read, close), more than reading a
 * small file costs; a base-layers-cached `sbom` touches a few dozen (a layout's index, manifest and
 * config, an archive's members, cache files). Reads up to a bound use the synchronous calls; bigger
 * ones stay on the pool, so the event loop is never held for long (docs/decisions/image-reading.md).
 */
import { closeSync, fstatSync, openSync, read as readCallback, readFile as readFileCallback, readFileSync, readSync } from 'node:fs';
import { promisify } from 'node:util';

/** Reads up to this many bytes are made in place (manifests, configs, small layer blobs: SMALL_LAYER_BYTES). */
export const IN_PLACE_READ_BYTES = 256 * 1024;

const readFd = promisify(readFileCallback) as (fd: number) => Promise<Buffer>;
const readFdAt = promisify(readCallback);

export interface ReadWholeOptions {
  /** Read in place up to this size (default IN_PLACE_READ_BYTES). */
  readonly inPlaceUpTo?: number;
  /** Sees the file's size before anything is read: throw to refuse the file. */
  readonly check?: (size: number) => void;
}

/** The whole file at `path`. Errors are the file system's (ENOENT...) or `check`'s. */
export async function readWholeFile(path: string, options: ReadWholeOptions = {}): Promise<Buffer> {
  const fd = openSync(path, 'r');
  try {
    const { size } = fstatSync(fd);
    options.check?.(size);
    return size <= (options.inPlaceUpTo ?? IN_PLACE_READ_BYTES) ? readFileSync(fd) : await readFd(fd);
  } finally {
    closeSync(fd);
  }
}

/** Up to `length` bytes of `path` from `position`: fewer when the file ends first. */
export async function readFileRange(path: string, position: number, length: number): Promise<Buffer> {
  const data = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    const bytesRead = length <= IN_PLACE_READ_BYTES ? readSync(fd, data, 0, length, position) : (await readFdAt(fd, data, 0, length, position)).bytesRead;
    return bytesRead === length ? data : data.subarray(0, bytesRead);
  } finally {
    closeSync(fd);
  }
}
