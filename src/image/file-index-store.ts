import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { canonicalJson } from '../core/canonical-json.ts';
import { AppError } from '../core/errors.ts';
import { digestAlgorithm, digestHex, parseDigest, type Digest } from '../core/digest.ts';
import type { FileEntry } from './types.ts';

/** Stored file index of one image, keyed by the image's manifest digest. */
export interface StoredFileIndex {
  readonly schemaVersion: 1;
  readonly digest: Digest;
  readonly entries: readonly FileEntry[];
}

/** Where file indexes live. Services pick the folder (`<dataDir>/file-index`). */
export interface FileIndexStore {
  save(digest: Digest, entries: readonly FileEntry[]): Promise<string>;
  /** The stored index, or undefined when this image was never indexed. */
  load(digest: Digest): Promise<StoredFileIndex | undefined>;
}

/** Largest stored index read back (decompressed), a guard against a tampered data folder. */
const MAX_INDEX_BYTES = 2 * 1024 ** 3 - 1;

/**
 * A FileIndexStore on the filesystem: `<dir>/<algorithm>/<hex>.json.zst`, canonical JSON compressed
 * with zstd, written to a temporary file beside the target and renamed into place (atomic).
 */
export function createFileIndexStore(dir: string): FileIndexStore {
  const pathFor = (digest: Digest): string => {
    const checked = parseDigest(digest);
    return join(dir, digestAlgorithm(checked), `${digestHex(checked)}.json.zst`);
  };
  return {
    async save(digest, entries) {
      const path = pathFor(digest);
      const doc: StoredFileIndex = { schemaVersion: 1, digest, entries };
      const bytes = zstdCompressSync(Buffer.from(canonicalJson(doc)));
      const folder = join(dir, digestAlgorithm(digest));
      const temp = join(folder, `.${digestHex(digest)}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await mkdir(folder, { recursive: true });
        await writeFile(temp, bytes, { flag: 'wx', mode: 0o644 });
        await rename(temp, path);
      } catch (cause) {
        await rm(temp, { force: true });
        throw new AppError('STORE_FAILED', 'cannot write the file index', { cause, details: { digest } });
      }
      return path;
    },
    async load(digest) {
      const path = pathFor(digest);
      let compressed: Buffer;
      try {
        compressed = await readFile(path);
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new AppError('STORE_FAILED', 'cannot read the file index', { cause, details: { digest } });
      }
      let doc: StoredFileIndex;
      try {
        doc = JSON.parse(zstdDecompressSync(compressed, { maxOutputLength: MAX_INDEX_BYTES }).toString('utf8')) as StoredFileIndex;
      } catch (cause) {
        throw new AppError('STORE_FAILED', 'the stored file index is corrupt', { cause, details: { digest } });
      }
      if (doc.schemaVersion !== 1 || doc.digest !== digest || !Array.isArray(doc.entries)) {
        throw new AppError('STORE_FAILED', 'the stored file index does not match its key', { details: { digest } });
      }
      return doc;
    },
  };
}
