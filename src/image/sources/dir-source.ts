import { stat } from 'node:fs/promises';
import { AppError } from '../../core/errors.ts';
import type { ImageSource } from '../types.ts';

/** `dir:PATH`: a folder holding a root filesystem. It has no manifest, config or layers. */
export function openDirSource(source: string, path: string): ImageSource {
  return {
    kind: 'dir',
    description: source,
    async resolve() {
      const info = await stat(path).catch((cause: unknown) => {
        throw new AppError('SOURCE_NOT_FOUND', 'the folder does not exist', { cause, details: { path } });
      });
      if (!info.isDirectory()) throw new AppError('SOURCE_INVALID', 'dir: needs a folder', { details: { path } });
      return {
        source,
        sourceKind: 'dir',
        config: {},
        layers: [],
        openLayer: async () => {
          throw new AppError('INPUT_INVALID', 'a dir: source has no layers', { details: { source } });
        },
      };
    },
    async close() {
      return undefined;
    },
  };
}
