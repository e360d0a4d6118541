import { lstat, open, readdir } from 'node:fs/promises';
import { AppError } from '../core/errors.ts';
import type { EntryKind, SourceTreePort } from '../services/source.ts';

function kindOf(s: { isFile(): boolean; isDirectory(): boolean }): EntryKind {
  return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
}

/** SourceTreePort over node:fs. Symlinks are not followed during walks (they are 'other'). */
export const nodeSourceTree: SourceTreePort = Object.freeze({
  async kind(path: string): Promise<EntryKind> {
    try {
      return kindOf(await lstat(path));
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
      throw new AppError('IO_FAILED', 'cannot stat the path', { cause, details: { path, code: code ?? '' } });
    }
  },
  async list(path: string) {
    try {
      const entries = await readdir(path, { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, kind: kindOf(e) }));
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new AppError('IO_FAILED', 'cannot list the directory', { cause, details: { path, code: code ?? '' } });
    }
  },
  async readText(path: string, maxBytes: number): Promise<string> {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new AppError('SOURCE_NOT_FOUND', 'file not found', { cause, details: { path } });
      throw new AppError('IO_FAILED', 'cannot read the file', { cause, details: { path, code: code ?? '' } });
    }
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) throw new AppError('LIMIT_FILE_SIZE', 'file is larger than the limit', { details: { path, size, limit: maxBytes } });
      const buf = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buf, 0, size, 0);
      return buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  },
});
