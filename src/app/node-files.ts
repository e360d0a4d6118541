import { readFile, writeFile } from 'node:fs/promises';
import { AppError } from '../core/errors.ts';
import type { FilePort } from '../services/trust.ts';

/** The FilePort backed by node:fs, with codes for the failures users meet. */
export const nodeFiles: FilePort = Object.freeze({
  async readFile(path: string): Promise<Buffer> {
    try {
      return await readFile(path);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new AppError('SOURCE_NOT_FOUND', 'file not found', { cause, details: { path } });
      throw new AppError('IO_FAILED', 'cannot read the file', { cause, details: { path, code: code ?? '' } });
    }
  },
  async writeFile(path: string, data: string | Uint8Array, options: { readonly mode?: number; readonly exclusive?: boolean } = {}): Promise<void> {
    try {
      await writeFile(path, data, { mode: options.mode ?? 0o644, flag: options.exclusive === true ? 'wx' : 'w' });
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new AppError('USAGE', 'the file exists; use --force to overwrite', { cause, details: { path } });
      throw new AppError('IO_FAILED', 'cannot write the file', { cause, details: { path, code: code ?? '' } });
    }
  },
});
